package io.mambair.job.reliability;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Captures everything logged through log4j2 (Spark's and the job's loggers, the job's at DEBUG) and
 * everything printed to stdout/stderr while open; the streams are still printed through.
 */
final class LogCapture implements AutoCloseable {
    private final StringWriter log = new StringWriter();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final WriterAppender appender;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final Level mambairLevel;

    LogCapture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        appender = WriterAppender.newBuilder().setName("reliability-capture").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%throwable").build()).build();
        appender.start();
        cfg.addAppender(appender);
        cfg.getRootLogger().addAppender(appender, Level.ALL, null);
        LoggerConfig mambair = cfg.getLoggerConfig("io.mambair");
        mambairLevel = mambair.getLevel();
        if (!mambair.getName().equals("io.mambair")) {
            mambair = new LoggerConfig("io.mambair", Level.DEBUG, true);
            cfg.addLogger("io.mambair", mambair);
        }
        mambair.setLevel(Level.DEBUG);
        ctx.updateLoggers();
        System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, printed), true, StandardCharsets.UTF_8));
    }

    /** Everything logged and printed so far. */
    String text() {
        return log + "\n" + printed.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        cfg.getRootLogger().removeAppender(appender.getName());
        cfg.getLoggerConfig("io.mambair").setLevel(mambairLevel);
        ctx.updateLoggers();
        appender.stop();
    }

    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
