package dev.gatehouse.observe;

import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogFieldsTest
{
    private static String json(LogFields fields)
    {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = new JsonFactory().createGenerator(ObjectWriteContext.empty(), out))
        {
            generator.writeStartObject();
            fields.writeTo(generator);
            generator.writeEndObject();
        }
        return out.toString();
    }

    @Test
    void writesEachValueWithItsJsonType()
    {
        LogFields fields = LogFields.of("method", "GET", "status", 200, "bytes_sent", 64L, "websocket", true, "trace_id", null,
            "url", "/a\"b");
        assertEquals("{\"method\":\"GET\",\"status\":200,\"bytes_sent\":64,\"websocket\":true,\"trace_id\":null,\"url\":\"/a\\\"b\"}",
            json(fields));
    }

    @Test
    void printsAsNameValuePairs()
    {
        assertEquals("method=GET status=200 trace_id=null", LogFields.of("method", "GET", "status", 200, "trace_id", null).toString());
    }

    @Test
    void refusesAnOddArgumentList()
    {
        assertThrows(IllegalArgumentException.class, () -> LogFields.of("method"));
    }
}
