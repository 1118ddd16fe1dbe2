package dev.gatehouse.cache;

import java.util.List;

import dev.gatehouse.config.CacheConfig;

/** The include / exclude globs of one configuration, compiled once per configuration snapshot. */
record CompiledGlobs(CacheConfig config, List<Glob> include, List<Glob> exclude)
{
    private static volatile CompiledGlobs last;

    /** The compiled globs of this configuration; the last one is kept (a reload brings a new one). */
    static CompiledGlobs of(CacheConfig config)
    {
        CompiledGlobs g = last;
        if (g != null && g.config == config)
            return g;
        g = new CompiledGlobs(config, Glob.compileAll(config.include()), Glob.compileAll(config.exclude()));
        last = g;
        return g;
    }
}
