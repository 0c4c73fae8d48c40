package dev.cursorexporter.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.cursorexporter.config.ArchViolationFixture;
import dev.cursorexporter.cursor.CursorClient;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The import rules of the package map (README "Code layout"): data flows cursor → sync → store → metrics / query /
 * budget / api, and the vocabulary they share is {@code model}. Each rule is checked against the production classes,
 * and {@link #aBrokenRuleFails} proves the checks can fail.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.cursorexporter";
    /** Production classes only: tests may cross any wall to set up a case. */
    private static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    private static String pkg(String name) {
        return ROOT + "." + name + "..";
    }

    /** A package that may use, of the exporter's own packages, only itself and {@code allowed}. */
    private static ArchRule onlyUses(String name, String... allowed) {
        String[] packages = Stream.concat(Stream.of(name, "model"), Stream.of(allowed)).map(ArchitectureTest::pkg)
                .toArray(String[]::new);
        return classes().that().resideInAPackage(pkg(name))
                .should().onlyDependOnClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.not(
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(ROOT + ".."))
                        .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(packages)))
                .as(name + " depends only on " + String.join(", ", List.of(packages)));
    }

    static Stream<ArchRule> rules() {
        String[] readSide = {pkg("metrics"), pkg("query"), pkg("budget"), pkg("api")};
        return Stream.of(
                onlyUses("model"),
                onlyUses("config"),
                onlyUses("cursor"),
                onlyUses("store"),
                onlyUses("directory"),
                onlyUses("sync", "cursor", "store"),
                onlyUses("simulator"),
                // the read side: the store (through StoreReader, below), the directory and model; never config
                onlyUses("budget", "directory", "store"),
                onlyUses("query", "directory", "store"),
                onlyUses("metrics", "directory", "store", "budget"),
                onlyUses("otlp", "store"),
                onlyUses("api", "directory", "store", "query", "metrics", "budget", "otlp"),
                noClasses().that().resideInAnyPackage(readSide)
                        .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".store.StoreWriter")
                        .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".store.EnterpriseWriter")
                        .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".store.Store")
                        .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".store.EnterpriseStore")
                        .orShould().dependOnClassesThat().haveFullyQualifiedName(SqliteStore.class.getName())
                        .as("the read side reads the store through StoreReader only"),
                noClasses().that().resideInAPackage(pkg("sync"))
                        .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".store.StoreReader")
                        .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".store.EnterpriseReader")
                        .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".store.DailyQueries")
                        .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".store.Store")
                        .orShould().dependOnClassesThat().haveFullyQualifiedName(SqliteStore.class.getName())
                        .as("the sync writes the store through StoreWriter only"),
                slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().as("no two packages import each other"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holds(ArchRule rule) {
        rule.check(production);
    }

    @Test
    void aBrokenRuleFails() {
        // a config class that reaches into the client: the kind of import the rules exist to stop
        JavaClasses withViolation = new ClassFileImporter().importClasses(ArchViolationFixture.class,
                CursorClient.class);
        EvaluationResult result = onlyUses("config").evaluate(withViolation);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("ArchViolationFixture"),
                result.getFailureReport().toString());
        assertFalse(onlyUses("config").evaluate(new ClassFileImporter()
                .importClasses(dev.cursorexporter.config.ExporterConfig.class)).hasViolation());
    }
}
