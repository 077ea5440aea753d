package io.github.infisicaljca.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The figures of one run: printed as a table, written as {@code bench.json}. The JSON holds
 * each figure's value under its key at the top level (what scripts read), and under
 * {@code details} the target, the two measurements and the inputs.
 */
record BenchReport(String mode, String environment, List<Figure> figures) {
    boolean allMet() {
        return figures.stream().allMatch(Figure::met);
    }

    void print(PrintStream out) {
        out.printf("infisical-jca benchmarks (%s mode; %s)%n%n", mode, environment);
        int width = figures.stream().mapToInt(f -> f.key().length()).max().orElse(0);
        String row = "%-" + Math.max(26, width) + "s %10s  %-9s %s%n";
        out.printf(row, "figure", "measured", "target", "");
        for (Figure f : figures) {
            out.printf(row, f.key(), f.shown(), f.target(), f.met() ? "met" : "MISSED");
        }
        out.println();
        for (Figure f : figures) {
            out.printf("%s%n    %s%n    over %s%n    inputs: %s%n", f.key(), f.numerator(), f.denominator(), f.inputs());
        }
    }

    ObjectNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        for (Figure f : figures) {
            root.put(f.key(), f.value());
        }
        root.put("mode", mode);
        root.put("environment", environment);
        root.put("all_targets_met", allMet());
        ObjectNode details = root.putObject("details");
        for (Figure f : figures) {
            ObjectNode d = details.putObject(f.key());
            d.put("value", f.value());
            d.put("target", f.target().toString());
            d.put("met", f.met());
            d.put("numerator", f.numerator());
            d.put("denominator", f.denominator());
            d.put("inputs", f.inputs());
        }
        return root;
    }

    /** Writes {@code bench.json} whole or not at all (a temporary file, then a move). */
    void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".bench", ".json");
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), toJson());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
