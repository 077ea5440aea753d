package io.github.infisicaljca.reliability;

import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.reliability.Expect.Fails;
import io.github.infisicaljca.reliability.Expect.NotApplicable;
import io.github.infisicaljca.reliability.Expect.Ok;
import io.github.infisicaljca.reliability.FaultMatrixTest.Outcome;
import io.github.infisicaljca.reliability.MatrixOps.Fault;
import io.github.infisicaljca.reliability.MatrixOps.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Describes cells and writes the measured matrix as Markdown. */
final class MatrixReport {
    private MatrixReport() {
    }

    /** What a cell did, in a few words (measured, not copied from the expectation). */
    static String describe(Object value, Throwable thrown, boolean hang, boolean wrong, int requests, int retriesLogged,
            Expect expect, Fault fault) {
        if (hang) {
            return "HANG";
        }
        if (thrown == null) {
            String how = fault == Fault.UNAUTHORIZED_401 || fault == Fault.TOKEN_ERROR_403 ? " after re-login" : "";
            return (wrong ? "WRONG RESULT " + brief(value) : "ok" + how) + ", " + retries(requests - 1);
        }
        KmsException k = kmsCause(thrown);
        String cause = k == null ? "no KmsException cause"
                : k instanceof KmsApiException ? "HTTP " + ((KmsApiException) k).status() + " " + ((KmsApiException) k).error()
                : k.kind().name();
        int attempts = k != null && k.kind() == KmsException.Kind.CONNECT ? retriesLogged + 1 : requests;
        return thrown.getClass().getSimpleName() + " (" + cause + "), " + retries(attempts - 1);
    }

    private static String retries(int n) {
        return n <= 0 ? "no retry" : n == 1 ? "1 retry" : n + " retries";
    }

    static String expected(Expect e) {
        if (e instanceof Ok) {
            return "ok after " + retries(((Ok) e).retries());
        }
        if (e instanceof Fails) {
            Fails f = (Fails) e;
            return (f.badTag() ? "AEADBadTagException" : "declared exception") + " ("
                    + (f.status() > 0 ? "HTTP " + f.status() : f.kind().name()) + "), " + f.attempts() + " attempt(s)";
        }
        if (e instanceof NotApplicable) {
            return "n/a";
        }
        return "ok after re-login";
    }

    static KmsException kmsCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KmsException) {
                return (KmsException) c;
            }
        }
        return null;
    }

    static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(sb.length() == 0 ? "" : " <- ").append(c.getClass().getSimpleName()).append(": ")
                    .append(c.getMessage());
        }
        return sb.toString();
    }

    static String brief(Object v) {
        if (v instanceof byte[]) {
            return ((byte[]) v).length + " bytes";
        }
        return String.valueOf(v);
    }

    /** Writes the Markdown matrix and returns the one-line summary. */
    static String write(List<Outcome> outcomes, Path file) throws IOException {
        Map<Fault, Map<Op, Outcome>> grid = new EnumMap<>(Fault.class);
        int run = 0;
        int asExpected = 0;
        int wrong = 0;
        int hangs = 0;
        for (Outcome o : outcomes) {
            grid.computeIfAbsent(o.fault(), f -> new EnumMap<>(Op.class)).put(o.op(), o);
            if (o.expected() instanceof NotApplicable) {
                continue;
            }
            run++;
            asExpected += o.asExpected() ? 1 : 0;
            wrong += o.wrongResult() ? 1 : 0;
            hangs += o.hang() ? 1 : 0;
        }
        String summary = "fault matrix: " + outcomes.size() + " cells (" + run + " run, " + (outcomes.size() - run)
                + " n/a), " + asExpected + " as expected, " + wrong + " wrong results, " + hangs + " hangs";
        StringBuilder md = new StringBuilder("# Fault matrix\n\n");
        md.append("Measured by `FaultMatrixTest`: each fault injected (WireMock) on the endpoint of each JCA operation; ")
                .append("a fresh provider per cell with `maxRetries=2`, `connectTimeout=1 s`, `requestTimeout=")
                .append(FaultMatrixTest.TIMEOUT_BOUND.toSeconds()).append(" s` for the two faults of a server that ")
                .append("does not answer in time and ").append(FaultMatrixTest.PATIENT.toSeconds())
                .append(" s for the others (far above any run: the retries a cell expects always fit). ")
                .append("Each cell: what happened, the retries seen, the elapsed time (reported, not asserted). ")
                .append("A cell that differs from its ")
                .append("expectation is marked **UNEXPECTED**.\n\n");
        md.append("| fault |");
        for (Op op : Op.values()) {
            md.append(' ').append(op.label).append(" |");
        }
        md.append("\n|---|");
        md.append("---|".repeat(Op.values().length)).append('\n');
        for (Fault f : Fault.values()) {
            md.append("| ").append(f.label).append(" |");
            for (Op op : Op.values()) {
                Outcome o = grid.getOrDefault(f, Map.of()).get(op);
                md.append(' ').append(cell(o)).append(" |");
            }
            md.append('\n');
        }
        md.append("\n").append(summary).append('\n');
        boolean header = false;
        for (Outcome o : outcomes) {
            if (!o.asExpected()) {
                if (!header) {
                    md.append("\n## Unexpected cells\n\n");
                    header = true;
                }
                md.append("- ").append(o.fault().label).append(" x ").append(o.op().label).append(": ")
                        .append(String.join("; ", o.problems())).append('\n');
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        return summary;
    }

    private static String cell(Outcome o) {
        if (o == null) {
            return "(not run)";
        }
        if (o.expected() instanceof NotApplicable) {
            return o.observed();
        }
        String text = o.observed().replace("|", "\\|") + ", " + o.millis() + " ms";
        return o.asExpected() ? text : "**UNEXPECTED** " + text + " (expected " + expected(o.expected()) + ")";
    }
}
