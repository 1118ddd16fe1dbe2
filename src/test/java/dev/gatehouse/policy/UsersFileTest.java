package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsersFileTest
{
    private static final String KEY = "proxy.auth.users-file";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"2y", "2a", "2b"})
    void acceptsRightBcryptPasswordAndRejectsWrongOne(String version) throws IOException
    {
        String hash = bcrypt("s3cret pass", 4).replaceFirst("^\\$2y\\$", "\\$" + version + "\\$");
        UsersFile users = load("alice:" + hash);
        assertEquals(Optional.of("alice"), users.authenticate(basic("alice:s3cret pass")));
        assertEquals(Optional.empty(), users.authenticate(basic("alice:s3cret pas")));
        assertEquals(Optional.empty(), users.authenticate(basic("alice:")));
    }

    @Test
    void acceptsRightSha256PasswordAndRejectsWrongOne() throws IOException
    {
        UsersFile users = load("bob:" + sha256Entry("hunter2"));
        assertEquals(Optional.of("bob"), users.authenticate(basic("bob:hunter2")));
        assertEquals(Optional.empty(), users.authenticate(basic("bob:hunter3")));
        assertEquals(Optional.empty(), users.authenticate(basic("Bob:hunter2")));
    }

    @Test
    void rejectsUnknownUser() throws IOException
    {
        UsersFile users = load("alice:" + bcrypt("pw", 4), "bob:" + sha256Entry("pw"));
        assertEquals(Optional.empty(), users.authenticate(basic("mallory:pw")));
    }

    @Test
    void unknownUserCostsAsMuchAsAWrongPassword() throws IOException
    {
        UsersFile users = load("alice:" + bcrypt("pw", 8));
        long known = Long.MAX_VALUE;
        long unknown = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            known = Math.min(known, timeNanos(users, basic("alice:wrong")));
            unknown = Math.min(unknown, timeNanos(users, basic("nobody:wrong")));
        }
        // without the dummy bcrypt check an unknown user would take microseconds instead of milliseconds
        assertTrue(unknown * 4 > known, "unknown " + unknown + " ns vs known " + known + " ns");
    }

    @Test
    void schemeIsCaseInsensitiveAndPasswordMayContainColons() throws IOException
    {
        UsersFile users = load("carol:" + sha256Entry("a:b:c"));
        String token = Base64.getEncoder().encodeToString("carol:a:b:c".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of("carol"), users.authenticate("basic " + token));
        assertEquals(Optional.of("carol"), users.authenticate("BASIC " + token));
        assertEquals(Optional.of("carol"), users.authenticate("  Basic   " + token + " "));
    }

    @Test
    void acceptsNonAsciiCredentialsAsUtf8() throws IOException
    {
        UsersFile users = load("zoë:" + bcrypt("pässwörd", 4));
        assertEquals(Optional.of("zoë"), users.authenticate(basic("zoë:pässwörd")));
    }

    @Test
    void usesTheFirst72BytesOfLongPasswordsLikeHtpasswd() throws IOException
    {
        String first72 = "p".repeat(72);
        UsersFile users = load("dave:" + bcrypt(first72, 4));
        assertEquals(Optional.of("dave"), users.authenticate(basic("dave:" + first72)));
        assertEquals(Optional.of("dave"), users.authenticate(basic("dave:" + first72 + "ignored tail")));
        assertEquals(Optional.empty(), users.authenticate(basic("dave:" + "p".repeat(71))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Basic", "Basic ", "Basic    ", "Bearer YWxpY2U6cHc=", "BasicYWxpY2U6cHc=",
        "Basic !!!not-base64!!!", "Basic YWxpY2U=", "Basic OnB3", "Basic AA==",
        "Digest username=\"alice\"", "Basic YWxpY2U6cHc= extra"})
    void rejectsMalformedHeaderValuesWithoutThrowing(String header) throws IOException
    {
        // "YWxpY2U6cHc=" is alice:pw, "YWxpY2U=" alice (no colon), "OnB3" :pw (empty user)
        UsersFile users = load("alice:" + sha256Entry("pw"));
        assertEquals(Optional.of("alice"), users.authenticate("Basic YWxpY2U6cHc="));
        assertEquals(Optional.empty(), users.authenticate(header));
    }

    @Test
    void rejectsNullAndOversizedHeaders() throws IOException
    {
        UsersFile users = load("alice:" + sha256Entry("pw"));
        assertEquals(Optional.empty(), users.authenticate(null));
        String huge = basic("alice:" + "x".repeat(UsersFile.MAX_HEADER_LENGTH));
        assertEquals(Optional.empty(), users.authenticate(huge));
    }

    @Test
    void remembersSuccessfulChecksOnly() throws IOException
    {
        UsersFile users = load("alice:" + bcrypt("pw", 4));
        assertEquals(0, users.verifiedCount());
        assertEquals(Optional.empty(), users.authenticate(basic("alice:nope")));
        assertEquals(0, users.verifiedCount(), "failures are not cached");

        assertEquals(Optional.of("alice"), users.authenticate(basic("alice:pw")));
        assertEquals(1, users.verifiedCount());
        assertEquals(Optional.of("alice"), users.authenticate(basic("alice:pw")));
        assertEquals(Optional.of("alice"), users.authenticate("basic " + basic("alice:pw").substring(6)));
        assertEquals(2, users.verifiedCount(), "keyed by the exact header value");
        assertEquals(Optional.empty(), users.authenticate(basic("alice:nope")));
    }

    @Test
    void readsFileWithCommentsAndBlankLines() throws IOException
    {
        UsersFile users = load(
            "\uFEFF# proxy users",
            "",
            "alice:" + bcrypt("a", 4),
            "   ",
            "  # bob is temporary",
            "bob:" + sha256Entry("b"),
            "");
        assertEquals(2, users.size());
        assertEquals(Optional.of("bob"), users.authenticate(basic("bob:b")));
        assertEquals(Optional.of("alice"), users.authenticate(basic("alice:a")));
    }

    @Test
    void reportsMalformedLineWithKeyFileAndLineNumber() throws IOException
    {
        Path file = write("# users", "alice:" + sha256Entry("a"), "no-colon-here");
        ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.load(KEY, file));
        assertEquals(KEY, e.key());
        assertTrue(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void reportsUnsupportedHashWithoutEchoingIt() throws IOException
    {
        String bcryptTooShort = bcrypt("x", 4).substring(0, 40);
        for (String hash : new String[] {"plaintext-secret", "{SHA256}c2hvcnQ=", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", bcryptTooShort, ""})
        {
            Path file = write("alice:" + sha256Entry("a"), "bob:" + hash);
            ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.load(KEY, file), hash);
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
            assertTrue(e.getMessage().contains("bob"), e.getMessage());
            if (!hash.isEmpty())
                assertFalse(e.getMessage().contains(hash), e.getMessage());
        }
    }

    @Test
    void rejectsDuplicateUserAndEmptyUserName() throws IOException
    {
        ConfigException duplicate = assertThrows(ConfigException.class,
            () -> UsersFile.load(KEY, write("alice:" + sha256Entry("a"), "alice:" + sha256Entry("b"))));
        assertTrue(duplicate.getMessage().contains("line 2") && duplicate.getMessage().contains("duplicate"), duplicate.getMessage());
        ConfigException empty = assertThrows(ConfigException.class, () -> UsersFile.load(KEY, write(":" + sha256Entry("a"))));
        assertTrue(empty.getMessage().contains("line 1"), empty.getMessage());
    }

    @Test
    void rejectsMissingOrEmptyFile() throws IOException
    {
        Path missing = dir.resolve("missing.htpasswd");
        ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.load(KEY, missing));
        assertEquals(KEY, e.key());
        assertTrue(e.getMessage().contains(KEY) && e.getMessage().contains(missing.toString()), e.getMessage());

        Path onlyComments = write("# nobody yet", "");
        ConfigException none = assertThrows(ConfigException.class, () -> UsersFile.load(KEY, onlyComments));
        assertTrue(none.getMessage().contains(onlyComments.toString()), none.getMessage());

        ConfigException directory = assertThrows(ConfigException.class, () -> UsersFile.load(KEY, dir));
        assertTrue(directory.getMessage().contains(KEY), directory.getMessage());
    }

    private UsersFile load(String... lines) throws IOException
    {
        return UsersFile.load(KEY, write(lines));
    }

    private Path write(String... lines) throws IOException
    {
        return Files.write(Files.createTempFile(dir, "users", ".htpasswd"), String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    private static long timeNanos(UsersFile users, String header)
    {
        long start = System.nanoTime();
        users.authenticate(header);
        return System.nanoTime() - start;
    }

    static String bcrypt(String password, int cost)
    {
        return BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(cost, password.toCharArray());
    }

    static String sha256Entry(String password)
    {
        return "{SHA256}" + Base64.getEncoder().encodeToString(UsersFile.sha256(password.getBytes(StandardCharsets.UTF_8)));
    }

    static String basic(String userColonPassword)
    {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }
}
