package io.mambair.job.execute;

import io.mambair.job.input.WorkItem;
import io.mambair.job.memory.ImageFootprint;
import io.mambair.job.memory.MemoryBudget;
import io.mambair.job.memory.MemoryPlanning;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.engine.DeviceFaultException;
import io.mambair.runtime.engine.DeviceUnavailableException;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.restore.TileBatches;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The work of one task as a bounded pipeline: a reader thread decodes the next images while the
 * calling thread runs the model on a group of images (their tiles packed into shared batches), and
 * a finisher thread measures, encodes and writes the images already restored. Each image reserves its
 * predicted footprint in the executor's {@link MemoryBudget} before it is read and releases it when its
 * row is made; images read ahead are bounded by {@code depth} and by that budget (a task waits for
 * budget only while it holds none, so waiting tasks wait for images that progress), finished images
 * waiting for their row by {@code depth}. Depth 0 runs every stage in the calling thread, one after
 * another. Rows go to the sink in the calling thread; every item gets exactly one row.
 */
public final class TaskPipeline {
    /** Images read ahead (and finished images pending) per task in the job. */
    public static final int DEFAULT_DEPTH = 2;

    private final ImageReader reader;
    private final ModelStage model;
    private final ImageFinisher finisher;
    private final RowBuilder rows;
    private final int depth;
    private final Runnable workerSetup;
    private final ImageFootprint footprint;
    private final MemoryBudget memory;

    /** {@code workerSetup} runs first in each worker thread (the job gives them the task's TaskContext). */
    public TaskPipeline(ImageReader reader, ModelStage model, ImageFinisher finisher, RowBuilder rows, int depth, Runnable workerSetup,
                        ImageFootprint footprint, MemoryBudget memory) {
        if (depth < 0) throw new IllegalArgumentException("depth must be >= 0, got " + depth);
        this.reader = reader;
        this.model = model;
        this.finisher = finisher;
        this.rows = rows;
        this.depth = depth;
        this.workerSetup = workerSetup;
        this.footprint = footprint;
        this.memory = memory;
    }

    /** The pipeline of a job task: its stages built from the run's settings around {@code model}, its images held within {@code memory}. */
    public static TaskPipeline forRun(RunContext ctx, ModelStage model, MemoryBudget memory, String gpuAddress, String executorId, int depth,
                                      Runnable workerSetup) {
        io.mambair.job.config.JobSettings s = ctx.settings();
        int scale = ctx.model().scale();
        RowBuilder rows = new RowBuilder(ctx, gpuAddress, executorId);
        OutputWriter writer = s.output().writeImages() ? new OutputWriter(s.output().path(), s.output().jpegQuality(), scale, ctx.conf()) : null;
        return new TaskPipeline(new ImageReader(s, scale, ctx.model().config().inChans(), ctx.conf()), model,
                new ImageFinisher(writer, rows, scale, ctx.cropBorder(), s.output().keepModelColour()), rows, depth, workerSetup,
                ImageFootprint.forRun(s, ctx.model()), memory);
    }

    /** Receives each image's row. */
    @FunctionalInterface
    public interface RowSink {
        void accept(ImageRow row) throws IOException;
    }

    /** What a run of the pipeline did: images, wall time and the time the model was busy. */
    public record Stats(long images, long wallNanos, long modelBusyNanos) {
        /** Fraction of the wall time spent inside the model's restore calls. */
        public double modelBusyFraction() { return wallNanos == 0 ? 0 : (double) modelBusyNanos / wallNanos; }
    }

    private record Read(WorkItem item, long startNanos, CompletableFuture<LoadedImage> image, MemoryBudget.Reservation memory) {
        TileBatches.Size estimatedSize() { return new TileBatches.Size(Math.max(1, item.height()), Math.max(1, item.width())); }
    }

    /** Runs every item; a failing file system ({@link StorageFailure}) or an {@link Error} ends the run. */
    public Stats run(List<WorkItem> items, RowSink sink) throws IOException {
        long start = System.nanoTime();
        long busyBefore = model.busyNanos();
        ExecutorService readPool = depth > 0 ? Executors.newSingleThreadExecutor(worker("mambair-read")) : null;
        ExecutorService finishPool = depth > 0 ? Executors.newSingleThreadExecutor(worker("mambair-finish")) : null;
        Run run = new Run(items, readPool == null ? Runnable::run : readPool, finishPool == null ? Runnable::run : finishPool, sink);
        try {
            run.all();
        } finally {
            if (readPool != null) readPool.shutdownNow();
            if (finishPool != null) finishPool.shutdownNow();
            run.releaseAll();
        }
        return new Stats(items.size(), System.nanoTime() - start, model.busyNanos() - busyBefore);
    }

    /** The state of one run: the queues between the stages. */
    private final class Run {
        private final List<WorkItem> items;
        private final Executor readExec;
        private final Executor finishExec;
        private final RowSink sink;
        private final Deque<Read> ahead = new ArrayDeque<>();
        private final Deque<CompletableFuture<ImageRow>> finishing = new ArrayDeque<>();
        private final Set<MemoryBudget.Reservation> held = ConcurrentHashMap.newKeySet();
        private int next;

        Run(List<WorkItem> items, Executor readExec, Executor finishExec, RowSink sink) {
            this.items = items;
            this.readExec = readExec;
            this.finishExec = finishExec;
            this.sink = sink;
        }

        void all() throws IOException {
            while (next < items.size() || !ahead.isEmpty()) {
                List<Read> group = nextGroup();
                readAhead();
                restore(group);
                drain(depth);
            }
            drain(0);
        }

        /**
         * The next images whose tiles fill at least one batch, whose largest batch fits the pixel budget
         * and whose footprints fit the memory budget now (the first image waits for its budget).
         */
        private List<Read> nextGroup() throws IOException {
            List<Read> group = new ArrayList<>();
            List<TileBatches.Size> sizes = new ArrayList<>();
            long tiles = 0;
            while (tiles < model.batchSize()) {
                if (ahead.isEmpty()) {
                    if (next >= items.size() || !submit(items.get(next), group.isEmpty())) break;
                    next++;
                    continue;
                }
                Read r = ahead.peek();
                sizes.add(r.estimatedSize());
                if (!group.isEmpty() && !model.fits(sizes)) break;
                ahead.poll();
                group.add(r);
                tiles += model.tiles(r.estimatedSize());
            }
            return group;
        }

        /** Starts reading the next images while the model runs, as far as depth and the memory budget allow now. */
        private void readAhead() throws IOException {
            while (depth > 0 && next < items.size() && ahead.size() < depth && submit(items.get(next), false)) next++;
        }

        /**
         * Starts reading {@code item} once its footprint is reserved; false when it does not fit now and
         * {@code mayWait} is false. With {@code mayWait} (the task holds no image ahead or in its group) the
         * task first hands over its finished images, releasing their budget, then waits.
         */
        private boolean submit(WorkItem item, boolean mayWait) throws IOException {
            long t0 = System.nanoTime();
            if (item.hasProblem()) {
                finishing.add(CompletableFuture.completedFuture(rows.error(item, item.problemClass(), item.problemMessage(), t0)));
                return true;
            }
            long needed = footprint.bytes(item);
            if (needed > memory.limit()) {
                finishing.add(CompletableFuture.completedFuture(rows.error(item, MemoryPlanning.ERROR_CLASS,
                        MemoryPlanning.message(item, needed, (memory.limit() >> 20) + " MiB on this executor"), t0)));
                return true;
            }
            MemoryBudget.Reservation reservation = memory.tryReserve(needed);
            if (reservation == null) {
                if (!mayWait) return false;
                drain(0);
                reservation = memory.reserve(needed);
            }
            held.add(reservation);
            ahead.add(new Read(item, t0, CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.read(item);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, readExec), reservation));
            return true;
        }

        private void release(MemoryBudget.Reservation reservation) {
            reservation.close();
            held.remove(reservation);
        }

        /** Returns the budget of images this run still holds (a task that ends early). */
        void releaseAll() {
            for (MemoryBudget.Reservation r : held) r.close();
            held.clear();
        }

        private void restore(List<Read> group) {
            List<LoadedImage> loaded = new ArrayList<>(group.size());
            List<Read> reads = new ArrayList<>(group.size());
            for (Read r : group) {
                try {
                    loaded.add(await(r.image()));
                    reads.add(r);
                } catch (ExecutionException e) {
                    Throwable cause = imageProblem(e.getCause(), true);
                    release(r.memory());
                    finishing.add(CompletableFuture.completedFuture(rows.error(r.item(), cause, r.startNanos())));
                }
            }
            if (!loaded.isEmpty()) restoreAndFinish(loaded, reads);
        }

        /** Restores the images together; when that fails, one by one, so only the failing image gets an error row. */
        private void restoreAndFinish(List<LoadedImage> group, List<Read> reads) {
            List<PlanarImage> restored;
            long t0 = System.nanoTime();
            try {
                restored = model.restore(group);
            } catch (RuntimeException e) {
                imageProblem(e, false);
                if (group.size() > 1) {
                    for (int i = 0; i < group.size(); i++) restoreAndFinish(List.of(group.get(i)), List.of(reads.get(i)));
                } else {
                    release(reads.get(0).memory());
                    finishing.add(CompletableFuture.completedFuture(rows.error(group.get(0).item(), e, reads.get(0).startNanos())));
                }
                return;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String device = model.device();
            String scan = model.scan();
            for (int i = 0; i < group.size(); i++) {
                LoadedImage img = group.get(i);
                PlanarImage out = restored.get(i);
                Read r = reads.get(i);
                finishing.add(CompletableFuture.supplyAsync(() -> finisher.finish(img, out, device, scan, ms, r.startNanos()), finishExec)
                        .whenComplete((row, e) -> release(r.memory())));
            }
        }

        /** Hands rows to the sink until at most {@code keep} finishing images are pending (and the next is not done yet). */
        private void drain(int keep) throws IOException {
            while (!finishing.isEmpty() && (finishing.size() > keep || finishing.peek().isDone())) {
                try {
                    sink.accept(await(finishing.poll()));
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        }
    }

    /**
     * {@code e} when it is a problem of the image (it becomes an error row); rethrows what must end
     * the task: storage failures, cancellation, an explicitly requested GPU that cannot start, a device fault, and errors of the JVM such as an OutOfMemoryError (a
     * decoder's stack overflow on a hostile file is the image's problem when {@code decoding}).
     */
    private static Throwable imageProblem(Throwable e, boolean decoding) {
        if (e instanceof StorageFailure || e instanceof CancellationException || e instanceof DeviceUnavailableException
                || e instanceof DeviceFaultException) {
            throw (RuntimeException) e;
        }
        if (e instanceof StackOverflowError && decoding) return e;
        if (e instanceof Error err) throw err;
        return e;
    }

    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof Error err) throw err;
        if (e instanceof RuntimeException re) return re;
        return new IllegalStateException(e);
    }

    private static <T> T await(CompletableFuture<T> f) throws ExecutionException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the image pipeline");
        }
    }

    private java.util.concurrent.ThreadFactory worker(String name) {
        return r -> {
            Thread t = new Thread(() -> {
                workerSetup.run();
                r.run();
            }, name);
            t.setDaemon(true);
            return t;
        };
    }
}
