package dev.gossip.spring.catalog;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The catalog's routes for whichever web stack the context runs; imported by the context whose
 * server serves the catalog (the application's, or the management server's own).
 */
@Configuration(proxyBeanMethods = false)
@Import({CatalogRoutes.Servlet.class, CatalogRoutes.Reactive.class})
class CatalogRoutes {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(org.springframework.web.servlet.function.RouterFunction.class)
    static class Servlet {
        @Bean
        org.springframework.web.servlet.function.RouterFunction<org.springframework.web.servlet.function.ServerResponse>
                gossipCatalogRoutes(CatalogApi api) {
            return CatalogServletRoutes.routes(api);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(org.springframework.web.reactive.function.server.RouterFunction.class)
    static class Reactive {
        @Bean
        org.springframework.web.reactive.function.server.RouterFunction<org.springframework.web.reactive.function.server.ServerResponse>
                gossipCatalogReactiveRoutes(CatalogApi api) {
            return CatalogReactiveRoutes.routes(api);
        }
    }
}
