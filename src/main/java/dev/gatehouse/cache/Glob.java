package dev.gatehouse.cache;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Path globs of {@code cache.include}, {@code cache.exclude} and admin purge patterns: {@code *}
 * matches any run of characters (also across {@code /}), {@code ?} one character; everything else
 * is literal. Compiled once per configuration.
 */
public final class Glob
{
    private final Pattern pattern;

    private Glob(Pattern pattern)
    {
        this.pattern = pattern;
    }

    public static Glob compile(String glob)
    {
        StringBuilder re = new StringBuilder(glob.length() + 8);
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++)
        {
            char c = glob.charAt(i);
            if (c == '*' || c == '?')
            {
                if (literal.length() > 0)
                    re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                re.append(c == '*' ? ".*" : ".");
            }
            else
            {
                literal.append(c);
            }
        }
        if (literal.length() > 0)
            re.append(Pattern.quote(literal.toString()));
        return new Glob(Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public static List<Glob> compileAll(List<String> globs)
    {
        return globs.stream().map(Glob::compile).toList();
    }

    public boolean matches(String s)
    {
        return pattern.matcher(s).matches();
    }

    public static boolean any(List<Glob> globs, String s)
    {
        for (Glob g : globs)
        {
            if (g.matches(s))
                return true;
        }
        return false;
    }
}
