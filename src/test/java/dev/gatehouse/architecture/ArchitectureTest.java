package dev.gatehouse.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of docs/architecture.md: config, then the pure rules (policy, routing), the core
 * (web: snapshot, context, watcher), the servlet adapters, then app (the assembly, the only
 * package that knows every feature) and server (the embedded Jetty server) on top. No two
 * packages depend on each other, directly or around a loop.
 */
class ArchitectureTest
{
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses()
    {
        classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gatehouse");
    }

    @Test
    void packagesFormNoCycle()
    {
        slices().matching("dev.gatehouse.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyServerImportsServer()
    {
        noClasses().that().resideOutsideOfPackage("dev.gatehouse.server..")
            .should().dependOnClassesThat().resideInAPackage("dev.gatehouse.server..")
            .check(classes);
    }

    @Test
    void onlyServerImportsTheAssembly()
    {
        noClasses().that().resideOutsideOfPackages("dev.gatehouse.app..", "dev.gatehouse.server..")
            .should().dependOnClassesThat().resideInAPackage("dev.gatehouse.app..")
            .check(classes);
    }

    /** The CONNECT handler (also alone at server level, StandaloneConnectHandler) starts no route health checks and allocates no cache. */
    @Test
    void connectHandlersNeedNoUpstreamPoolsOrCache()
    {
        noClasses().that().resideInAPackage("dev.gatehouse.tunnel..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.resilience..", "dev.gatehouse.cache..")
            .check(classes);
    }
}
