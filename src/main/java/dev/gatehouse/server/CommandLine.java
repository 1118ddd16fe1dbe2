package dev.gatehouse.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.config.ConfigException;

/**
 * {@code gatehouse [--help] [--config FILE] [--jetty-xml FILE] [--tls-self-signed] [--key=value ...]}.
 *
 * @param help      print usage and exit
 * @param config    the properties file, or null
 * @param jettyXml  an external jetty.xml, or null for the bundled one
 * @param overrides {@code --key=value} settings, the highest-precedence source
 */
public record CommandLine(boolean help, Path config, Path jettyXml, Map<String, String> overrides)
{
    public static final String USAGE = """
        Usage: java -jar gatehouse.jar [options] [--key=value ...]

        Gatehouse, an HTTP forward and reverse proxy.

        Options:
          --config FILE      properties file to load (also: -Dgatehouse.config=FILE,
                             env GATEHOUSE_CONFIG)
          --jetty-xml FILE   server wiring to use instead of the bundled etc/jetty.xml
          --tls-self-signed  also listen with TLS on tls.port (8443) with a throwaway
                             self-signed certificate (trials only; same as
                             --tls.enabled=true --tls.self-signed=true)
          --help             print this text and exit
          --key=value        set any configuration key, e.g. --proxy.port=8181

        Precedence: command line > system properties (-Dgatehouse.key=value)
                    > environment (GATEHOUSE_PROXY_PORT) > file > defaults.
        Defaults: proxy on 127.0.0.1:8080, admin on 127.0.0.1:9090.
        Every key is documented in etc/gatehouse.properties and docs/configuration.md.
        Invalid configuration exits with status 2 and names the key.
        """;

    public static CommandLine parse(String[] args, Map<String, String> env)
    {
        return parse(args, env, null);
    }

    /**
     * @param configProperty the {@code gatehouse.config} system property, used when
     *                       {@code --config} is not given (before {@code GATEHOUSE_CONFIG})
     */
    public static CommandLine parse(String[] args, Map<String, String> env, String configProperty)
    {
        boolean help = false;
        String config = null;
        String jettyXml = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h"))
            {
                help = true;
            }
            else if (arg.equals("--config") || arg.equals("--jetty-xml"))
            {
                if (i + 1 >= args.length)
                    throw new ConfigException(arg, arg + " needs a file name");
                if (arg.equals("--config"))
                    config = args[++i];
                else
                    jettyXml = args[++i];
            }
            else if (arg.equals("--tls-self-signed"))
            {
                overrides.put("tls.enabled", "true");
                overrides.put("tls.self-signed", "true");
            }
            else if (arg.startsWith("--config="))
            {
                config = arg.substring("--config=".length());
            }
            else if (arg.startsWith("--jetty-xml="))
            {
                jettyXml = arg.substring("--jetty-xml=".length());
            }
            else if (arg.startsWith("--") && arg.indexOf('=') > 2)
            {
                int eq = arg.indexOf('=');
                overrides.put(arg.substring(2, eq).trim(), arg.substring(eq + 1));
            }
            else
            {
                throw new ConfigException(arg, "unrecognised argument '" + arg + "': expected --config FILE, --jetty-xml FILE or --key=value");
            }
        }
        if (config == null)
            config = configProperty;
        if (config == null)
            config = env.get("GATEHOUSE_CONFIG");
        return new CommandLine(help, config == null || config.isBlank() ? null : Path.of(config),
            jettyXml == null ? null : Path.of(jettyXml), overrides);
    }
}
