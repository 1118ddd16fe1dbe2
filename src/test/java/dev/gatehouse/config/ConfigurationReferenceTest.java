package dev.gatehouse.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/configuration.md lists exactly the keys declared in {@link ConfigKeys}, each in a reference
 * table, with the default the code uses.
 */
class ConfigurationReferenceTest
{
    static final Path DOC = Path.of("docs/configuration.md");
    static final String ROUTE = "routes.<name>.";
    static final String COMMAND = "cli.commands.<name>.";

    /** One row of a {@code | key | ... |} table; {@code dflt} is null in tables without a default column. */
    record Row(String key, String dflt)
    {
    }

    @Test
    void tablesListExactlyTheDeclaredKeys() throws Exception
    {
        Set<String> documented = new TreeSet<>(rows().keySet());
        Set<String> declared = declared();
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(declared);
        assertEquals(Set.of(), missing, "declared in ConfigKeys but missing from the tables of docs/configuration.md");
        assertEquals(Set.of(), unknown, "listed in docs/configuration.md but not declared in ConfigKeys");
    }

    @Test
    void tablesShowTheDeclaredDefaults() throws Exception
    {
        Map<String, Row> rows = rows();
        for (Key<?> key : ConfigKeys.globalKeys())
            checkDefault(rows.get(key.name()), key);
        for (Key<?> key : ConfigKeys.routeKeys())
            checkDefault(rows.get(ROUTE + key.name()), key);
        for (Key<?> key : ConfigKeys.commandKeys())
            checkDefault(rows.get(COMMAND + key.name()), key);
    }

    /** The documented key names: global keys, per-route and per-command keys, name families. */
    static Set<String> declared()
    {
        Set<String> keys = new TreeSet<>(ConfigKeys.defaults().keySet());
        ConfigKeys.routeKeys().forEach(k -> keys.add(ROUTE + k.name()));
        ConfigKeys.commandKeys().forEach(k -> keys.add(COMMAND + k.name()));
        ConfigKeys.ROUTE_HEADER_FAMILIES.forEach(family -> keys.add(ROUTE + family + "<Header>"));
        keys.add(ROUTE + ConfigKeys.ROUTE_MATCH_QUERY_PREFIX + "<param>");
        return keys;
    }

    /**
     * A key with a default shows it first, in backticks; one that inherits a global key shows that
     * key's name; one without a default shows a description such as "(none)" or the name of the key
     * whose value it takes.
     */
    private static void checkDefault(Row row, Key<?> key)
    {
        if (row == null || row.dflt() == null)
            return; // the listing test reports missing rows; header-edit rows have no default column
        String shown = row.dflt();
        if (key.inherited() != null)
            assertEquals("`" + key.inherited().name() + "`", shown, row.key() + " inherits " + key.inherited().name());
        else if (key.defaultText() != null && !key.defaultText().isEmpty())
            assertTrue(shown.startsWith("`" + key.defaultText() + "`"), row.key() + " documents '" + shown + "', the code uses '"
                + key.defaultText() + "'");
        else if (shown.startsWith("`"))
            assertTrue(ConfigKeys.defaults().containsKey(shown.substring(1, shown.indexOf('`', 1))),
                row.key() + " has no default, but the docs show '" + shown + "'");
    }

    /** Every row of every table whose first column is "key", by key. */
    static Map<String, Row> rows() throws Exception
    {
        Map<String, Row> rows = new LinkedHashMap<>();
        boolean inTable = false;
        boolean hasDefault = false;
        for (String line : Files.readAllLines(DOC))
        {
            if (!line.startsWith("|"))
            {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.get(0).equals("key"))
            {
                inTable = true;
                hasDefault = cells.size() > 2 && cells.get(1).equals("default");
                continue;
            }
            if (!inTable || cells.get(0).startsWith("---"))
                continue;
            String key = cells.get(0);
            if (!key.startsWith("`") || !key.endsWith("`"))
                fail("docs/configuration.md: a key cell must be one `key`: " + line);
            key = key.substring(1, key.length() - 1);
            if (rows.put(key, new Row(key, hasDefault ? cells.get(1) : null)) != null)
                fail("docs/configuration.md lists " + key + " twice");
        }
        return rows;
    }

    /** The cells of a table row; {@code \|} is a pipe inside a cell. */
    private static List<String> cells(String line)
    {
        List<String> cells = new ArrayList<>();
        for (String cell : line.substring(1).split("(?<!\\\\)\\|"))
            cells.add(cell.replace("\\|", "|").trim());
        return cells;
    }
}
