package io.mambair.job.reliability;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.spark.TaskContext;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real s3a file system with one hook for tests that run Spark in their own JVM (local mode): when
 * a task of the restore stage opens the file named by {@code outage.on-restore-read}, the action set
 * with {@link #onRestoreRead} runs first, once (for example: stop the S3 server).
 */
public class OutageS3AFileSystem extends S3AFileSystem {
    private static final AtomicReference<Runnable> ACTION = new AtomicReference<>();

    /** Runs {@code action} when the named file is first opened by the restore stage. */
    public static void onRestoreRead(Runnable action) { ACTION.set(action); }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        if (f.getName().equals(getConf().get("outage.on-restore-read")) && inRestoreStage()) {
            Runnable action = ACTION.getAndSet(null);
            if (action != null) action.run();
        }
        return super.open(f, bufferSize);
    }

    private static boolean inRestoreStage() {
        TaskContext tc = TaskContext.get();
        String description = tc == null ? null : tc.getLocalProperty("spark.job.description");
        return description != null && description.contains(": restore ");
    }
}
