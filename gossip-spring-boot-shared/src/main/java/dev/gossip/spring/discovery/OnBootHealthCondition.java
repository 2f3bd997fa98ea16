package dev.gossip.spring.discovery;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Boot's health API is on the class path, in the package of whichever Boot line runs: it moved from
 * spring-boot-actuator ({@code org.springframework.boot.actuate.health}, Boot 3.5) to spring-boot-health
 * ({@code org.springframework.boot.health.contributor}, Boot 4). Spring Cloud's health indicators
 * implement the running line's types, so either is enough for them.
 */
abstract class OnBootHealthCondition extends SpringBootCondition {

    private final String boot4;
    private final String boot3;

    OnBootHealthCondition(String simpleName) {
        this.boot4 = "org.springframework.boot.health.contributor." + simpleName;
        this.boot3 = "org.springframework.boot.actuate.health." + simpleName;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ClassLoader loader = context.getClassLoader();
        for (String name : new String[] {boot4, boot3}) {
            if (ClassUtils.isPresent(name, loader)) {
                return ConditionOutcome.match(name + " is present");
            }
        }
        return ConditionOutcome.noMatch("neither " + boot4 + " nor " + boot3 + " is present");
    }

    /** {@code ReactiveHealthIndicator}: Spring Cloud's reactive discovery health indicators can load. */
    static final class Reactive extends OnBootHealthCondition {
        Reactive() {
            super("ReactiveHealthIndicator");
        }
    }
}
