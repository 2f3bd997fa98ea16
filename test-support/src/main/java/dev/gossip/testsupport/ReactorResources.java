package dev.gossip.testsupport;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.util.ClassUtils;

/**
 * Several apps share one JVM, hence Reactor Netty's global resources (event loops and the
 * connection pool of every Reactor-based client and server). A closing app must not dispose them
 * under the others, so no app's {@link ReactorResourceFactory} owns them, as in
 * {@code @SpringBootTest}. Without this, stopping one greeter cuts in-flight calls elsewhere
 * ("Connection prematurely closed BEFORE response").
 */
final class ReactorResources {

    private static final boolean PRESENT = ClassUtils.isPresent("reactor.netty.resources.LoopResources",
            ReactorResources.class.getClassLoader());

    private ReactorResources() {}

    /** An initializer: does nothing on classpaths without Reactor Netty. */
    static void notGlobal(ConfigurableApplicationContext ctx) {
        if (PRESENT) {
            ctx.getBeanFactory().addBeanPostProcessor(new NotGlobal());
        }
    }

    /** Its own class, so servlet-only classpaths never load ReactorResourceFactory. */
    private static final class NotGlobal implements BeanPostProcessor {
        @Override
        public Object postProcessBeforeInitialization(Object bean, String beanName) {
            if (bean instanceof ReactorResourceFactory factory) {
                factory.setUseGlobalResources(false);
            }
            return bean;
        }
    }
}
