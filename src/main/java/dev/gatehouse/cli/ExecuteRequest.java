package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Durations;
import dev.gatehouse.http.ErrorCode;

/**
 * The body of {@code POST /cli/execute}: {@code {"command","args","stdin","env","stream","timeout",
 * "encoding","detach"}}. Unknown members are refused, so a typo is not silently ignored.
 */
record ExecuteRequest(String command, List<String> args, byte[] stdin, Map<String, String> env, boolean stream,
                      Duration timeout, boolean base64, boolean detach)
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MEMBERS = Set.of("command", "args", "stdin", "env", "stream", "timeout", "encoding", "detach");

    static ExecuteRequest parse(byte[] body) throws CliRejection
    {
        JsonNode root;
        try
        {
            root = JSON.readTree(body);
        }
        catch (IOException x)
        {
            throw bad("The body must be a JSON object");
        }
        if (root == null || !root.isObject())
            throw bad("The body must be a JSON object");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); )
        {
            String name = names.next();
            if (!MEMBERS.contains(name))
                throw bad("Unknown member in the request body; allowed: " + String.join(", ", new TreeSet<>(MEMBERS)));
        }
        JsonNode command = root.get("command");
        if (command == null || !command.isTextual() || command.asText().isEmpty())
            throw bad("\"command\" must be a non-empty string");
        List<String> args = new ArrayList<>();
        JsonNode a = root.get("args");
        if (a != null && !a.isNull())
        {
            if (!a.isArray())
                throw bad("\"args\" must be an array of strings");
            for (JsonNode n : a)
            {
                if (!n.isTextual())
                    throw bad("\"args\" must be an array of strings");
                args.add(n.asText());
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = root.get("env");
        if (e != null && !e.isNull())
        {
            if (!e.isObject())
                throw bad("\"env\" must be an object of strings");
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); )
            {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().isTextual())
                    throw bad("\"env\" must be an object of strings");
                env.put(f.getKey(), f.getValue().asText());
            }
        }
        byte[] stdin = text(root, "stdin") == null ? new byte[0] : text(root, "stdin").getBytes(StandardCharsets.UTF_8);
        Duration timeout = null;
        String t = text(root, "timeout");
        if (t != null)
        {
            try
            {
                timeout = Durations.parse("timeout", t);
            }
            catch (ConfigException x)
            {
                throw bad("\"timeout\" must be a duration such as 30s or 500ms");
            }
        }
        String encoding = text(root, "encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("base64") && !encoding.equalsIgnoreCase("utf-8"))
            throw bad("\"encoding\" must be utf-8 or base64");
        return new ExecuteRequest(command.asText(), args, stdin, env, bool(root, "stream", true), timeout,
            "base64".equalsIgnoreCase(encoding), bool(root, "detach", false));
    }

    private static String text(JsonNode root, String name) throws CliRejection
    {
        JsonNode n = root.get(name);
        if (n == null || n.isNull())
            return null;
        if (!n.isTextual())
            throw bad("\"" + name + "\" must be a string");
        return n.asText();
    }

    private static boolean bool(JsonNode root, String name, boolean dflt) throws CliRejection
    {
        JsonNode n = root.get(name);
        if (n == null || n.isNull())
            return dflt;
        if (!n.isBoolean())
            throw bad("\"" + name + "\" must be true or false");
        return n.asBoolean();
    }

    private static CliRejection bad(String message)
    {
        return new CliRejection(ErrorCode.BAD_REQUEST, "cli-bad-request", message);
    }
}
