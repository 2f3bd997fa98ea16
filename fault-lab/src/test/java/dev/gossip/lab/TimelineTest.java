package dev.gossip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.lab.History.Fault;
import dev.gossip.lab.History.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The charts are kept in target/timeline-test for a look. */
class TimelineTest {

    private static final Path DIR = Path.of("target", "timeline-test");

    @Test
    void aRowIsOneRectanglePerRunOfEqualReports() throws Exception {
        Snapshot s = new Histories()
                .mark("kill", 1000, "c")
                .fault("pause", 600, 1400, "b")
                .every(100, 0, 900, "a", "c=alive")
                .every(100, 1000, 1900, "a", "c=failed")
                .every(100, 0, 500, "b", "c=alive")
                .every(100, 1500, 1900, "b")
                .snapshot();

        Document svg = write("simple.svg", "c killed", s, "c", List.of("a", "b"));

        List<Element> segments = segments(svg);
        assertThat(segments).extracting(e -> e.getAttribute("class"))
                .containsExactly("seg alive", "seg failed", "seg alive", "seg none");
        // 754 px for 2 s: a saw c alive for the first second.
        assertThat(segments.get(0).getAttribute("x")).isEqualTo("130.0");
        assertThat(segments.get(0).getAttribute("width")).isEqualTo("377.0");
        // b's last report before its pause stands for one sample, then the row is hatched.
        assertThat(segments.get(2).getAttribute("width")).isEqualTo("226.2");
        assertThat(texts(svg)).contains("c killed", "view of c", "a", "b", "kill c", "pause b", "0 s", "1 s", "2 s");
    }

    @Test
    void aFocusSetGetsAPanelEachAndCloseFaultsGetLanesEach() throws Exception {
        Snapshot s = new Histories()
                .fault("partition", 1000, 3000, "a", "|", "c", "d")
                .mark("kill", 1100, "d")
                .every(100, 0, 3900, "a", "c=alive", "d=alive")
                .every(100, 0, 3900, "c", "c=alive", "d=failed")
                .snapshot();

        Path file = DIR.resolve("panels.svg");
        Timeline.write(file, "a cut off from c and d", s, List.of("c", "d"), List.of("a", "c"));
        Document svg = parse(file);

        assertThat(segments(svg)).extracting(e -> e.getAttribute("class"))
                .containsExactly("seg alive", "seg alive", "seg alive", "seg failed");
        assertThat(texts(svg)).contains("view of c", "view of d", "partition a | c,d", "kill d");
        assertThat(textY(svg, "partition a | c,d")).isNotEqualTo(textY(svg, "kill d"));
    }

    @Test
    void aOneSampleBlipInALongRunStaysVisible() throws Exception {
        Snapshot s = new Histories()
                .every(100, 0, 149_900, "a", "c=alive")
                .see(150_000, "a", "c=failed")
                .every(100, 150_100, 300_000, "a", "c=alive")
                .snapshot();

        List<Element> segments = segments(write("blip.svg", "blip", s, "c", List.of("a")));

        assertThat(segments).extracting(e -> e.getAttribute("class")).containsExactly("seg alive", "seg failed", "seg alive");
        assertThat(segments.get(1).getAttribute("width")).isEqualTo("2.0");
    }

    @Test
    void aFiveMinuteRunOfTenObserversStaysSmall() throws Exception {
        Path file = DIR.resolve("five-minutes.svg");
        Timeline.write(file, "m3 killed, restarted; lossy links", fiveMinutes(), "m3", observers());

        assertThat(Files.size(file)).isLessThan(300_000);
        assertThat(segments(parse(file))).hasSizeGreaterThan(20);
    }

    /** 8 samples is 0.8 s, about the 2 px a bar is widened to: the most bars a row can get. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 10, 20})
    void evenAViewFlickeringAllTheTimeStaysSmall(int samples) throws Exception {
        Path file = DIR.resolve("flicker-" + samples + ".svg");
        Timeline.write(file, "flicker every " + samples + " samples", fiveMinutes(samples), "m3", observers());

        assertThat(Files.size(file)).isLessThan(300_000);
        parse(file);
    }

    private static Snapshot fiveMinutes() {
        return fiveMinutes(0);
    }

    /**
     * Ten observers m0..m9 report ten members every 100 ms; m3 is killed at 60 s and back at
     * 120 s, or, if {@code flicker} > 0, seen alive and suspect by turns for that many samples.
     */
    private static Snapshot fiveMinutes(int flicker) {
        Random random = new Random(7);
        Histories h = new Histories()
                .mark("kill", 60_000, "m3")
                .mark("restart", 120_000, "m3")
                .fault(new Fault("loss", List.of("m1", "m2"), 180_000, 240_000, "p=0.10"))
                .fault(new Fault("partition", List.of("m0", "m1", "|", "m2", "m3"), 250_000, 270_000, ""));
        for (String observer : observers()) {
            for (long t = 0; t < 300_000; t += 100) {
                boolean down = t >= 60_000 && t < 120_000;
                if (observer.equals("m3") && down) {
                    continue;
                }
                String[] view = new String[10];
                for (int m = 0; m < 10; m++) {
                    String status = random.nextInt(200) == 0 ? "suspect" : "alive";
                    if (m == 3) {
                        status = flicker > 0 ? (t / 100 / flicker % 2 == 0 ? "alive" : "suspect")
                                : down ? (t < 63_000 ? "suspect" : "failed") : status;
                    }
                    view[m] = "m" + m + "=" + status + ":" + t / 10_000;
                }
                h.see(t, observer, observer.equals("m3") && t >= 120_000 ? 1 : 0, t / 100, view);
            }
        }
        return h.snapshot();
    }

    private static List<String> observers() {
        List<String> observers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            observers.add("m" + i);
        }
        return observers;
    }

    private static Document write(String name, String title, Snapshot s, String focus, List<String> observers)
            throws Exception {
        Path file = DIR.resolve(name);
        Timeline.write(file, title, s, focus, observers);
        return parse(file);
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(file.toFile());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        return doc;
    }

    private static List<Element> segments(Document svg) {
        List<Element> segments = new ArrayList<>();
        NodeList rects = svg.getElementsByTagNameNS("*", "rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element e = (Element) rects.item(i);
            if (e.getAttribute("class").startsWith("seg ")) {
                segments.add(e);
            }
        }
        return segments;
    }

    private static String textY(Document svg, String text) {
        NodeList nodes = svg.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getTextContent().equals(text)) {
                return ((Element) nodes.item(i)).getAttribute("y");
            }
        }
        throw new AssertionError("no text " + text);
    }

    private static List<String> texts(Document svg) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
