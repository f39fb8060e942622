package io.mambair.job.input;

import io.mambair.job.partition.ShippedGroups;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

import java.util.ArrayList;
import java.util.List;

/** Reads the headers of all listed files in one Spark job, the file lists shipped by broadcast (not in task closures). */
public final class HeaderStage {
    private HeaderStage() {}

    /** The header of each of {@code files}, in the same order, read by {@code tasks} tasks at most. */
    public static List<HeaderProbe.Result> read(JavaSparkContext jsc, List<ListedFile> files, int tasks) {
        if (files.isEmpty()) return List.of();
        int n = Math.max(1, Math.min(files.size(), tasks));
        List<List<ListedFile>> chunks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            chunks.add(new ArrayList<>(files.subList((int) ((long) files.size() * i / n), (int) ((long) files.size() * (i + 1) / n))));
        }
        Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        ShippedGroups<ListedFile> shipped = ShippedGroups.of(chunks);
        Broadcast<ShippedGroups<ListedFile>> bc = jsc.broadcast(shipped);
        List<HeaderProbe.Result> out = jsc.parallelize(shipped.numbers(), n)
                .mapPartitions(ShippedGroups.feeding(bc, groups -> {
                    List<HeaderProbe.Result> results = new ArrayList<>();
                    while (groups.hasNext()) for (ListedFile f : groups.next()) results.add(HeaderProbe.probe(f, conf.value().value()));
                    return results.iterator();
                }))
                .collect();
        bc.destroy();
        conf.destroy();
        return out;
    }
}
