package dev.gossip.core.coordinate;

import static dev.gossip.core.coordinate.CoordinateTest.NO_RANDOMNESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bit-for-bit agreement with Serf's own code. The vectors below were printed by a Go 1.19 program
 * (amd64) that ran hashicorp/serf's {@code coordinate} package (commit a24f620, with only the
 * go-metrics calls removed) with {@code DefaultConfig()} and a random source that panics if used.
 *
 * <p>Scenario: a fresh client observes three fixed peers in turn (step {@code s} probes peer
 * {@code s % 3}) for 30 steps, with RTT {@code 1000 + 700 * peer + (37 * s) % 400} microseconds,
 * except a 90 ms glitch at step 7 (hidden by the median filter) and a zero RTT at step 11. This
 * exercises the latency filter, the error and force updates, the height clamp, the adjustment
 * window wrapping around (20 samples), and gravity.
 *
 * <p>Each coordinate is written as the IEEE-754 bits of error, adjustment, height, then the
 * eight vector components.
 */
class CoordinateClientGoParityTest {

    private static final List<String> PEERS = List.of(
            "3fc999999999999a 8000000000000000 3f1a36e2eb1c432d bf3a36e2eb1c432d bf2a36e2eb1c432d 0000000000000000 3f2a36e2eb1c432d 3f3a36e2eb1c432d 3f43a92a30553262 bf43a92a30553262 bf3a36e2eb1c432d",
            "3fe0000000000000 bf0a36e2eb1c432d 3f2a36e2eb1c432d bf3a36e2eb1c432d 3f3a36e2eb1c432d 3f53a92a30553262 bf4a36e2eb1c432d 0000000000000000 3f4a36e2eb1c432d bf53a92a30553262 bf3a36e2eb1c432d",
            "3fe999999999999a bf1a36e2eb1c432d 3f33a92a30553262 0000000000000000 3f5d7dbf487fcb93 bf43a92a30553262 3f53a92a30553262 bf53a92a30553262 3f43a92a30553262 bf5d7dbf487fcb93 0000000000000000");

    /** step, peer, rtt in microseconds, then the client's coordinate after the update. */
    private static final String GO_STEPS = """
            1 1 1737 3ff47f24fb10d1ae beeb341acf39b9c3 3ee4f8b588e368f1 bef51173ebc31c48 3ef51173ebc31c48 3f0f9a2de1a4aa6a bf051173ebc31c48 0000000000000000 3f051173ebc31c48 bf0f9a2de1a4aa6a bef51173ebc31c48
            2 2 2474 3ff236187827b633 bf01f6def2f91c3c 3ee4f8b588e368f1 bef42b65d190d6ca 3f192b5741899769 3f00d61a3195abb3 3eeaaa5cffd9589e bf0ad5fd11872cf2 3f10cb322d2a36a1 bf21a08515290166 bef42b65d190d6ca
            3 0 1111 3fecd287df9afa84 bf02a832769db59e 3ee4f8b588e368f1 bef60fd1ee7597a1 3f18cd30f1f09266 3f00c1acbf7e9e8c 3eec86e76fce80f8 bf09b6fb486ee5fb 3f1175a7c956854e bf21ea8cf495af1a bef60fd1ee7597a1
            4 1 1848 3fe9031d918595ac bf07082bf94778d0 3ee4f8b588e368f1 beff6ad288c70dca 3f1aafb3984cf4ee 3f0f2ca38f05cd2b bed749d7df2bd516 bf091bfe9d79974c 3f15fc68ebc1ecb7 bf25328e6e583de8 beff6ad288c70dca
            5 2 2585 3fe6d2e446f87331 bf0fb13e17893f9b 3ee4f8b588e368f1 befea811e6146f07 3f22bba40ba493eb 3f06cd63618a3076 3ef8c9a54ab01e2e bf13de2d13d8080d 3f19431f7cf63b88 bf2a65a88529afab befea811e6146f07
            6 0 1222 3fe31647587fbb88 bf0f09dffb524c50 3eeb1d9e47f51e00 bef44d43385e4835 3f23ee1be2eb777d 3f0768dce2f91bbf 3ef3dcbd676b3742 bf173099fa7f9348 3f15beee996eedbd bf29016cb103098a bef44d43385e4835
            7 1 90000 3fe1085701bc95ba bf1184731d33463e 3ee4f8b588e368f1 befa9f564913ff09 3f2471dbf11000aa 3f108043812e0471 3ed90dd810aa6808 bf16d296dfe75660 3f18b8f6947daab3 bf2b19b18355006c befa9f564913ff09
            8 2 2696 3fdfe08ccae192a1 bf1581f8e96a162b 3ee4f8b588e368f1 befa2d5ad914d2e3 3f280c717ea07439 3f0b306883830941 3efb33ef86090554 bf1bb3b2d9fd227b 3f1af086d988faae bf2e97c834e5a8f2 befa2d5ad914d2e3
            9 0 1333 3fdb8dc2008792fb bf15472257d70fb3 3eeab2a228677c26 bef06a6226b7fc06 3f294bd85b3e6e85 3f0bdd2f2f130de9 3ef6ac2404505d92 bf1efe101ddf3eb0 3f17b439224b9d5a bf2d6670e4ec6d87 bef06a6226b7fc06
            10 1 2070 3fd882182bc1b969 bf15e953e4ee44cf 3eebbedcc420194d beeef026bdfa629e 3f293b882fcad460 3f0a73abcdc3349a 3ef8b220789498a9 bf1f10b25a8ee848 3f174462dcc60cca bf2d198d078a20b4 beeef026bdfa629e
            11 2 0 3fd761c5d61484e6 bf19ab91681d400d 3ee4f8b588e368f1 beee910aeeda7a44 3f2bc33f6bc68bd7 3f065b4ec8c7a879 3f03c13244102659 bf213c1f28909821 3f18e061e44736b1 bf2f9560c9a1db20 beee910aeeda7a44
            12 0 1044 3fd4b930ee744307 bf19997bd3c90712 3ee98b90296c9ed1 bedd15109723fac1 3f2cd5358ff391f1 3f06ccc7824b7780 3f0211414a3c4aa5 bf229db35cd1a166 3f1640556fb620bd bf2ea6869965d19e bedd15109723fac1
            13 1 1781 3fd2d38211ced6a3 bf1a4cb82b78349a 3eea913cec0a7788 bed94b8e5fc68574 3f2cc7554b3d912b 3f056835429e5595 3f0312885459a1c2 bf22a8a5e57f9354 3f15d217b1786401 bf2e5c0e3139f983 bed94b8e5fc68574
            14 2 2518 3fd250caac93420a bf1e4bb9a52a2446 3ee4f8b588e368f1 bed908073412f4f8 3f2ef057f664553d 3f01e746912ad9c3 3f096f2f51072c4e bf241aba7dd7d3b8 3f173bbb645a3256 bf30406c34d2c247 bed908073412f4f8
            15 0 1155 3fd017262bf6bcbd bf1ebc8c04fd728d 3ee6befd758d73b2 bec8a2eafbfac47e 3f2f60e49215332f 3f020a88321604d1 3f08d2c7b086079e bf24a990996e3013 3f1633bf492ddc59 bf3012fdf4fa84aa bec8a2eafbfac47e
            16 1 1892 3fce27c2807d4d01 bf20445e917baa8b 3ee4f8b588e368f1 bed4a906c729bcc3 3f2f7be2c76d481b 3f051a28a9c47b31 3f06991b9b660a04 bf248f11b622a6ce 3f1724328f07de65 bf30633999eff1f5 bed4a906c729bcc3
            17 2 2629 3fcd8d57b9476f4c bf22309ef0382836 3ee4f8b588e368f1 bed47ff4dfc63a28 3f3089260303c589 3f027ee1851060aa 3f0b4ed8404a32f1 bf259edd94b0e62b 3f182edc30a9ad6e bf312d25aa01f75b bed47ff4dfc63a28
            18 0 1266 3fcab20251d33c28 bf226ff01710c7aa 3ee709f2023b0cff beb697fb287b8dbe 3f30cd2794518d35 3f02a9502aa80adb 3f0a9cee9c5eab51 bf2648bf76e16ce0 3f16fd7f5025494b bf30fa578aa28452 beb697fb287b8dbe
            19 1 2003 3fc92b15d58daee1 bf235390f33b01db 3ee5944421ee3084 bec6543a012877bb 3f30d51aa9c7a037 3f04ace2d78d05b4 3f09243c0293aa87 bf2635ed9d071461 3f179b313d199bda bf312e6b91cc4218 bec6543a012877bb
            20 2 2740 3fc8792433d8ad34 bf24d8504dc41dd8 3ee4f8b588e368f1 bec63d44a825ece6 3f313d163a9a5a71 3f0354306c66269c 3f0b91430c3709c6 bf26c0cf970d68cb 3f1824a3e18fc797 bf31960b4d3af226 bec63d44a825ece6
            21 0 1377 3fc7ea50a5d2fa15 bf231b772290ca1e 3ee9ef5a6a1a3155 3ed8bd2a904479ce 3f31e43c032dc5dc 3f03bea780a7edcb 3f09e78a5121c259 bf285eeb91e91faf 3f1547463fe09074 bf311e52aeaba20f 3ed8bd2a904479ce
            22 1 1714 3fc6b058a91baee8 bf2138a93e014df0 3ee897de37e8388c 3ed39c27b50f24f5 3f31eaa740231703 3f0594a687f5e7ec 3f0890142951125e bf284c1fd3f46f75 3f15d89add528ad5 bf314dc6027a9dde 3ed39c27b50f24f5
            23 2 2451 3fc62b931c3f8a28 bf228682be4b9690 3ee620f936639555 3ed3893af6d1e766 3f324b3491fc48d2 3f04503e5d70c45a 3f0ad788e89e7fe5 bf28cc775274c096 3f165b4ff39a83a8 bf31aeeaba45b999 3ed3893af6d1e766
            24 0 1088 3fc56cfd0da55970 bf2173023e11b7ba 3ee9cd638a415e65 3ee736dbfe11c1bd 3f32ca9343776b0d 3f04a2a3cc6459d5 3f099b159281ce09 bf2a05b82f354c26 3f1438012fb0dbb6 bf31572583964ef5 3ee736dbfe11c1bd
            25 1 1825 3fc4d1d7c70f59a8 bf20653ef401a1d2 3ee76b1057edac2c 3ee2992083b2fe01 3f32d4c031db4176 3f07e4c91576ccc6 3f07390759896225 bf29e20c47f67734 3f153bc42709b7b4 bf31ab2e29a01199 3ee2992083b2fe01
            26 2 2562 3fc48e0f26f71e79 bf2234edaaa870b2 3ee4f8b588e368f1 3ee283f57b684f8d 3f3345952d99c4be 3f06638cb8c7ecf7 3f09eaad81961272 bf2a779bcc9c09a4 3f15d69e6dc1f5c1 bf321d55d5e33fc8 3ee283f57b684f8d
            27 0 1199 3fc31e47dfab0e73 bf2174e75406b6e8 3ee69047cf3060eb 3ee86ebfef58512e 3f337eca019aa526 3f068b1b1007c3b9 3f095f34f705e72a bf2b03000171df95 3f14e750059bcb49 bf31f7de02a52015 3ee86ebfef58512e
            28 1 1936 3fc2a8a6649f9faa bf208c9b7986e760 3ee4f8b588e368f1 3ee467feb81b5010 3f3386cfc0574dad 3f095f605399c7ce 3f074c1f394a7a02 bf2ae2bf9d758ae8 3f15c8bfef6eb6e4 bf32404fd4d598ae 3ee467feb81b5010
            29 2 2673 3fc278718cfda8f9 bf224626be1b7ab2 3ee4f8b588e368f1 3ee453d8b597fbb0 3f33e80187402d8c 3f080fb9ccfbdce8 3f09a250d2c09d4b bf2b638066913c8d 3f164e8a392b3da2 bf32a2c3fbe6add3 3ee453d8b597fbb0
            30 0 1310 3fc14785bf4b6d6f bf22389957d42e30 3ee65b082b5ea978 3ee97b83f66a5306 3f341ab680d1edd7 3f0834aecd9e6dff 3f0928a1e0d4fe6d bf2bde18d6070094 3f157f37d86c6bd4 bf3282fe416b48a8 3ee97b83f66a5306
            """;

    /** What Go's client.DistanceTo(peer 1) returned after the last step, in nanoseconds. */
    private static final long GO_FINAL_DISTANCE_TO_PEER_1_NANOS = 1971368;

    @Test
    void thirtyUpdatesProduceExactlyTheCoordinatesSerfComputes() {
        CoordinateClient client = new CoordinateClient(CoordinateConfig.defaults(), NO_RANDOMNESS);
        List<Coordinate> peers = PEERS.stream().map(CoordinateClientGoParityTest::parse).toList();

        for (String line : GO_STEPS.strip().split("\n")) {
            String[] f = line.strip().split(" ", 4);
            int step = Integer.parseInt(f[0]);
            int peer = Integer.parseInt(f[1]);
            long rttMicros = Integer.parseInt(f[2]);
            assertThat(peer).isEqualTo(step % 3);
            assertThat(rttMicros).isEqualTo(step == 7 ? 90_000 : step == 11 ? 0
                    : 1000 + 700 * peer + (step * 37) % 400);

            Coordinate c = client.update("node-" + peer, peers.get(peer),
                    Duration.ofNanos(rttMicros * 1000));

            assertThat(bits(c)).as("coordinate after step %d", step).isEqualTo(f[3]);
        }
        assertThat(client.distanceTo(peers.get(1)).toNanos())
                .isEqualTo(GO_FINAL_DISTANCE_TO_PEER_1_NANOS);
        assertThat(client.stats().resets()).isZero();
    }

    private static Coordinate parse(String bits) {
        double[] v = Arrays.stream(bits.split(" "))
                .mapToDouble(h -> Double.longBitsToDouble(Long.parseUnsignedLong(h, 16)))
                .toArray();
        return new Coordinate(Arrays.copyOfRange(v, 3, v.length), v[0], v[1], v[2]);
    }

    private static String bits(Coordinate c) {
        StringBuilder s = new StringBuilder();
        s.append(hex(c.error())).append(' ').append(hex(c.adjustment())).append(' ')
                .append(hex(c.height()));
        for (double v : c.vec()) {
            s.append(' ').append(hex(v));
        }
        return s.toString();
    }

    private static String hex(double v) {
        return String.format("%016x", Double.doubleToRawLongBits(v));
    }
}
