package dev.gatehouse.compress;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaTypesTest
{
    private final MediaTypes types = new MediaTypes(List.of("text/*", "application/json", "application/*+json", "image/svg+xml"));

    @Test
    void matchesExactTypesIgnoringParametersAndCase()
    {
        assertTrue(types.matches("application/json"));
        assertTrue(types.matches("Application/JSON; charset=utf-8"));
        assertTrue(types.matches("image/svg+xml"));
        assertFalse(types.matches("application/jsonp"));
    }

    @Test
    void matchesWholeTypeWildcards()
    {
        assertTrue(types.matches("text/html"));
        assertTrue(types.matches("text/event-stream"));
        assertFalse(types.matches("texts/html"));
        assertFalse(types.matches("image/png"));
    }

    @Test
    void matchesSuffixWildcards()
    {
        assertTrue(types.matches("application/problem+json"));
        assertFalse(types.matches("application/problem+xml"));
    }

    @Test
    void rejectsMalformedValues()
    {
        assertFalse(types.matches(null));
        assertFalse(types.matches("text"));
        assertFalse(types.matches("text/"));
        assertFalse(types.matches("/html"));
    }
}
