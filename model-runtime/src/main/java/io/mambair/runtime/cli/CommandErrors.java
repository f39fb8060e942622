package io.mambair.runtime.cli;

import io.mambair.runtime.checkpoint.CheckpointException;
import io.mambair.runtime.engine.DeviceUnavailableException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * Turns errors a user can fix (a missing or bad file, a bad option value, a refused checkpoint, an explicit
 * GPU that cannot start, also when a Spark task failed for it) into one
 * line {@code <command>: <message>} and exit code 1, for every command; anything else is a bug and keeps its
 * stack trace.
 */
public final class CommandErrors implements CommandLine.IExecutionExceptionHandler {
    /** A command line for {@code command} (and its subcommands) with this handler. */
    public static CommandLine commandLine(Object command) {
        return new CommandLine(command).setExecutionExceptionHandler(new CommandErrors());
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        Exception userError = isUserError(e) ? e : deviceFailure(e);
        if (userError == null) throw e;
        cl.getErr().println(cl.getCommandName() + ": " + describe(userError));
        return 1;
    }

    static boolean isUserError(Exception e) {
        return e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException
                || e instanceof CheckpointException || e instanceof DeviceUnavailableException;
    }

    /** An explicit GPU that could not start, wrapped anywhere in the causes (a Spark task failure), else null. */
    private static Exception deviceFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DeviceUnavailableException d) return d;
        }
        return null;
    }

    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) return "no such file: " + e.getMessage();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
