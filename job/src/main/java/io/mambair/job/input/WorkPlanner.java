package io.mambair.job.input;

import io.mambair.job.config.JobSettings;
import io.mambair.job.output.OutputPaths;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns listings and headers into the run's {@link WorkItem}s: pairs inputs with references by
 * file-name template, sizes and costs every image, maps outputs, and marks what cannot be done
 * (no reference, unreadable header, too large, colliding output name) as a problem row.
 */
public final class WorkPlanner {
    private final JobSettings settings;
    private final int scale;

    /** Which images an earlier run finished with the result this run would produce. */
    @FunctionalInterface
    public interface Finished {
        /** True when image {@code imageId} has an ok row of the same model and settings, output and reference. */
        boolean sameResult(String imageId, String outputUri, String referenceUri);

        /** Nothing is finished (output.mode = overwrite, or a first run). */
        Finished NONE = (id, out, ref) -> false;
    }

    public WorkPlanner(JobSettings settings, int scale) {
        this.settings = settings;
        this.scale = scale;
    }

    /**
     * Plans the run. {@code inputs} are the listed inputs (references when synthesising),
     * {@code references} the listed references (paired benchmark mode, else empty), {@code headers}
     * the probed headers of the inputs (in the same order), {@code finished} which images an
     * earlier run already finished exactly as this run would.
     */
    public List<WorkItem> plan(List<ListedFile> inputs, List<ListedFile> references, List<HeaderProbe.Result> headers,
                               Finished finished) {
        if (headers.size() != inputs.size()) throw new IllegalArgumentException(headers.size() + " headers for " + inputs.size() + " inputs");
        boolean benchmark = settings.mode() == JobSettings.Mode.BENCHMARK;
        boolean synth = benchmark && settings.benchmark().lqSource() == JobSettings.LqSource.SYNTHESIZE;
        Map<String, ListedFile> refsByStem = new TreeMap<>();
        for (ListedFile r : references) refsByStem.putIfAbsent(r.relativeDir() + r.stem(), r);
        NameTemplate lq = new NameTemplate(settings.benchmark().lqTemplate(), scale);
        NameTemplate ref = new NameTemplate(settings.benchmark().referenceTemplate(), scale);

        Map<String, OutputPaths.Assigned> outputs = settings.output().writeImages()
                ? OutputPaths.assign(settings.output().path(), inputs.stream().map(ListedFile::relativePath).toList(), settings.output().format())
                : null;
        String outputRoot = settings.output().path().replaceAll("/+$", "") + "/";
        Map<String, String> outputsTaken = new HashMap<>();
        List<WorkItem> items = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            ListedFile in = inputs.get(i);
            ListedFile reference = synth ? in : null;
            String problemClass = null;
            String problem = null;
            if (benchmark && !synth) {
                Optional<String> name = lq.match(in.stem());
                if (name.isEmpty()) {
                    problemClass = "NoReference";
                    problem = "file stem '" + in.stem() + "' does not fit benchmark.lq-template '" + settings.benchmark().lqTemplate() + "'";
                } else {
                    ListedFile r = refsByStem.get(in.relativeDir() + ref.format(name.get()));
                    if (r == null) {
                        problemClass = "NoReference";
                        problem = "no reference named '" + in.relativeDir() + ref.format(name.get()) + ".*' under " + settings.benchmark().referencePath();
                    } else {
                        reference = r;
                    }
                }
            }
            String output = null;
            if (outputs != null) {
                OutputPaths.Assigned assigned = outputs.get(in.relativePath());
                output = assigned.uri();
                if (output != null) {
                    String other = outputsTaken.putIfAbsent(output, in.relativePath());
                    if (other != null && problemClass == null) {
                        problemClass = "OutputCollision";
                        problem = "output " + output + " is already the output of " + other;
                    }
                } else if (problemClass == null) {
                    problemClass = "UnsafeOutputPath";
                    problem = assigned.problem();
                }
            }
            String referenceUri = reference == null ? null : reference.uri();
            boolean done = finished.sameResult(in.relativePath(), output, referenceUri);
            Location out = output == null ? null : output.startsWith(outputRoot)
                    ? new Location(outputRoot, output.substring(outputRoot.length())) : new Location("", output);
            WorkItem item = sized(in, reference, synth, out, headers.get(i), done);
            if (problemClass != null && !item.hasProblem()) item = item.withProblem(problemClass, problem);
            items.add(item);
        }
        return items;
    }

    /** A file as root (shared by all items) and path below it. */
    private record Location(String root, String path) {}

    private WorkItem sized(ListedFile in, ListedFile reference, boolean synth, Location output, HeaderProbe.Result header, boolean done) {
        String refRoot = reference == null ? null : reference.root();
        String refPath = reference == null ? null : reference.relativePath();
        String outRoot = output == null ? null : output.root();
        String outPath = output == null ? null : output.path();
        WorkItem base = new WorkItem(in.relativePath(), in.root(), in.relativePath(), refRoot, refPath, synth, outRoot, outPath,
                0, 0, 0, 0, 1, done, null, null);
        if (header == null) return base.withProblem("NoHeader", "header of " + in.relativePath() + " was not read");
        if (!header.ok()) return base.withProblem(header.errorClass(), header.errorMessage());
        HeaderProbe.Result info = header;
        int w = synth ? info.width() / scale : info.width();
        int h = synth ? info.height() / scale : info.height();
        if (w <= 0 || h <= 0) return base.withProblem("ImageTooSmall", in.relativePath() + ": " + info.width() + "x" + info.height() + " is smaller than the scale " + scale);
        if ((long) info.width() * info.height() > settings.input().maxPixels()) {
            return base.withProblem("ImageTooLargeException", in.relativePath() + ": " + info.width() + "x" + info.height()
                    + " exceeds input.max-pixels = " + settings.input().maxPixels());
        }
        long cost = (long) w * h * scale * scale;
        return new WorkItem(in.relativePath(), in.root(), in.relativePath(), refRoot, refPath, synth, outRoot, outPath,
                w, h, info.channels(), info.bitDepth(), cost, done, null, null);
    }
}
