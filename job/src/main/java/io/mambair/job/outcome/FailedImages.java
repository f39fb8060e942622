package io.mambair.job.outcome;

import io.mambair.job.output.ImageRow;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;

/**
 * The error rows of a run as the console lists them: how many, how many per error class, and the
 * first {@value #LISTED} by image id with their error class and message.
 */
public record FailedImages(long count, Map<String, Long> byClass, List<Failure> first) {
    /** How many failing files the console names. */
    public static final int LISTED = 10;
    private static final int MESSAGE_CHARS = 160;

    /** One failing file. */
    public record Failure(String imageId, String errorClass, String message) {}

    /** The error rows of {@code images} (table rows of one run). */
    public static FailedImages of(Dataset<Row> images) {
        Dataset<Row> errors = images.filter(col("status").equalTo(ImageRow.ERROR));
        Map<String, Long> byClass = new LinkedHashMap<>();
        long count = 0;
        for (Row r : errors.groupBy("error_class").count().orderBy(desc("count"), col("error_class")).collectAsList()) {
            byClass.put(String.valueOf(r.<String>getAs("error_class")), r.<Long>getAs("count"));
            count += r.<Long>getAs("count");
        }
        List<Failure> first = new ArrayList<>();
        for (Row r : errors.select("image_id", "error_class", "error_message").orderBy("image_id").limit(LISTED).collectAsList()) {
            first.add(new Failure(r.getString(0), r.getString(1), r.getString(2)));
        }
        return new FailedImages(count, byClass, first);
    }

    /** The console lines ("" when nothing failed): the count per class, then one line per listed file. */
    public String text() {
        if (count == 0) return "";
        List<String> classes = new ArrayList<>();
        byClass.forEach((k, v) -> classes.add(k + " " + v));
        StringBuilder b = new StringBuilder(String.format("  failed images: %d (%s)%s", count, String.join(", ", classes),
                count > first.size() ? "; the first " + first.size() + ":" : ":"));
        for (Failure f : first) b.append(String.format("%n    %s  %s: %s", f.imageId(), f.errorClass(), oneLine(f.message())));
        return b.toString();
    }

    private static String oneLine(String message) {
        String m = message == null ? "" : message.replaceAll("\\s+", " ").trim();
        return m.length() > MESSAGE_CHARS ? m.substring(0, MESSAGE_CHARS - 3) + "..." : m;
    }
}
