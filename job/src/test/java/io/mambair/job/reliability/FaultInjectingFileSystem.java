package io.mambair.job.reliability;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.TaskContext;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;

/**
 * The real local file system under the scheme {@code faulty://}, with deterministic fault hooks set
 * through the job's own {@code hadoop {}} keys (so they reach executor JVMs too):
 * <ul>
 *   <li>{@code faulty.vanish-after-listing = NAME}: the file NAME is deleted right after the listing
 *       of its folder returned it (a file deleted between listing and reading);</li>
 *   <li>{@code faulty.on-restore-read = NAME}, {@code faulty.action = kill-jvm | stall | slow | fail-task},
 *       {@code faulty.marker-dir = DIR}: when a task of the restore stage (job description containing
 *       "restore") opens NAME, once per marker dir, the marker {@code DIR/fired} is created and then
 *       the JVM is killed with SIGKILL ({@code kill-jvm}), the reading thread blocks forever
 *       ({@code stall}, for a test that kills the driver from outside), the open takes
 *       {@value #SLOW_SECONDS} s or until the task is killed ({@code slow}: a straggler for speculation), or the open fails with an
 *       IOException ({@code fail-task}: the task attempt fails and Spark retries it).</li>
 * </ul>
 * Registered with {@code fs.faulty.impl}; use {@code fs.faulty.impl.disable.cache = true} so each
 * run's settings apply.
 */
public class FaultInjectingFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "faulty";
    private static final URI NAME = URI.create(SCHEME + ":///");
    static final int SLOW_SECONDS = 60;

    /** The Hadoop entries (for the job's {@code hadoop {}} section) that register this file system. */
    public static Map<String, String> registration() {
        return Map.of("fs.faulty.impl", FaultInjectingFileSystem.class.getName(), "fs.faulty.impl.disable.cache", "true");
    }

    /** {@code faulty://} URI of a local path. */
    public static String uri(java.nio.file.Path local) {
        return SCHEME + "://" + local.toAbsolutePath();
    }

    @Override public URI getUri() { return NAME; }
    @Override public String getScheme() { return SCHEME; }

    // RawLocalFileSystem's own statuses resolve permissions through java.io.File(URI), which only takes
    // file: URIs; these plain statuses carry what the job reads (length, kind, time, path).
    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        File file = pathToFile(f);
        if (!file.exists()) throw new FileNotFoundException(f + " does not exist");
        return status(file, makeQualified(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        File dir = pathToFile(f);
        if (!dir.exists()) throw new FileNotFoundException(f + " does not exist");
        if (!dir.isDirectory()) return new FileStatus[] {status(dir, makeQualified(f))};
        String[] names = dir.list();
        FileStatus[] listed = new FileStatus[names == null ? 0 : names.length];
        for (int i = 0; i < listed.length; i++) listed[i] = status(new File(dir, names[i]), makeQualified(new Path(f, new Path(null, null, names[i]))));
        String vanish = getConf().get("faulty.vanish-after-listing");
        if (vanish != null) {
            for (FileStatus st : listed) {
                if (st.getPath().getName().equals(vanish)) Files.deleteIfExists(pathToFile(st.getPath()).toPath());
            }
        }
        return listed;
    }

    private FileStatus status(File file, Path qualified) {
        return new FileStatus(file.isDirectory() ? 0 : file.length(), file.isDirectory(), 1, getDefaultBlockSize(qualified),
                file.lastModified(), qualified);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        Configuration c = getConf();
        if (f.getName().equals(c.get("faulty.on-restore-read")) && inRestoreStage()) fire(c.get("faulty.action"), c.get("faulty.marker-dir"));
        return super.open(f, bufferSize);
    }

    private static boolean inRestoreStage() {
        TaskContext tc = TaskContext.get();
        String description = tc == null ? null : tc.getLocalProperty("spark.job.description");
        return description != null && description.contains(": restore ");
    }

    private static void fire(String action, String markerDir) throws IOException {
        if (!new File(markerDir, "fired").createNewFile()) return;
        Files.writeString(new File(markerDir, "pid").toPath(), Long.toString(ProcessHandle.current().pid()));
        switch (action) {
            case "kill-jvm" -> {
                try {
                    new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case "stall" -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case "slow" -> {
                try {
                    Thread.sleep(SLOW_SECONDS * 1000L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case "fail-task" -> throw new IOException("injected storage failure (faulty.action = fail-task)");
            default -> throw new IllegalArgumentException("faulty.action must be kill-jvm, stall, slow or fail-task, got " + action);
        }
    }
}
