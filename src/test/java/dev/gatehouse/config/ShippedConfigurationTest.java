package dev.gatehouse.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped etc/gatehouse.properties and docs/configuration.md stay true to the code. */
class ShippedConfigurationTest
{
    static final Path ETC = Path.of("etc/gatehouse.properties");
    static final Path DOC = Path.of("docs/configuration.md");

    @Test
    void etcPropertiesListsEveryKeyWithItsDefault()
    {
        Map<String, String> file = ConfigLoader.readFile(ETC);
        ConfigKeys.defaults().forEach((key, value) ->
        {
            assertTrue(file.containsKey(key), "etc/gatehouse.properties lacks " + key);
            assertEquals(value, file.get(key), "etc/gatehouse.properties shows a default for " + key + " that the code does not use");
        });
    }

    @Test
    void etcPropertiesIsAValidConfiguration()
    {
        GatehouseConfig config = ConfigLoader.fromMap(ConfigLoader.readFile(ETC));
        assertEquals(8080, config.proxyPort());
    }

    @Test
    void configurationReferenceDocumentsEveryKey() throws Exception
    {
        String doc = Files.readString(DOC);
        for (String key : ConfigKeys.defaults().keySet())
            assertTrue(doc.contains("`" + key + "`"), "docs/configuration.md lacks " + key);
        for (String suffix : ConfigKeys.ROUTE_SUFFIXES)
            assertTrue(doc.contains("`routes.<name>." + suffix + "`"), "docs/configuration.md lacks routes.<name>." + suffix);
        assertTrue(doc.contains("`routes.<name>." + ConfigKeys.ROUTE_MATCH_HEADER_PREFIX + "<Header>`"));
    }
}
