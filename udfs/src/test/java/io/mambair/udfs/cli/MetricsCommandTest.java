package io.mambair.udfs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mambair.runtime.testing.SharedData;
import org.junit.jupiter.api.Test;
import io.mambair.runtime.cli.CommandErrors;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mambair metrics} prints the official values of the protocol fixture as JSON. */
class MetricsCommandTest {

    @Test
    void printsTheOfficialPsnrAndSsimOfTheFixtureOutputAsJson() throws IOException {
        Path dir = SharedData.fixture("protocol_light_sr_x2_tiled");
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("config.json").toFile()).get("metrics");
        StringWriter out = new StringWriter();
        CommandLine cmd = CommandErrors.commandLine(new MetricsCommand());
        cmd.setOut(new PrintWriter(out));
        int code = cmd.execute("--reference", dir.resolve("gt.png").toString(), "--image", dir.resolve("output.npy").toString(),
                "--crop-border", "2", "--y-channel");
        assertEquals(0, code);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(2, json.size());
        assertEquals(expected.get("psnr_tiled_output_vs_gt").asDouble(), json.get("psnr").asDouble(), 1e-6);
        assertEquals(expected.get("ssim_tiled_output_vs_gt").asDouble(), json.get("ssim").asDouble(), 1e-6);
    }

    @Test
    void aMissingFileIsAOneLineError() {
        StringWriter err = new StringWriter();
        CommandLine cmd = CommandErrors.commandLine(new MetricsCommand());
        cmd.setErr(new PrintWriter(err));
        assertEquals(1, cmd.execute("--reference", "/nonexistent/gt.png", "--image", "/nonexistent/x.png"));
        assertTrue(err.toString().startsWith("metrics: no such file: /nonexistent/gt.png"), err.toString());
    }
}
