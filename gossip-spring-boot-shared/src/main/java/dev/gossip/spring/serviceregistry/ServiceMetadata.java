package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.support.GossipStartupException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Checks a user's metadata or tags against the keys the starter owns. */
public final class ServiceMetadata {

    private ServiceMetadata() {}

    /**
     * @param property the property the map comes from, named in the error
     * @throws GossipStartupException when a key is one the starter sets itself (it would be overwritten)
     */
    public static void requireNoReservedKeys(Map<String, String> metadata, String property) {
        List<String> clashing = metadata.keySet().stream().filter(ServiceTags::isReserved).sorted().toList();
        if (clashing.isEmpty()) {
            return;
        }
        String hint = clashing.contains(ServiceTags.ZONE) ? " Set the zone with spring.cloud.gossip.discovery.zone." : "";
        throw new GossipStartupException(property, property + " sets " + clashing
                + ", which the starter sets itself", "Remove " + clashing + " from " + property
                + ": the keys " + new TreeSet<>(ServiceTags.reserved()) + " are reserved." + hint, null);
    }
}
