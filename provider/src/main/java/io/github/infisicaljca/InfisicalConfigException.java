package io.github.infisicaljca;

import java.security.InvalidParameterException;
import java.util.List;

/**
 * The configuration is unusable. The message lists every problem found, each naming the
 * property (and environment variable) to fix; it never contains a secret value.
 * It is an {@link InvalidParameterException} because that is what
 * {@link java.security.Provider#configure(String)} declares for bad configuration.
 */
public final class InfisicalConfigException extends InvalidParameterException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    InfisicalConfigException(List<String> problems) {
        super("invalid Infisical configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    InfisicalConfigException(String problem) {
        this(List.of(problem));
    }

    /** {@return each problem on its own, in the order found} */
    public List<String> problems() {
        return problems;
    }
}
