package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest
{
    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "abc-DEF_123.xyz", "...", "-", "_", "550e8400-e29b-41d4-a716-446655440000"})
    void acceptsLettersDigitsDotUnderscoreDash(String id)
    {
        assertTrue(RequestIds.isWellFormed(id), id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a/b", "a:b", "a;b", "a\"b", "a<b", "a\nb", "a\rb", "é", "a\u0000", "a+b", "{id}"})
    void rejectsOtherCharactersAndEmpty(String id)
    {
        assertFalse(RequestIds.isWellFormed(id), id);
    }

    @Test
    void rejectsNull()
    {
        assertFalse(RequestIds.isWellFormed(null));
    }

    @Test
    void acceptsUpTo128Characters()
    {
        assertEquals(128, RequestIds.MAX_LENGTH);
        assertTrue(RequestIds.isWellFormed("a".repeat(128)));
        assertFalse(RequestIds.isWellFormed("a".repeat(129)));
    }

    @Test
    void generatedIdsAreTwentyLowerCaseBase36Characters()
    {
        for (int i = 0; i < 200; i++)
        {
            String id = RequestIds.generate();
            assertEquals(20, id.length(), id);
            assertTrue(id.matches("[0-9a-z]{20}"), id);
            assertTrue(RequestIds.isWellFormed(id), id);
        }
    }

    @Test
    void generatedIdsAreDistinct()
    {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
            ids.add(RequestIds.generate());
        assertEquals(10_000, ids.size());
    }

    @Test
    void generatedIdsUseTheWholeAlphabetAtEveryPosition()
    {
        // catches an id whose digits are stuck (for example always '0' in the high positions)
        @SuppressWarnings("unchecked")
        Set<Character>[] seen = new Set[20];
        for (int p = 0; p < 20; p++)
            seen[p] = new HashSet<>();
        for (int i = 0; i < 2000; i++)
        {
            String id = RequestIds.generate();
            for (int p = 0; p < 20; p++)
                seen[p].add(id.charAt(p));
        }
        for (int p = 0; p < 20; p++)
            assertTrue(seen[p].size() > 20, "position " + p + " only used " + seen[p]);
    }

    @Test
    void chooseKeepsWellFormedIncomingId()
    {
        assertEquals("client-id.1", RequestIds.choose("client-id.1"));
    }

    @Test
    void chooseReplacesMissingOrMalformedIncomingId()
    {
        for (String bad : new String[] {null, "", "a b", "x".repeat(129), "evil\r\nX-Injected: 1"})
        {
            String chosen = RequestIds.choose(bad);
            assertNotEquals(bad, chosen);
            assertEquals(20, chosen.length());
            assertTrue(RequestIds.isWellFormed(chosen));
        }
    }

    @Test
    void ofReadsTheRequestAttribute()
    {
        assertEquals("rid-1", RequestIds.of(request(Map.of(RequestIds.ATTRIBUTE, "rid-1"))));
        assertNull(RequestIds.of(request(Map.of())));
    }

    /** A ServletRequest that answers getAttribute from a map and nothing else. */
    private static ServletRequest request(Map<String, Object> attributes)
    {
        return (ServletRequest)Proxy.newProxyInstance(RequestIdsTest.class.getClassLoader(),
            new Class<?>[] {ServletRequest.class}, (proxy, method, args) ->
            {
                if (method.getName().equals("getAttribute"))
                    return attributes.get((String)args[0]);
                throw new UnsupportedOperationException(method.getName());
            });
    }
}
