package dev.gatehouse.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.config.Durations;

/** YAML files of docker/ as Jackson trees. */
final class Yaml
{
    private static final YAMLMapper MAPPER = new YAMLMapper();

    private Yaml()
    {
    }

    static JsonNode read(Path file) throws IOException
    {
        return MAPPER.readTree(file.toFile());
    }

    /** Every document of a multi-document file. */
    static List<JsonNode> readAll(Path file) throws IOException
    {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = MAPPER.createParser(file.toFile()); MappingIterator<JsonNode> it = MAPPER.readValues(parser, JsonNode.class))
        {
            while (it.hasNext())
                documents.add(it.next());
        }
        return documents;
    }

    /** A duration such as {@code 40s} or {@code 1m}, in seconds (Gatehouse's and Compose's syntax agree on these). */
    static long seconds(String duration)
    {
        return Durations.parse("duration", duration).toSeconds();
    }
}
