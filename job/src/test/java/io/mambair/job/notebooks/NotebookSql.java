package io.mambair.job.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Jupyter notebook's code as the tests see it: its code cells, SQL queries and registered table views. */
final class NotebookSql {
    private static final Pattern SQL_CALL = Pattern.compile("spark\\.sql\\(\\s*\"\"\"(.*?)\"\"\"\\s*\\)", Pattern.DOTALL);
    private static final Pattern PARQUET_VIEW =
            Pattern.compile("spark\\.read\\.parquet\\(TABLES \\+ \"/(\\w+)\"\\)\\.createOrReplaceTempView\\(\"(\\w+)\"\\)");

    final JsonNode notebook;
    final List<String> codeCells = new ArrayList<>();

    NotebookSql(Path file) throws IOException {
        notebook = new ObjectMapper().readTree(file.toFile());
        for (JsonNode cell : notebook.get("cells")) {
            if (cell.get("cell_type").asText().equals("code")) codeCells.add(source(cell));
        }
    }

    /** A cell's source: nbformat allows one string or a list of lines. */
    static String source(JsonNode cell) {
        JsonNode s = cell.get("source");
        if (s.isTextual()) return s.asText();
        StringBuilder b = new StringBuilder();
        s.forEach(line -> b.append(line.asText()));
        return b.toString();
    }

    /** Every query in notebook order: {@code spark.sql("""...""")} strings and whole {@code %sql} cells. */
    List<String> queries() {
        List<String> out = new ArrayList<>();
        for (String code : codeCells) {
            if (code.startsWith("%sql")) {
                out.add(code.substring(4).trim());
                continue;
            }
            Matcher m = SQL_CALL.matcher(code);
            while (m.find()) out.add(m.group(1).trim());
        }
        return out;
    }

    /** How many times the code calls {@code spark.sql(} at all (to prove no query escapes {@link #queries()}). */
    int sqlCalls() {
        int n = 0;
        for (String code : codeCells) n += code.startsWith("%sql") ? 1 : code.split("spark\\.sql\\(", -1).length - 1;
        return n;
    }

    /** Table folder (images, summary) -> the view name the notebook registers it under. */
    Map<String, String> parquetViews() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String code : codeCells) {
            Matcher m = PARQUET_VIEW.matcher(code);
            while (m.find()) out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
