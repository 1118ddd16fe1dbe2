package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/operations.md's error table lists every {@link ErrorCode} with its status, in one table. */
class ErrorCodeDocsTest
{
    private static final Path OPERATIONS = Path.of("docs", "operations.md");
    private static final Pattern CODE = Pattern.compile("`([A-Z][A-Z_]+)`");

    /** The rows of the table whose header is {@code | code | status | when |}, up to its first non-row line. */
    static List<String> errorTable(List<String> lines)
    {
        int header = lines.indexOf("| code | status | when |");
        assertTrue(header >= 0, "operations.md has the error table");
        List<String> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++)
            rows.add(lines.get(i));
        return rows;
    }

    /** Code name to the status column of its row. */
    static Map<String, String> documented(List<String> rows)
    {
        Map<String, String> codes = new LinkedHashMap<>();
        for (String row : rows)
        {
            String[] cells = row.split("\\|");
            Matcher m = CODE.matcher(cells[1]);
            while (m.find())
                codes.put(m.group(1), cells[2].trim());
        }
        return codes;
    }

    @Test
    void everyErrorCodeIsInTheOneTableWithItsStatus() throws IOException
    {
        Map<String, String> documented = documented(errorTable(Files.readAllLines(OPERATIONS)));
        for (ErrorCode code : ErrorCode.values())
        {
            assertTrue(documented.containsKey(code.name()), code + " is missing from the error table of " + OPERATIONS);
            assertEquals(Integer.toString(code.status()), documented.get(code.name()), code + "'s status in " + OPERATIONS);
        }
        for (String name : documented.keySet())
            assertTrue(Arrays.stream(ErrorCode.values()).anyMatch(c -> c.name().equals(name)), "documented but no such code: " + name);
    }

    @Test
    void aTableSplitByABlankLineLosesItsSecondHalf()
    {
        List<String> split = List.of("| code | status | when |", "|---|---|---|", "| `BAD_REQUEST` | 400 | x |", "",
            "| `RATE_LIMITED` | 429 | y |");
        assertEquals(Map.of("BAD_REQUEST", "400"), documented(errorTable(split)));
    }
}
