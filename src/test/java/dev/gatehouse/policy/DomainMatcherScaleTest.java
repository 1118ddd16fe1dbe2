package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A list of a million entries loads and answers every kind of probe right. Its speed is measured by
 * the benchmarks, not here: a wall-clock limit in a unit test says more about the machine than the code.
 */
class DomainMatcherScaleTest
{
    private static final int ENTRIES = 1_000_000;
    private static final int LOOKUPS = 100_000;

    @TempDir
    Path dir;

    private static String name(int i)
    {
        return "host" + i + ".zone" + (i % 997) + ".example";
    }

    @Test
    void millionEntryFileAnswersEveryKindOfProbe() throws Exception
    {
        Path file = dir.resolve("blocked.txt");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            out.write("# generated blocklist\n");
            for (int i = 0; i < ENTRIES; i++)
            {
                // every tenth entry a wildcard, some with a trailing comment
                out.write(i % 10 == 0 ? "*." + name(i) : name(i));
                if (i % 100 == 1)
                    out.write("  # note");
                out.write('\n');
            }
        }

        DomainMatcher matcher = DomainMatcher.load("filter.blocked-file", file);
        assertEquals(ENTRIES, matcher.size());

        Random random = new Random(42);
        List<String> hosts = new ArrayList<>(LOOKUPS);
        List<Boolean> expected = new ArrayList<>(LOOKUPS);
        for (int i = 0; i < LOOKUPS; i++)
        {
            int n = random.nextInt(ENTRIES);
            switch (i % 4)
            {
                case 0 -> // exact hit, or a wildcard's apex, which must not match
                {
                    hosts.add(name(n));
                    expected.add(n % 10 != 0);
                }
                case 1 -> // a deep subdomain: matches only under a wildcard
                {
                    hosts.add("a.b.c." + name(n));
                    expected.add(n % 10 == 0);
                }
                case 2 -> // a miss with many labels
                {
                    hosts.add("x.y.z.w.v.u.t.s." + n + ".miss.example");
                    expected.add(false);
                }
                default -> // upper case, trailing dot
                {
                    hosts.add(name(n).toUpperCase(Locale.ROOT) + ".");
                    expected.add(n % 10 != 0);
                }
            }
        }

        for (int i = 0; i < LOOKUPS; i++)
            assertEquals(expected.get(i), matcher.matches(hosts.get(i)), hosts.get(i));
        assertTrue(expected.stream().filter(b -> b).count() > LOOKUPS / 3, "the probes must include hits");
        assertFalse(matcher.matches("zone1.example"));
    }
}
