package dev.gossip.spring.catalog;

/** The catalog on WebFlux (reactive). */
class CatalogWebFluxTest extends CatalogAppTests {
    @Override
    String[] webArgs() {
        return new String[] {"--spring.main.web-application-type=reactive"};
    }
}
