package io.mambair.job.cli;

import io.mambair.runtime.cli.CommandErrors;
import io.mambair.runtime.cli.ConvertCommand;
import io.mambair.runtime.cli.InspectCommand;
import io.mambair.udfs.cli.DegradeCommand;
import io.mambair.udfs.cli.MetricsCommand;
import io.mambair.udfs.cli.RestoreCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bin/mambair} command line: one entry point over the runtime, udfs and job commands. */
@Command(name = "mambair", mixinStandardHelpOptions = true, version = "mambair 0.1.0",
        description = "Restore and measure images with MambaIR.",
        subcommands = {
                InspectCommand.class,
                ConvertCommand.class,
                RestoreCommand.class,
                MetricsCommand.class,
                DegradeCommand.class,
                RunCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class MambairCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(CommandErrors.commandLine(new MambairCommand()).execute(args));
    }
}
