package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A large set answers like a linear scan would. Its speed is measured by the benchmarks, not here:
 * a wall-clock limit in a unit test says more about the machine than about the code.
 */
class CidrSetScaleTest
{
    private static final int ENTRIES = 100_000;
    private static final int LOOKUPS = 100_000;

    private record Block(byte[] address, int length)
    {
        boolean contains(byte[] other)
        {
            if (other.length != address.length)
                return false;
            int full = length / 8;
            for (int i = 0; i < full; i++)
            {
                if (address[i] != other[i])
                    return false;
            }
            int mask = 0xff00 >> (length % 8) & 0xff;
            return full == address.length || (address[full] & mask) == (other[full] & mask);
        }
    }

    private static byte[] randomAddress(Random random, int size)
    {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        if (size == 16)
            bytes[0] = (byte)(0x20 | (bytes[0] & 0x1f)); // global unicast, never IPv4-mapped
        return bytes;
    }

    private static String text(byte[] bytes) throws Exception
    {
        return InetAddress.getByAddress(bytes).getHostAddress();
    }

    @Test
    void hundredThousandEntrySetAgreesWithLinearScan() throws Exception
    {
        Random random = new Random(20261121);
        List<String> entries = new ArrayList<>(ENTRIES);
        List<Block> blocks = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++)
        {
            boolean v4 = i % 2 == 0;
            byte[] address = randomAddress(random, v4 ? 4 : 16);
            int length = v4 ? 16 + random.nextInt(17) : 32 + random.nextInt(97);
            entries.add(text(address) + "/" + length);
            blocks.add(new Block(address, length));
        }
        CidrSet set = CidrSet.parse("acl.deny", entries);
        assertEquals(ENTRIES, set.size());

        // half the probes are inside a known block (host bits randomised), half are random
        List<InetAddress> probes = new ArrayList<>(LOOKUPS);
        for (int i = 0; i < LOOKUPS; i++)
        {
            boolean v4 = i % 4 < 2;
            byte[] bytes = randomAddress(random, v4 ? 4 : 16);
            if (i % 2 == 0)
            {
                Block block = blocks.get(random.nextInt(ENTRIES / 2) * 2 + (v4 ? 0 : 1));
                int fixedBytes = block.length() / 8;
                System.arraycopy(block.address(), 0, bytes, 0, fixedBytes);
                if (fixedBytes < bytes.length)
                {
                    int keep = 0xff00 >> (block.length() % 8) & 0xff;
                    bytes[fixedBytes] = (byte)((block.address()[fixedBytes] & keep) | (bytes[fixedBytes] & ~keep));
                }
            }
            probes.add(InetAddress.getByAddress(bytes));
        }

        for (int i = 0; i < 1_000; i++)
        {
            InetAddress probe = probes.get(i * (LOOKUPS / 1_000) + i % 4);
            boolean expected = blocks.stream().anyMatch(b -> b.contains(probe.getAddress()));
            assertEquals(expected, set.contains(probe), probe.toString());
        }

        int hits = 0;
        for (InetAddress probe : probes)
            hits += set.contains(probe) ? 1 : 0;
        assertTrue(hits >= LOOKUPS / 2, "every probe built inside a block must match: " + hits);
    }
}
