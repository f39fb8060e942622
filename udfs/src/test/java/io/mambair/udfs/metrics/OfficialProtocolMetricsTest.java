package io.mambair.udfs.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.testing.SharedData;
import io.mambair.udfs.codec.ImageFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The official BasicSR metric values stored with the protocol_light_sr_x2_tiled fixture (computed by
 * the official code on {@code output.npy} against {@code gt.png}) reproduced to 1e-6.
 */
class OfficialProtocolMetricsTest {

    @Test
    void tiledOutputMetricsMatchTheOfficialValues() throws IOException {
        Path dir = SharedData.fixture("protocol_light_sr_x2_tiled");
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("config.json").toFile()).get("metrics");
        PlanarImage gt = ImageFiles.read(dir.resolve("gt.png"), 1 << 24).color();
        PlanarImage output = ImageFiles.read(dir.resolve("output.npy"), 1 << 24).color();
        int crop = metrics.get("settings").get("crop_border").asInt();

        assertEquals(metrics.get("psnr_tiled_output_vs_gt").asDouble(), Psnr.of(gt, output, MetricOptions.basicsr(crop, true)), 1e-6);
        assertEquals(metrics.get("ssim_tiled_output_vs_gt").asDouble(), Ssim.of(gt, output, MetricOptions.basicsr(crop, true)), 1e-6);
        assertEquals(metrics.get("psnr_tiled_y_crop0").asDouble(), Psnr.of(gt, output, MetricOptions.basicsr(0, true)), 1e-6);
        assertEquals(metrics.get("psnr_tiled_rgb_crop_scale").asDouble(), Psnr.of(gt, output, MetricOptions.basicsr(crop, false)), 1e-6);
    }
}
