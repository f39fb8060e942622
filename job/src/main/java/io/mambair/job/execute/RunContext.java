package io.mambair.job.execute;

import io.mambair.job.config.JobSettings;
import io.mambair.runtime.model.ResolvedModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.SerializableConfiguration;

import java.io.Serializable;

/**
 * Everything a task needs besides its work items, shipped once per executor as a broadcast: the
 * settings, the model resolved on the driver (ONNX bytes included), the labels of the run and the
 * Hadoop configuration (credentials for s3a:// and hdfs://).
 */
public record RunContext(JobSettings settings, ResolvedModel model, String runId, String dataset, String task,
                         String rowStoreFolder, SerializableConfiguration hadoop) implements Serializable {
    public RunContext(JobSettings settings, ResolvedModel model, String runId, String dataset, String task,
                      String rowStoreFolder, Configuration hadoop) {
        this(settings, model, runId, dataset, task, rowStoreFolder, new SerializableConfiguration(hadoop));
    }

    public Configuration conf() { return hadoop.value(); }

    /** The crop border of the metrics: the configured one, or the model scale when it is -1. */
    public int cropBorder() {
        int c = settings.benchmark().cropBorder();
        return c < 0 ? model.scale() : c;
    }
}
