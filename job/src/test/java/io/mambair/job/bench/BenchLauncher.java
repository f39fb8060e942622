package io.mambair.job.bench;

import io.mambair.runtime.cli.BenchCommand;
import io.mambair.runtime.scan.ScanBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/mambair bench}: the benchmarks, run from the build tree's test classes (they are not in the
 * production jars). Each is a subcommand; add new benchmarks of this folder here.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (from the build tree): models, scan, throughput, pipeline, memory.",
        subcommands = {BenchCommand.class, ScanBenchmark.class, ThroughputBenchmark.class, PipelineThroughputBenchmark.class, MemoryBenchmark.class})
public final class BenchLauncher implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchLauncher()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
