package io.mambair.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durable record of finished images: each task attempt writes its rows as JSON lines into files
 * of its own ({@code <runId>/part-<partition>-attempt-<taskAttemptId>-<n>.jsonl}, each written
 * atomically, a new one every {@value #ROWS_PER_FILE} rows or {@value #SECONDS_PER_FILE} s), so a
 * killed executor loses at most the rows of its unwritten batch and concurrent attempts of one
 * partition (retries, speculation) never share a file. The driver commits only the files of the
 * attempts that succeeded ({@link #readCommitted}); resume reads every file ({@link #readAll}).
 */
public final class RowStore {
    static final int ROWS_PER_FILE = 16;
    static final int SECONDS_PER_FILE = 20;
    private static final Pattern FILE = Pattern.compile("part-(\\d+)-attempt-(\\d+)-(\\d+)\\.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String folder;

    /** A store in {@code folder} (created on first write). */
    public RowStore(String folder) { this.folder = folder; }

    public String folder() { return folder; }

    /** A writer for the rows of one task attempt of run {@code runId}; close it to write the last batch. */
    public Attempt open(String runId, int partition, long taskAttemptId, Configuration conf) {
        return new Attempt(new Path(folder, runId), partition, taskAttemptId, conf);
    }

    /** Every recorded row of every run (for resume), or an empty frame when nothing was recorded yet. */
    public Dataset<Row> readAll(SparkSession spark) throws IOException {
        Path p = new Path(folder);
        if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) return empty(spark);
        return spark.read().schema(ImageRow.SCHEMA).option("recursiveFileLookup", "true").option("pathGlobFilter", "*.jsonl")
                .json(folder);
    }

    /** The rows of run {@code runId} written by the given (successful) task attempts only. */
    public Dataset<Row> readCommitted(SparkSession spark, String runId, Collection<Long> taskAttemptIds) throws IOException {
        Path dir = new Path(folder, runId);
        FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(dir)) return empty(spark);
        List<String> files = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            Matcher m = FILE.matcher(st.getPath().getName());
            if (m.matches() && taskAttemptIds.contains(Long.parseLong(m.group(2)))) files.add(st.getPath().toString());
        }
        if (files.isEmpty()) return empty(spark);
        return spark.read().schema(ImageRow.SCHEMA).json(files.toArray(String[]::new));
    }

    private static Dataset<Row> empty(SparkSession spark) {
        return spark.createDataFrame(List.of(), ImageRow.SCHEMA);
    }

    /** Buffers the rows of one task attempt and writes them in batches, each batch one file. */
    public static final class Attempt implements AutoCloseable {
        private final Path dir;
        private final int partition;
        private final long attemptId;
        private final Configuration conf;
        private final List<ImageRow> pending = new ArrayList<>();
        private long lastWrite = System.nanoTime();
        private int files;

        private Attempt(Path dir, int partition, long attemptId, Configuration conf) {
            this.dir = dir;
            this.partition = partition;
            this.attemptId = attemptId;
            this.conf = conf;
        }

        /** Records {@code row}; writes the batch when it is full or old enough. */
        public void add(ImageRow row) throws IOException {
            pending.add(row);
            if (pending.size() >= ROWS_PER_FILE || System.nanoTime() - lastWrite > SECONDS_PER_FILE * 1_000_000_000L) flush();
        }

        private void flush() throws IOException {
            lastWrite = System.nanoTime();
            if (pending.isEmpty()) return;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (ImageRow r : pending) {
                bytes.write(JSON.writeValueAsBytes(r));
                bytes.write('\n');
            }
            AtomicFiles.write(new Path(dir, "part-" + partition + "-attempt-" + attemptId + "-" + files + ".jsonl").toString(),
                    bytes.toByteArray(), conf);
            files++;
            pending.clear();
        }

        /** Writes the rows not yet written. */
        @Override
        public void close() throws IOException { flush(); }
    }
}
