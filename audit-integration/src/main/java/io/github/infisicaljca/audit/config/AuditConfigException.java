package io.github.infisicaljca.audit.config;

import java.util.List;

/**
 * The audit configuration is unusable. The message lists every problem found, each naming the
 * environment variable (or record component) to fix; it never contains a secret value, and no
 * cause is chained whose message could.
 */
public final class AuditConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    AuditConfigException(List<String> problems) {
        super("invalid audit configuration: " + String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an AuditConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    AuditConfigException(String problem) {
        this(List.of(problem));
    }

    /** {@return each problem on its own, in the order found} */
    public List<String> problems() {
        return problems;
    }
}
