package io.mambair.job.input;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NameTemplateTest {
    @Test
    void pairsBenchmarkLowResolutionNamesWithTheirReferences() {
        NameTemplate lq = new NameTemplate("{name}x{scale}", 3);
        assertEquals(Optional.of("baby"), lq.match("babyx3"));
        assertEquals(Optional.empty(), lq.match("babyx2"));
        assertEquals("baby", new NameTemplate("{name}", 3).format("baby"));
        assertEquals(Optional.of("7"), new NameTemplate("NOISY_{name}", 1).match("NOISY_7"));
        assertEquals("GT_7", new NameTemplate("GT_{name}", 1).format("7"));
    }

    @Test
    void regexCharactersInTemplatesAreLiteral() {
        assertEquals(Optional.of("a"), new NameTemplate("{name}.x{scale}", 2).match("a.x2"));
        assertEquals(Optional.empty(), new NameTemplate("{name}.x{scale}", 2).match("abx2"));
    }
}
