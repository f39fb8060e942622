package io.mambair.job.config;

import java.util.List;

/** The job configuration is unusable; the message lists every problem found and what is valid. */
public final class InvalidConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid mambair configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem. */
    public List<String> problems() { return problems; }
}
