package io.mambair.job.input;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file-stem template such as {@code {name}x{scale}}: {@code {name}} matches any text and
 * {@code {scale}} the model scale; everything else is literal.
 */
public final class NameTemplate {
    private final String template;
    private final int scale;
    private final Pattern pattern;

    public NameTemplate(String template, int scale) {
        if (!template.contains("{name}")) throw new IllegalArgumentException("template '" + template + "' must contain {name}");
        this.template = template;
        this.scale = scale;
        StringBuilder re = new StringBuilder("^");
        String rest = template.replace("{scale}", Integer.toString(scale));
        int at = rest.indexOf("{name}");
        re.append(Pattern.quote(rest.substring(0, at))).append("(.+)").append(Pattern.quote(rest.substring(at + "{name}".length()))).append('$');
        this.pattern = Pattern.compile(re.toString());
    }

    /** The {@code {name}} part of {@code stem}, when the stem fits the template. */
    public Optional<String> match(String stem) {
        Matcher m = pattern.matcher(stem);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The stem this template gives for {@code name}. */
    public String format(String name) {
        return template.replace("{scale}", Integer.toString(scale)).replace("{name}", name);
    }
}
