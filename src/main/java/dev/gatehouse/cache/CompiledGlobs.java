package dev.gatehouse.cache;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.config.CacheConfig;

/** The include / exclude globs of one configuration, compiled once. */
record CompiledGlobs(List<Glob> include, List<Glob> exclude)
{
    private static final Map<CacheConfig, CompiledGlobs> COMPILED = new ConcurrentHashMap<>();

    static CompiledGlobs of(CacheConfig config)
    {
        CompiledGlobs g = COMPILED.get(config);
        if (g != null)
            return g;
        if (COMPILED.size() > 16)
            COMPILED.clear();
        return COMPILED.computeIfAbsent(config, c -> new CompiledGlobs(Glob.compileAll(c.include()), Glob.compileAll(c.exclude())));
    }
}
