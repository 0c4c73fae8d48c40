package dev.cursorexporter.simulator;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.UncheckedIOException;
import java.util.List;

/** The directory file an operator would keep next to the exporter: {@code email,team,location} for every member. */
final class DirectoryCsv {
    /** Quotes only when a value needs it, so the file stays readable by naive CSV splitters too. */
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();
    private static final CsvSchema SCHEMA = CSV.schemaFor(Row.class).withHeader();

    @JsonPropertyOrder({"email", "team", "location"})
    record Row(String email, String team, String location) {
    }

    private DirectoryCsv() {
    }

    /** Header plus one row per member (removed ones included), lower-case e-mails, in member order. */
    static String write(Organisation org) {
        List<Row> rows = org.members().stream().map(m -> new Row(m.key(), m.team(), m.location())).toList();
        try {
            return CSV.writer(SCHEMA).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
