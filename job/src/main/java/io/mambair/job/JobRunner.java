package io.mambair.job;

import io.mambair.job.config.EffectiveConfig;
import io.mambair.job.config.JobSettings;
import io.mambair.job.execute.PartitionRunner;
import io.mambair.job.execute.RunContext;
import io.mambair.job.execute.TaskReport;
import io.mambair.job.config.ModelExpectation;
import io.mambair.job.input.FileLister;
import io.mambair.job.input.InputIsolation;
import io.mambair.job.input.HeaderProbe;
import io.mambair.job.input.HeaderStage;
import io.mambair.job.input.NotInputs;
import io.mambair.job.input.ListedFile;
import io.mambair.job.input.WorkItem;
import io.mambair.job.input.WorkPlanner;
import io.mambair.job.memory.ImageFootprint;
import io.mambair.job.memory.MemoryPlanning;
import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.Provenance;
import io.mambair.job.output.ResumeIndex;
import io.mambair.job.output.RowStore;
import io.mambair.job.output.RunCounts;
import io.mambair.job.output.TableStore;
import io.mambair.job.output.TableWriter;
import io.mambair.job.outcome.DeviceUse;
import io.mambair.job.outcome.FailedImages;
import io.mambair.job.outcome.RunReport;
import io.mambair.job.outcome.RunVerdict;
import io.mambair.job.partition.CostBalancer;
import io.mambair.job.partition.ShippedGroups;
import io.mambair.job.progress.ProgressReporter;
import io.mambair.runtime.model.ResolvedModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the job on the driver: resolve the model once, list inputs (and references), read headers
 * in parallel, plan and cost-balance the work, restore on the executors, then commit the per-image
 * and summary tables and print the summary.
 */
public final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private final SparkSession spark;
    private final JobConfiguration configuration;
    private final boolean terminalProgress;

    /** A runner whose progress goes to the log, one line per interval (spark-submit: the cluster's logging). */
    public JobRunner(SparkSession spark, JobConfiguration configuration) {
        this(spark, configuration, false);
    }

    /** A runner whose progress may be one line rewritten in place when {@code terminalProgress} and the process has a terminal. */
    public JobRunner(SparkSession spark, JobConfiguration configuration, boolean terminalProgress) {
        this.spark = spark;
        this.configuration = configuration;
        this.terminalProgress = terminalProgress;
    }

    /** Runs the whole job and returns its summary (its verdict says whether the run failed). */
    public RunSummary run() throws IOException {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        configuration.settings().hadoop().forEach(hadoop::set);
        JobSettings s = qualified(configuration.settings(), hadoop);
        boolean benchmark = s.mode() == JobSettings.Mode.BENCHMARK;
        boolean paired = benchmark && s.benchmark().lqSource() == JobSettings.LqSource.PAIRED;
        requireInputsUntouched(s, paired, hadoop);

        String runId = s.runId().isBlank() ? ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")) : s.runId();
        String dataset = s.dataset().isBlank() ? new Path(s.input().path()).getName() : s.dataset();
        String tables = s.output().tablesPath();
        String effective = EffectiveConfig.render(configuration.config());

        // The checkpoint is untrusted input: it is resolved (and refused) before anything is written or run.
        jsc.setJobDescription("mambair " + runId + ": resolve model " + s.model().path());
        ResolvedModel model = resolveModel(s.model().path(), hadoop);
        String task = model.config().task().id();
        ModelExpectation.require(s.model(), configuration.config(), task, model.scale());
        String effectiveFile = new Path(tables, "runs/" + runId + "/effective.conf").toString();
        AtomicFiles.write(effectiveFile, effective.getBytes(StandardCharsets.UTF_8), hadoop);
        LOG.info("run {}: effective configuration in {}", runId, qualified(effectiveFile, hadoop));
        LOG.info("model {} (sha256 {}), task {}, scale {}", model.name(), model.sha256(), task, model.scale());

        long listingStart = System.nanoTime();
        FileLister.Listing listing = FileLister.list(s.input().path(), s.input().glob(), s.input().recursive(), tables, hadoop);
        List<ListedFile> inputs = listing.files();
        List<ListedFile> references = paired
                ? FileLister.list(s.benchmark().referencePath(), s.input().glob(), s.input().recursive(), tables, hadoop).files() : List.of();
        LOG.info("listed {} inputs under {}{} in {} s; {}", inputs.size(), s.input().path(), paired ? " and " + references.size() + " references" : "",
                String.format("%.1f", (System.nanoTime() - listingStart) / 1e9), listing.notInputs().text());

        int parallelism = s.partitions() > 0 ? s.partitions() : jsc.defaultParallelism();
        jsc.setJobDescription("mambair " + runId + ": read " + inputs.size() + " image headers");
        List<HeaderProbe.Result> headers = HeaderStage.read(jsc, inputs, parallelism * 4);
        RowStore rowStore = new RowStore(new Path(tables, "rows").toString());
        Provenance provenance = Provenance.of(s, model.name(), model.sha256(), task, model.scale());
        ResumeIndex previous = s.output().mode() == JobSettings.WriteMode.SKIP_EXISTING
                ? ResumeIndex.load(spark, rowStore, provenance) : ResumeIndex.none(provenance);
        List<WorkItem> items = MemoryPlanning.refuseTooLarge(new WorkPlanner(s, model.scale()).plan(inputs, references, headers, previous::sameResult),
                ImageFootprint.forRun(s, model), s.restore().memoryBudget(), MemoryPlanning.executorHeap(spark.sparkContext().getConf()));
        long done = items.stream().filter(WorkItem::previouslyDone).count();

        List<List<WorkItem>> groups = CostBalancer.balance(items, parallelism, i -> i.previouslyDone() ? 1 : i.cost());
        long totalPixels = items.stream().filter(i -> !i.previouslyDone() && !i.hasProblem()).mapToLong(WorkItem::cost).sum();
        RunContext ctx = new RunContext(s, model, runId, dataset, task, rowStore.folder(), hadoop);
        Broadcast<RunContext> bc = jsc.broadcast(ctx);
        Broadcast<ShippedGroups<WorkItem>> plan = jsc.broadcast(ShippedGroups.of(groups));
        List<TaskReport> reports;
        try (ProgressReporter progress = new ProgressReporter(spark.sparkContext(), items.size(), totalPixels, s.progressIntervalSeconds(), terminalProgress)) {
            jsc.setJobDescription(String.format("mambair %s: restore %d images (%.1f MP out, %d already done) in %d cost-balanced partitions",
                    runId, items.size(), totalPixels / 1e6, done, groups.size()));
            reports = jsc.parallelize(plan.value().numbers(), Math.max(1, groups.size()))
                    .mapPartitions(ShippedGroups.feeding(plan, new PartitionRunner(bc, progress.images(), progress.pixels())))
                    .collect();
        }
        plan.destroy();
        int stale = AtomicFiles.removeTemporaries(rowStore.folder(), hadoop)
                + (s.output().writeImages() ? AtomicFiles.removeTemporaries(s.output().path(), hadoop) : 0);
        if (stale > 0) LOG.info("removed {} temporary files left by killed writers", stale);
        RunCounts counts = new RunCounts(items.size(),
                reports.stream().mapToLong(TaskReport::ok).sum(),
                reports.stream().mapToLong(TaskReport::error).sum(),
                reports.stream().mapToLong(TaskReport::skipped).sum(),
                reports.stream().mapToLong(TaskReport::outputPixels).sum());

        jsc.setJobDescription("mambair " + runId + ": commit tables under " + tables);
        TableStore store = TableStore.of(spark, s.output(), tables);
        TableWriter writer = new TableWriter(store);
        Set<Long> committed = reports.stream().map(TaskReport::taskAttemptId).collect(Collectors.toSet());
        Dataset<Row> produced = writer.writeImages(rowStore.readCommitted(spark, runId, committed), runId);
        List<String> skippedIds = items.stream().filter(WorkItem::previouslyDone).map(WorkItem::imageId).collect(Collectors.toList());
        Dataset<Row> kept = previous.tableRows(spark, skippedIds).join(produced.select("image_id"), "image_id", "left_anti");
        writer.writeUncommitted(kept);
        double wall = (System.nanoTime() - start) / 1e9;
        Dataset<Row> summary = writer.writeSummary(produced.unionByName(kept), runId, counts, wall);
        RunVerdict verdict = RunVerdict.of(counts, s.failOnErrorFraction());
        String text = summaryText(runId, counts, listing.notInputs(), summary.collectAsList(), wall)
                + DeviceUse.line(reports).map(l -> "\n" + l).orElse("")
                + "\n" + locationsText(s, store, runId, hadoop)
                + RunReport.text(runId, FailedImages.of(produced), verdict);
        System.out.println(text);
        jsc.setJobDescription(null);
        if (!counts.reconciles()) throw new IllegalStateException("counts do not reconcile: " + counts);
        return new RunSummary(runId, counts, store.imagesLocation(), store.summaryLocation(), reports, wall, text, verdict);
    }

    /** The settings with every path qualified (scheme and authority), the tables path defaulted to {@code <output>/_mambair}. */
    private static JobSettings qualified(JobSettings s, Configuration hadoop) throws IOException {
        String output = qualified(s.output().path(), hadoop);
        String tables = s.output().tablesPath().isBlank() ? new Path(output, "_mambair").toString() : qualified(s.output().tablesPath(), hadoop);
        String reference = s.benchmark().referencePath().isBlank() ? "" : qualified(s.benchmark().referencePath(), hadoop);
        return s.withPaths(qualified(s.input().path(), hadoop), reference, output, tables);
    }

    /** Refuses a run whose outputs or tables would be written into (or above) its inputs or references. */
    private static void requireInputsUntouched(JobSettings s, boolean paired, Configuration hadoop) throws IOException {
        List<InputIsolation.Root> reads = new ArrayList<>(List.of(new InputIsolation.Root("input.path", s.input().path())));
        if (paired) reads.add(new InputIsolation.Root("benchmark.reference-path", s.benchmark().referencePath()));
        List<InputIsolation.Root> writes = new ArrayList<>();
        if (s.output().writeImages()) writes.add(new InputIsolation.Root("output.path", s.output().path()));
        writes.add(new InputIsolation.Root("output.tables-path", s.output().tablesPath()));
        InputIsolation.require(reads, writes, hadoop);
    }

    private static ResolvedModel resolveModel(String uri, Configuration hadoop) throws IOException {
        Path p = new Path(uri);
        String scheme = p.toUri().getScheme();
        if (scheme == null || scheme.equals("file")) return ResolvedModel.resolve(java.nio.file.Path.of(p.toUri().getPath()));
        java.nio.file.Path dir = Files.createTempDirectory("mambair-model");
        java.nio.file.Path local = dir.resolve(p.getName());
        try (InputStream in = p.getFileSystem(hadoop).open(p)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            return ResolvedModel.resolve(local);
        } finally {
            Files.deleteIfExists(local);
            Files.deleteIfExists(dir);
        }
    }

    private static String summaryText(String runId, RunCounts c, NotInputs notInputs, List<Row> summary, double wall) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("mambair run %s: inputs %d = ok %d + error %d + skipped %d, %s; %.2f MP restored in %.1f s (%.3f MP/s)",
                runId, c.inputs(), c.ok(), c.error(), c.skipped(), notInputs.text(), c.outputPixels() / 1e6, wall,
                c.outputPixels() / 1e6 / Math.max(1e-9, wall)));
        for (Row r : summary) {
            lines.add(String.format("  %s / %s x%s: PSNR %s SSIM %s; Y: PSNR %s SSIM %s; baseline Y: PSNR %s SSIM %s; gain Y: %s dB",
                    r.getAs("dataset"), r.getAs("task"), r.getAs("scale"), fmt(r.getAs("mean_psnr")), fmt(r.getAs("mean_ssim")),
                    fmt(r.getAs("mean_psnr_y")), fmt(r.getAs("mean_ssim_y")), fmt(r.getAs("mean_baseline_psnr_y")),
                    fmt(r.getAs("mean_baseline_ssim_y")), fmt(r.getAs("gain_psnr_y"))));
        }
        return String.join("\n", lines);
    }

    /** Where this run's restored images and tables are, as fully qualified paths. */
    private static String locationsText(JobSettings s, TableStore store, String runId, Configuration hadoop) throws IOException {
        String images = s.output().writeImages() ? qualified(s.output().path(), hadoop) : "(not written: output.write-images = false)";
        boolean named = !s.output().tableName().isBlank();
        boolean delta = s.output().tableFormat() == JobSettings.TableFormat.DELTA;
        String imagesTable = named ? store.imagesLocation() : qualified(store.imagesLocation(), hadoop);
        String summaryTable = named ? store.summaryLocation() : qualified(store.summaryLocation() + (delta ? "" : "/run_id=" + runId), hadoop);
        return String.format("  restored images: %s%n  tables: %s (per image), %s (%s)", images, imagesTable, summaryTable,
                delta ? "summaries, Delta: WHERE run_id = '" + runId + "'" : "this run's summary");
    }

    private static String qualified(String path, Configuration hadoop) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(hadoop).makeQualified(p).toString();
    }

    private static String fmt(Object v) {
        return v == null ? "-" : String.format("%.4f", ((Number) v).doubleValue());
    }
}
