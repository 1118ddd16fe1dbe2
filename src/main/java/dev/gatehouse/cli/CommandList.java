package dev.gatehouse.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.config.CliConfig;
import dev.gatehouse.http.Json;

/** The documents and parameters of the CLI endpoints that are not events. */
final class CommandList
{
    private CommandList()
    {
    }

    /** {@code GET commands}: the declared commands with their limits, and the global ones. */
    static String json(CliConfig c, int running)
    {
        StringBuilder b = new StringBuilder("{\"commands\":[");
        boolean first = true;
        for (CliConfig.Command cmd : c.commands().values())
        {
            b.append(first ? "" : ",").append("{\"name\":").append(Json.quote(cmd.name()))
                .append(",\"path\":").append(Json.quote(cmd.path().toString()))
                .append(",\"args_pattern\":").append(Json.quote(cmd.argsPattern() == null ? null : cmd.argsPattern().pattern()))
                .append(",\"timeout_ms\":").append(cmd.timeout().toMillis())
                .append(",\"max_output\":").append(cmd.maxOutput())
                .append(",\"max_memory\":").append(cmd.maxMemory())
                .append(",\"max_cpu_seconds\":").append(cmd.maxCpuSeconds()).append('}');
            first = false;
        }
        b.append("],\"max_concurrent\":").append(c.maxConcurrent()).append(",\"queue\":").append(c.queue())
            .append(",\"running\":").append(running).append(",\"env_allowed\":[");
        first = true;
        for (String e : c.envAllowed())
        {
            b.append(first ? "" : ",").append(Json.quote(e));
            first = false;
        }
        return b.append("]}\n").toString();
    }

    /** The query string's parameters, decoded, in order (never the body: a form-typed upload stays stdin). */
    static List<String[]> query(String query)
    {
        List<String[]> params = new ArrayList<>();
        if (query == null || query.isEmpty())
            return params;
        for (String part : query.split("&"))
        {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            try
            {
                params.add(new String[] {URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8)});
            }
            catch (IllegalArgumentException ignored)
            {
                // malformed escape: skipped
            }
        }
        return params;
    }
}
