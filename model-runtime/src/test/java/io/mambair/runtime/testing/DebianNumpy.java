package io.mambair.runtime.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs a Python script under Debian's {@code /usr/bin/python3} with NumPy and OpenCV (packages
 * python3-numpy and python3-opencv, installed by {@code .ci/run}) as the independent reference;
 * where that interpreter or its modules are missing, tests are skipped naming them ({@link TestRequirements}: a
 * failure under strict CI).
 */
public final class DebianNumpy {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private DebianNumpy() {}

    /** Skips the calling test (fails it under strict CI) unless {@code /usr/bin/python3} imports numpy and cv2. */
    public static void require() throws IOException, InterruptedException {
        String resource = PYTHON + " with numpy and cv2 (apt-get install python3-numpy python3-opencv)";
        TestRequirements.require(Files.isExecutable(PYTHON), resource);
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy, cv2").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        TestRequirements.require(p.waitFor() == 0, resource);
    }

    /** Runs {@code script} with {@code args} ({@code sys.argv[1:]}), failing the test on a non-zero exit; returns its output. */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        require();
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) p.destroyForcibly();
        assertEquals(0, p.exitValue(), "python failed:\n" + out);
        return out;
    }

    /** A raw little-endian file ({@code ndarray.astype('<u4').tofile}) as unsigned 32-bit words. */
    public static long[] readUInt32(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) out[i] = b.getInt() & 0xffffffffL;
        return out;
    }

    /** A raw little-endian file ({@code ndarray.astype('<f8').tofile}) as doubles. */
    public static double[] readFloat64(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[b.remaining() / 8];
        for (int i = 0; i < out.length; i++) out[i] = b.getDouble();
        return out;
    }

    /** A raw 8-bit file ({@code ndarray.astype(np.uint8).tofile}) as unsigned values. */
    public static int[] readUInt8(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xff;
        return out;
    }
}
