package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest
{
    @Test
    void quotesPlainText()
    {
        assertEquals("\"hello world\"", Json.quote("hello world"));
        assertEquals("\"\"", Json.quote(""));
    }

    @Test
    void nullBecomesJsonNull()
    {
        assertEquals("null", Json.quote(null));
    }

    @Test
    void escapesQuoteAndBackslash()
    {
        assertEquals("\"say \\\"hi\\\"\"", Json.quote("say \"hi\""));
        assertEquals("\"C:\\\\dir\"", Json.quote("C:\\dir"));
    }

    @Test
    void escapesNewlineCarriageReturnAndTab()
    {
        assertEquals("\"a\\nb\\rc\\td\"", Json.quote("a\nb\rc\td"));
    }

    @Test
    void escapesOtherControlCharactersAsUnicode()
    {
        assertEquals("\"\\u0000\\u0001\\u001f\\u0008\\u000c\"", Json.quote("\u0000\u0001\u001f\b\f"));
    }

    @Test
    void escapesHtmlSignificantCharacters()
    {
        assertEquals("\"\\u003cscript\\u003e\\u0026\"", Json.quote("<script>&"));
    }

    @Test
    void escapesJavaScriptLineSeparators()
    {
        assertEquals("\"\\u2028\\u2029\"", Json.quote("\u2028\u2029"));
    }

    @Test
    void keepsNonAsciiAndDeleteAsIs()
    {
        assertEquals("\"caf\u00e9 \u20ac \uD83D\uDE00 \u007f/\"", Json.quote("caf\u00e9 \u20ac \uD83D\uDE00 \u007f/"));
    }

    @Test
    void appendQuotedAppendsToExistingText()
    {
        StringBuilder b = new StringBuilder("{\"k\":");
        Json.appendQuoted(b, "v\"");
        Json.appendQuoted(b.append(",\"n\":"), null);
        assertEquals("{\"k\":\"v\\\"\",\"n\":null", b.toString());
    }
}
