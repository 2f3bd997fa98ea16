package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/** With the starter, Boot's applicationTaskExecutor stays the one Executor: @Async and injection by type work. */
class ExecutorBeansTest {

    @Test
    void applicationTaskExecutorIsTheOnlyExecutor() {
        StarterContexts.runner().withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
                .withUserConfiguration(AsyncUser.class).withPropertyValues("spring.task.execution.thread-name-prefix=app-")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBeansOfType(Executor.class)).containsOnlyKeys("applicationTaskExecutor");
                    assertThat(ctx.getBean(Consumer.class).executor).isSameAs(ctx.getBean("applicationTaskExecutor"));
                    String thread = ctx.getBean(Worker.class).threadName().get();
                    assertThat(thread).startsWith("app-"); // spring.task.execution.* is honoured
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncUser {
        @Bean
        Worker worker() {
            return new Worker();
        }

        @Bean
        Consumer consumer() {
            return new Consumer();
        }
    }

    static class Worker {
        @Async
        public CompletableFuture<String> threadName() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    static class Consumer {
        @Autowired
        Executor executor;
    }
}
