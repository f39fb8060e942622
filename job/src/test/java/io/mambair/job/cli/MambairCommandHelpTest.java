package io.mambair.job.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's help: {@code mambair help <command>} works, and every option of the user commands says what it does and its default. */
class MambairCommandHelpTest {
    // bench is a benchmark harness moving out of the production jars; its help is not part of the user commands.
    private static final Set<String> USER_COMMANDS = Set.of("inspect", "convert", "restore", "metrics", "degrade", "run");

    @Test
    void everyOptionOfEveryUserCommandHasTextAndItsDefault() {
        CommandLine root = new CommandLine(new MambairCommand());
        List<String> missing = new ArrayList<>();
        for (String name : USER_COMMANDS) {
            CommandLine sub = root.getSubcommands().get(name);
            assertTrue(sub != null, name);
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) continue;
                String text = String.join(" ", o.description()).toLowerCase(Locale.ROOT);
                if (text.isBlank() || !(text.contains("default") || text.contains("required"))) missing.add(name + " " + o.longestName() + ": " + text);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void helpCommandPrintsTheUsageOfACommand() {
        StringWriter out = new StringWriter();
        CommandLine root = new CommandLine(new MambairCommand());
        root.setOut(new PrintWriter(out, true));
        assertEquals(0, root.execute("help", "restore"));
        assertTrue(out.toString().startsWith("Usage: mambair restore"), out.toString());
        assertTrue(out.toString().contains("-i, --input=IN"), out.toString());
    }
}
