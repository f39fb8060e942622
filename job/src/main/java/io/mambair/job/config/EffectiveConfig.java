package io.mambair.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.util.Map;
import java.util.regex.Pattern;

/** Renders the effective configuration for logs and for the file written beside the tables, with secrets redacted. */
public final class EffectiveConfig {
    /** Replacement text of a secret value. */
    public static final String REDACTED = "*** redacted ***";
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(secret|password|passwd|pwd|token|credential|session|signature|(access|account|private|encryption|api|secret)[.-]?key|(^|[.\"-])key([.\"-]|$)).*");

    private EffectiveConfig() {}

    /** HOCON text of the {@code mambair} section, secret values replaced by {@link #REDACTED}. */
    public static String render(Config config) {
        Config section = config.getConfig(ConfigSources.ROOT).atPath(ConfigSources.ROOT);
        for (Map.Entry<String, ConfigValue> e : section.entrySet()) {
            if (isSecret(e.getKey()) && !String.valueOf(e.getValue().unwrapped()).isEmpty()) {
                section = section.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(REDACTED));
            }
        }
        return section.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    /**
     * True for a key whose value must never be printed: it names a secret, password, token,
     * credential, session, signature, or a key (access/account/private/encryption/api key, or a
     * path segment that is just "key", such as fs.azure.account.key.NAME).
     */
    public static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }
}
