package dev.cursorexporter.config;

import dev.cursorexporter.model.DirectoryRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@code team} and {@code location} labels come from (YAML {@code directory:}).
 *
 * @param file       CSV {@code email,team,location} ({@code CURSOR_EXPORTER_DIRECTORY_FILE}, {@code directory.file})
 * @param rules      e-mail glob or domain → team/location, after the CSV file ({@code directory.rules})
 * @param teamSource whether billing groups name teams the CSV and rules leave open ({@code directory.team_source})
 */
public record DirectoryConfig(Optional<Path> file, List<DirectoryRule> rules, TeamSource teamSource) {

    public DirectoryConfig {
        rules = List.copyOf(rules);
    }
}
