package io.mambair.job.reliability;

import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Paths;
import java.util.Map;

/**
 * An S3Mock server in its own JVM (ecosystem.md section 6) whose store lives in a folder and is kept
 * across restarts, so a test can stop it mid-run and start it again on the same ports and data.
 */
final class S3MockServer implements AutoCloseable {
    private final String jar;
    private final File root;
    private final int http;
    private final int https;
    private final String bucket;
    private Process process;

    S3MockServer(String jar, File root, String bucket) throws java.io.IOException {
        this.jar = jar;
        this.root = root;
        this.http = freePort();
        this.https = freePort();
        this.bucket = bucket;
    }

    String endpoint() { return "http://127.0.0.1:" + http; }

    /** Starts the server and waits until it accepts connections. */
    void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar, "--server.address=127.0.0.1", "--server.port=" + https, "--http.port=" + http,
                "--com.adobe.testing.s3mock.max-payload-size=64MB")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(root, "s3mock.log")));
        pb.environment().putAll(Map.of("COM_ADOBE_TESTING_S3MOCK_STORE_INITIAL_BUCKETS", bucket,
                "COM_ADOBE_TESTING_S3MOCK_STORE_ROOT", new File(root, "store").getPath(),
                "COM_ADOBE_TESTING_S3MOCK_STORE_RETAIN_FILES_ON_EXIT", "true"));
        process = pb.start();
        long end = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < end) {
            if (!process.isAlive()) throw new IllegalStateException("S3Mock exited with " + process.exitValue() + "; see " + root + "/s3mock.log");
            try (Socket ignored = new Socket("127.0.0.1", http)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("S3Mock did not open port " + http);
    }

    /** Stops the server process and waits for it to exit. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        process.waitFor();
        process = null;
    }

    @Override
    public void close() throws InterruptedException { stop(); }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
