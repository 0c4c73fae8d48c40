package dev.cursorexporter.directory;

import dev.cursorexporter.model.DirectoryRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Precedence, field by field: CSV row, first matching rule, billing group (team only), defaults. */
class LayeredDirectoryTest {
    @TempDir
    Path tmp;

    private static final List<DirectoryRule> RULES = List.of(
            DirectoryRule.glob("*@eu.acme.com", Optional.empty(), Optional.of("Dublin")),
            DirectoryRule.glob("ops-?@acme.com", Optional.of("Ops"), Optional.empty()),
            DirectoryRule.domain("eu.acme.com", Optional.of("EU"), Optional.of("Ignored: an earlier rule set it")),
            DirectoryRule.domain("acme.com", Optional.of("Acme"), Optional.of("Remote")));

    /** A fake billing-group layer standing in for the store's billing groups. */
    private static final Map<String, String> GROUPS = Map.of(
            "zoe@other.org", "Billing-Design", "csv@eu.acme.com", "Billing-Never", "ana@eu.acme.com", "Billing-Never");

    private LayeredDirectory directory(boolean withGroups) throws IOException {
        Path csv = Files.writeString(tmp.resolve("d.csv"), """
                email,team,location
                csv@eu.acme.com,Platform,Berlin
                half@eu.acme.com,,Lisbon
                """);
        return new LayeredDirectory(Optional.of(CsvDirectory.load(csv).directory()), RULES,
                withGroups ? e -> Optional.ofNullable(GROUPS.get(e)) : LayeredDirectory.NO_BILLING_GROUPS);
    }

    @Test
    void theCsvRowWinsOverRulesAndBillingGroups() throws IOException {
        assertEquals(new Assignment("Platform", "Berlin"), directory(true).lookup("CSV@eu.acme.com "));
    }

    @Test
    void aBlankCsvFieldFallsThroughToTheRules() throws IOException {
        assertEquals(new Assignment("EU", "Lisbon"), directory(true).lookup("half@eu.acme.com"));
    }

    @Test
    void eachFieldComesFromTheFirstRuleThatSetsIt() throws IOException {
        assertEquals(new Assignment("EU", "Dublin"), directory(true).lookup("ana@eu.acme.com"),
                "rules beat billing groups; the first rule sets only the location");
        assertEquals(new Assignment("Ops", "Remote"), directory(true).lookup("ops-1@acme.com"));
        assertEquals(new Assignment("Acme", "Remote"), directory(true).lookup("ops-12@acme.com"), "? is one character");
    }

    @Test
    void billingGroupsNameTheTeamWhenNothingElseDoes() throws IOException {
        assertEquals(new Assignment("Billing-Design", Assignment.DEFAULT_LOCATION),
                directory(true).lookup("zoe@other.org"));
        assertEquals(Assignment.DEFAULT, directory(false).lookup("zoe@other.org"));
    }

    @Test
    void defaultsForEveryoneElseAndForEventsWithoutAnEmail() throws IOException {
        assertEquals(Assignment.DEFAULT, directory(true).lookup("nobody@other.org"));
        assertEquals(Assignment.DEFAULT, directory(true).lookup(""));
        assertEquals(Assignment.DEFAULT, directory(true).lookup(null));
    }

    @Test
    void rulesWorkWithoutAFile() {
        LayeredDirectory rulesOnly = new LayeredDirectory(Optional.empty(), RULES, LayeredDirectory.NO_BILLING_GROUPS);
        assertEquals(new Assignment("Acme", "Remote"), rulesOnly.lookup("kim@acme.com"));
    }
}
