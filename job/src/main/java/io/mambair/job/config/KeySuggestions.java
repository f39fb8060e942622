package io.mambair.job.config;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The one-line problem for an unknown configuration key: the closest known key ("did you mean"), else the keys of its section. */
final class KeySuggestions {
    private KeySuggestions() {}

    /** "unknown key 'restore.tile-mod' (--set); did you mean 'restore.tile-mode'?" */
    static String unknownKey(String key, String origin, List<String> known) {
        String head = "unknown key '" + key + "' (" + origin + ")";
        String best = closest(key, known);
        if (best != null) return head + "; did you mean '" + best + "'?";
        String section = key.contains(".") ? key.substring(0, key.lastIndexOf('.') + 1) : "";
        List<String> siblings = known.stream().filter(k -> k.startsWith(section) && !section.isEmpty()).toList();
        return head + "; valid keys" + (siblings.isEmpty() ? ": " + String.join(", ", known)
                : " under '" + section + "': " + siblings.stream().collect(Collectors.joining(", ")));
    }

    /** The known key nearest to {@code key} by edit distance, when near enough to be a typo (a fifth of its length, at least 2), else null. */
    static String closest(String key, List<String> known) {
        int limit = Math.max(2, key.length() / 5);
        LevenshteinDistance distance = new LevenshteinDistance(limit);
        return known.stream()
                .filter(k -> distance.apply(key, k) >= 0)
                .min(Comparator.comparingInt((String k) -> distance.apply(key, k)).thenComparing(Comparator.naturalOrder()))
                .orElse(null);
    }
}
