package dev.gossip.spring.catalog;

/** The catalog on Spring MVC (servlet). */
class CatalogMvcTest extends CatalogAppTests {
    @Override
    String[] webArgs() {
        return new String[] {"--spring.main.web-application-type=servlet"};
    }
}
