package dev.gatehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest
{
    private static CommandLine parse(String... args)
    {
        return CommandLine.parse(args, Map.of());
    }

    @Test
    void noArgumentsMeansDefaults()
    {
        CommandLine c = parse();
        assertFalse(c.help());
        assertNull(c.config());
        assertNull(c.jettyXml());
        assertTrue(c.overrides().isEmpty());
    }

    @Test
    void helpFlagLongAndShort()
    {
        assertTrue(parse("--help").help());
        assertTrue(parse("-h").help());
        assertTrue(parse("--proxy.port=1", "--help").help());
    }

    @Test
    void usageMentionsEveryOption()
    {
        for (String option : List.of("--config FILE", "--jetty-xml FILE", "--tls-self-signed", "--help", "--key=value", "GATEHOUSE_CONFIG"))
            assertTrue(CommandLine.USAGE.contains(option), option);
    }

    @Test
    void configFileAsSeparateArgument()
    {
        assertEquals(Path.of("/etc/gatehouse.properties"), parse("--config", "/etc/gatehouse.properties").config());
    }

    @Test
    void configFileAfterEqualsSign()
    {
        assertEquals(Path.of("conf/g.properties"), parse("--config=conf/g.properties").config());
    }

    @Test
    void jettyXmlInBothForms()
    {
        assertEquals(Path.of("/x/jetty.xml"), parse("--jetty-xml", "/x/jetty.xml").jettyXml());
        assertEquals(Path.of("j.xml"), parse("--jetty-xml=j.xml").jettyXml());
        assertNull(parse("--jetty-xml=j.xml").config());
    }

    @Test
    void fileOptionWithoutFileIsRejected()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> parse("--config"));
        assertTrue(x.getMessage().contains("--config"), x.getMessage());
        ConfigException y = assertThrows(ConfigException.class, () -> parse("--proxy.port=1", "--jetty-xml"));
        assertTrue(y.getMessage().contains("--jetty-xml"), y.getMessage());
    }

    @Test
    void keyValueArgumentsBecomeOverridesInOrder()
    {
        CommandLine c = parse("--proxy.port=8181", "--routes=api", "--routes.api.targets=http://a:1");
        assertEquals(Map.of("proxy.port", "8181", "routes", "api", "routes.api.targets", "http://a:1"), c.overrides());
        assertEquals(List.of("proxy.port", "routes", "routes.api.targets"), List.copyOf(c.overrides().keySet()));
    }

    @Test
    void overrideValueMayContainEqualsSignOrBeEmpty()
    {
        CommandLine c = parse("--routes.api.match.header.x-sig=a=b", "--proxy.id=");
        assertEquals("a=b", c.overrides().get("routes.api.match.header.x-sig"));
        assertEquals("", c.overrides().get("proxy.id"));
    }

    @Test
    void laterOverrideOfSameKeyWins()
    {
        assertEquals("2", parse("--proxy.port=1", "--proxy.port=2").overrides().get("proxy.port"));
    }

    @Test
    void configAndOverridesCombine()
    {
        CommandLine c = parse("--config", "g.properties", "--admin.port=0", "--jetty-xml=j.xml");
        assertEquals(Path.of("g.properties"), c.config());
        assertEquals(Path.of("j.xml"), c.jettyXml());
        assertEquals(Map.of("admin.port", "0"), c.overrides());
    }

    @Test
    void configFallsBackToEnvironment()
    {
        CommandLine c = CommandLine.parse(new String[0], Map.of("GATEHOUSE_CONFIG", "/env/g.properties"));
        assertEquals(Path.of("/env/g.properties"), c.config());
    }

    @Test
    void commandLineConfigBeatsEnvironment()
    {
        CommandLine c = CommandLine.parse(new String[] {"--config=/cli.properties"},
            Map.of("GATEHOUSE_CONFIG", "/env.properties"));
        assertEquals(Path.of("/cli.properties"), c.config());
    }

    @Test
    void blankEnvironmentConfigMeansNoFile()
    {
        assertNull(CommandLine.parse(new String[0], Map.of("GATEHOUSE_CONFIG", "  ")).config());
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "proxy.port=1", "-Dgatehouse.proxy.port=1", "--proxy.port", "--=x", "--verbose"})
    void unrecognisedArgumentIsRejectedNamingIt(String arg)
    {
        ConfigException x = assertThrows(ConfigException.class, () -> parse("--proxy.port=1", arg));
        assertTrue(x.getMessage().contains("'" + arg + "'"), x.getMessage());
        assertEquals(arg, x.key());
    }

    @Test
    void tlsSelfSignedTurnsOnTlsWithAThrowawayCertificate()
    {
        CommandLine c = parse("--tls-self-signed", "--tls.port=9443");
        assertEquals("true", c.overrides().get("tls.enabled"));
        assertEquals("true", c.overrides().get("tls.self-signed"));
        assertEquals("9443", c.overrides().get("tls.port"));
    }
}
