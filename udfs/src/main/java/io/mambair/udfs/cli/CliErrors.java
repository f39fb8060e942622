package io.mambair.udfs.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** One-line messages for the errors a user can fix (bad file, bad option value), instead of stack traces. */
final class CliErrors {
    private CliErrors() {}

    /** The message to print for {@code e}. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) return "no such file: " + e.getMessage();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Whether {@code e} is an input problem rather than a bug. */
    static boolean isUserError(Exception e) {
        return e instanceof IOException || e instanceof IllegalArgumentException;
    }
}
