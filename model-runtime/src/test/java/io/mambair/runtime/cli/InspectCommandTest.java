package io.mambair.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.mambair.runtime.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mambair inspect --model M} prints the inferred architecture as JSON, and a clear error for bad checkpoints. */
class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private record Run(int exitCode, String out, String err) {}

    private static Run inspect(Path model) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CommandErrors.commandLine(new InspectCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--model", model.toString());
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsTheConstructorArgumentsOfAnOfficialClassicSrCheckpoint() throws IOException {
        Path dir = SharedData.fixture("classic_sr_x2");
        Run run = inspect(dir.resolve("model.pth"));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode printed = JSON.readTree(run.out());
        JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
        JsonNode kw = config.get("effective_kwargs");
        assertEquals("MambaIR", printed.get("family").asText());
        assertEquals("classic_sr", printed.get("task").asText());
        assertEquals(kw.get("upscale"), printed.get("scale"));
        for (String field : new String[] {"in_chans", "embed_dim", "depths", "d_state", "upsampler", "resi_connection"}) {
            assertEquals(kw.get(field), printed.get(field), field);
        }
        assertEquals(kw.get("mlp_ratio").asDouble(), printed.get("mlp_ratio").asDouble());
        assertEquals(config.get("derived").get("ss2d").get(0).get("d_inner").asInt(), printed.get("d_inner").asInt());
        assertEquals(config.get("param_count").asLong(), printed.get("parameter_count").asLong());
    }

    @Test
    void printsTheUnetLevelsAndRefinementBlocks() throws IOException {
        Path dir = SharedData.fixture("real_dn_unet");
        Run run = inspect(dir.resolve("model.pth"));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode printed = JSON.readTree(run.out());
        JsonNode kw = JSON.readTree(dir.resolve("config.json").toFile()).get("effective_kwargs");
        assertEquals("MambaIRUNet", printed.get("family").asText());
        assertEquals("real_dn", printed.get("task").asText());
        assertEquals(kw.get("num_blocks"), printed.get("depths"));
        assertEquals(kw.get("num_refinement_blocks").asInt(), printed.get("refinement_blocks").asInt());
        assertEquals(kw.get("dim").asInt(), printed.get("embed_dim").asInt());
    }

    @Test
    void aMaliciousCheckpointFailsWithTheRefusedGlobalAndPrintsNoJson() throws URISyntaxException {
        Path malicious = Path.of(InspectCommandTest.class.getResource("/checkpoint/malicious_os_system.pth").toURI());
        Run run = inspect(malicious);
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("'posix.system'"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void onnxFilesAreReportedAsUsedAsTheyAre() throws IOException {
        Path onnx = Files.write(tmp.resolve("model.onnx"), new byte[] {8, 7});
        Run run = inspect(onnx);
        assertEquals(0, run.exitCode());
        assertEquals("onnx", JSON.readTree(run.out()).get("format").asText());
    }
}
