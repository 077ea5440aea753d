package io.github.infisicaljca.reliability;

import static io.github.infisicaljca.kms.KmsException.Kind.CONNECT;
import static io.github.infisicaljca.kms.KmsException.Kind.TIMEOUT;
import static io.github.infisicaljca.reliability.Expect.badTag;
import static io.github.infisicaljca.reliability.Expect.fails;
import static io.github.infisicaljca.reliability.Expect.http;
import static io.github.infisicaljca.reliability.Expect.na;
import static io.github.infisicaljca.reliability.Expect.ok;
import static io.github.infisicaljca.reliability.Expect.relogin;
import static io.github.infisicaljca.reliability.Expect.unreadable;
import static io.github.infisicaljca.reliability.FakeInfisical.LOGIN;
import static io.github.infisicaljca.reliability.FakeInfisical.TOKEN_2;
import static io.github.infisicaljca.reliability.MatrixOps.Fault.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.VerifyMode;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.reliability.Expect.NotApplicable;
import io.github.infisicaljca.reliability.MatrixOps.Fault;
import io.github.infisicaljca.reliability.MatrixOps.Op;
import io.github.infisicaljca.reliability.MatrixOps.Prepared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The fault matrix: every fault of {@link Fault} on the endpoint of every JCA operation of
 * {@link Op}, against {@link FakeInfisical}, with a fresh provider per cell (two retries, 1 s to
 * connect, and a request timeout of {@link #requestTimeout}). {@link #EXPECTED} states each
 * cell's outcome; the run checks it, writes the measured matrix to {@code target/fault-matrix.md}
 * and prints a one-line summary. Columns run in parallel, each on its own server; cells of a
 * column run one after another.
 *
 * <p>No outcome depends on the machine's speed: the time a cell took is reported, not asserted.
 * A server that never answers is one that answers after 6 s, so a client that does not keep its
 * 2 s bound shows as a success where a TIMEOUT is expected; every other cell has a bound no
 * machine comes near, so the retries it expects always fit.
 */
class FaultMatrixTest {
    /** The bound of the cells whose fault is a server that does not answer in time. */
    static final Duration TIMEOUT_BOUND = Duration.ofSeconds(2);
    /** The bound of every other cell: far above any run, so its outcome does not depend on the machine. */
    static final Duration PATIENT = Duration.ofMinutes(1);
    /** Only stops a hung cell: above every bound a cell has. */
    static final Duration HANG = PATIENT.multipliedBy(2);

    /** THE table: one row per fault, cells in the order of {@link Op}. */
    static final Map<Fault, List<Expect>> EXPECTED = new EnumMap<>(Fault.class);

    static {
        //  fault                sign                 verify (remote)      encrypt              decrypt              wrap                 key listing
        row(RESET,               ok(1),               ok(1),               ok(1),               ok(1),               ok(1),               ok(1));
        row(REFUSED,             fails(CONNECT, 3),   fails(CONNECT, 3),   fails(CONNECT, 3),   fails(CONNECT, 3),   fails(CONNECT, 3),   fails(CONNECT, 3));
        row(READ_TIMEOUT,        fails(TIMEOUT, 1),   fails(TIMEOUT, 1),   fails(TIMEOUT, 1),   fails(TIMEOUT, 1),   fails(TIMEOUT, 1),   fails(TIMEOUT, 1));
        row(SLOW_BODY,           fails(TIMEOUT, 1),   fails(TIMEOUT, 1),   fails(TIMEOUT, 1),   fails(TIMEOUT, 1),   fails(TIMEOUT, 1),   fails(TIMEOUT, 1));
        row(EMPTY_BODY,          ok(1),               ok(1),               ok(1),               ok(1),               ok(1),               ok(1));
        row(MALFORMED_JSON,      unreadable(),        unreadable(),        unreadable(),        unreadable(),        unreadable(),        unreadable());
        row(TRUNCATED_BASE64,    unreadable(),        na("no base64 here"), unreadable(),       unreadable(),        unreadable(),        na("no base64 here"));
        row(ANOTHER_KEY,         unreadable(),        unreadable(),        unreadable(),        unreadable(),        unreadable(),        unreadable());
        row(RATE_LIMIT_HEADER,   ok(1),               ok(1),               ok(1),               ok(1),               ok(1),               ok(1));
        row(RATE_LIMIT_TEXT,     ok(1),               ok(1),               ok(1),               ok(1),               ok(1),               ok(1));
        row(HTTP_500,            ok(1),               ok(1),               ok(1),               ok(1),               ok(1),               ok(1));
        // Decrypt's 500 is the 2024 server's answer to a tampered ciphertext: retried once, then a bad tag.
        row(HTTP_500_ALWAYS,     http(500, 3),        http(500, 3),        http(500, 3),        badTag(500, 2),      http(500, 3),        http(500, 3));
        row(HTTP_502,            ok(1),               ok(1),               ok(1),               ok(1),               ok(1),               ok(1));
        row(HTTP_503,            ok(1),               ok(1),               ok(1),               ok(1),               ok(1),               ok(1));
        row(HTTP_504,            ok(1),               ok(1),               ok(1),               ok(1),               ok(1),               ok(1));
        row(UNAUTHORIZED_401,    relogin(),           relogin(),           relogin(),           relogin(),           relogin(),           relogin());
        row(TOKEN_ERROR_403,     relogin(),           relogin(),           relogin(),           relogin(),           relogin(),           relogin());
        row(PERMISSION_403,      http(403, 1),        http(403, 1),        http(403, 1),        http(403, 1),        http(403, 1),        http(403, 1));
        row(NOT_FOUND_404,       http(404, 1),        http(404, 1),        http(404, 1),        http(404, 1),        http(404, 1),        http(404, 1));
        row(BAD_REQUEST_400,     http(400, 1),        http(400, 1),        http(400, 1),        http(400, 1),        http(400, 1),        http(400, 1));
    }

    /** The request timeout of a cell with {@code fault}. */
    static Duration requestTimeout(Fault fault) {
        return fault == READ_TIMEOUT || fault == SLOW_BODY ? TIMEOUT_BOUND : PATIENT;
    }

    private static void row(Fault fault, Expect... cells) {
        assertEquals(Op.values().length, cells.length, fault.name());
        EXPECTED.put(fault, List.of(cells));
    }

    /** What one cell did. */
    record Outcome(Fault fault, Op op, Expect expected, String observed, long millis, List<String> problems,
            boolean wrongResult, boolean hang) {
        boolean asExpected() {
            return problems.isEmpty();
        }
    }

    private SecretHygiene hygiene;

    /**
     * One unhurried pass through every operation first, so that class loading and the first
     * connections of a cold JVM are not charged to a cell's 2 s budget.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        try (FakeInfisical server = new FakeInfisical()) {
            for (Op op : Op.values()) {
                server.reset();
                InfisicalConfig generous = InfisicalConfig.builder().withoutAmbientSources().url(server.baseUrl())
                        .clientId(FakeInfisical.CLIENT_ID).clientSecret(FakeInfisical.CLIENT_SECRET)
                        .projectId(FakeInfisical.PROJECT_ID).requestTimeout(Duration.ofSeconds(30))
                        .verify(op == Op.VERIFY ? VerifyMode.REMOTE : VerifyMode.LOCAL).build();
                Prepared prepared = MatrixOps.prepare(op, new InfisicalProvider(generous));
                assertTrue(prepared.correct.test(prepared.action.call()), "healthy " + op);
            }
        }
    }

    @BeforeEach
    void install() {
        hygiene = new SecretHygiene().secret("client secret", FakeInfisical.CLIENT_SECRET)
                .secret("first token", FakeInfisical.TOKEN_1).secret("second token", TOKEN_2)
                .secret("plaintext", FakeInfisical.PLAINTEXT).secret("wrapped key", FakeInfisical.WRAPPED_KEY_BYTES);
    }

    @AfterEach
    void uninstall() {
        hygiene.close();
    }

    @Test
    void everyFaultOnEveryOperationHasItsExpectedOutcome() throws Exception {
        assertEquals(Fault.values().length, EXPECTED.size(), "the table has a row for every fault");
        ExecutorService columns = Executors.newFixedThreadPool(Op.values().length);
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        for (Op op : Op.values()) {
            futures.add(columns.submit(() -> column(op)));
        }
        List<Outcome> all = new ArrayList<>();
        try {
            for (Future<List<Outcome>> f : futures) {
                all.addAll(f.get());
            }
        } finally {
            columns.shutdownNow();
        }
        try (KmsClient client = KmsClient.create(FakeInfisical.config("http://127.0.0.1:9", VerifyMode.LOCAL, PATIENT))) {
            hygiene.object("client", client);
        }

        String summary = MatrixReport.write(all, Path.of("target", "fault-matrix.md"));
        System.out.println(summary);
        assertTrue(Files.size(Path.of("target", "fault-matrix.md")) > 0);

        List<String> problems = new ArrayList<>();
        for (Outcome o : all) {
            o.problems().forEach(p -> problems.add(o.fault().label + " x " + o.op().label + ": " + p));
        }
        assertTrue(hygiene.logRecords() > 0, "the retries of the matrix were logged and checked");
        hygiene.assertNoLeaks();
        assertEquals(List.of(), problems, summary);
    }

    /** A server echoing secrets in its errors: they reach no message, cause, stack trace or log unmasked. */
    @Test
    void secretsTheServerEchoesAppearOnlyMasked() throws Exception {
        List<String> problems = new ArrayList<>();
        int cases = 0;
        try (FakeInfisical server = new FakeInfisical()) {
            for (Op op : Op.values()) {
                for (SecretEcho.Variant v : SecretEcho.Variant.values()) {
                    if (!SecretEcho.applies(v, op)) {
                        continue;
                    }
                    Prepared prepared = healthySetup(server, op, PATIENT);
                    SecretEcho.inject(server, v, op);
                    String where = v + " x " + op.label;
                    Throwable thrown = null;
                    try {
                        assertTimeoutPreemptively(HANG, prepared.action::call);
                    } catch (Throwable t) {
                        thrown = t;
                    }
                    cases++;
                    if (thrown == null || thrown instanceof AssertionFailedError) {
                        problems.add(where + ": expected the declared exception, got " + (thrown == null ? "success" : thrown));
                        continue;
                    }
                    hygiene.exception(where, thrown);
                    boolean declared = op.declared.isInstance(thrown)
                            || (op == Op.DECRYPT && thrown instanceof javax.crypto.BadPaddingException);
                    if (!declared || MatrixReport.kmsCause(thrown) == null) {
                        problems.add(where + ": not the declared exception with its KMS cause: " + MatrixReport.chain(thrown));
                    }
                    if (!String.valueOf(thrown.getMessage()).contains(io.github.infisicaljca.Secret.MASK)) {
                        problems.add(where + ": the echoed secret is not shown as " + io.github.infisicaljca.Secret.MASK
                                + ": " + thrown.getMessage());
                    }
                }
            }
        }
        assertTrue(cases >= 40, "cases: " + cases);
        problems.addAll(hygiene.leakSummary());
        assertEquals(List.of(), problems);
    }

    private List<Outcome> column(Op op) {
        List<Outcome> out = new ArrayList<>();
        try (FakeInfisical server = new FakeInfisical()) {
            for (Fault fault : Fault.values()) {
                out.add(cell(server, fault, op));
            }
        }
        return out;
    }

    private Outcome cell(FakeInfisical shared, Fault fault, Op op) {
        Expect expect = EXPECTED.get(fault).get(op.ordinal());
        if (expect instanceof NotApplicable) {
            return new Outcome(fault, op, expect, "n/a: " + ((NotApplicable) expect).why(), 0, List.of(), false, false);
        }
        FakeInfisical server = fault == REFUSED ? new FakeInfisical() : shared;
        List<String> problems = new ArrayList<>();
        try {
            Prepared prepared = healthySetup(server, op, requestTimeout(fault));
            prepared.objects.forEach(o -> hygiene.object(fault + " x " + op, o));
            server.forgetRequests();
            if (fault == REFUSED) {
                server.close(); // the port the provider talks to is now closed
            } else {
                MatrixOps.inject(server, fault, op);
            }
            int logMark = hygiene.logSize();
            long[] thread = new long[1];
            Object value = null;
            Throwable thrown = null;
            boolean hang = false;
            long started = System.nanoTime();
            try {
                value = assertTimeoutPreemptively(HANG, () -> {
                    thread[0] = Thread.currentThread().getId();
                    return prepared.action.call();
                });
            } catch (AssertionFailedError e) {
                hang = e.getMessage() != null && e.getMessage().contains("timed out");
                thrown = hang ? null : e;
            } catch (Throwable t) {
                thrown = t;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (thrown != null) {
                hygiene.exception(fault + " x " + op, thrown);
            }
            int retriesLogged = (int) hygiene.logOf(thread[0], logMark).stream().filter(l -> l.text().contains("; retry ")).count();
            List<LoggedRequest> calls = fault == REFUSED ? List.of() : server.requests(op.method, op.path);
            int logins = fault == REFUSED ? 0 : server.requests("POST", LOGIN).size();
            boolean wrong = thrown == null && !hang && !prepared.correct.test(value);
            String observed = MatrixReport.describe(value, thrown, hang, wrong, calls.size(), retriesLogged, expect, fault);
            if (hang) {
                problems.add("no answer within " + HANG.toSeconds() + " s (hang)");
            } else {
                Expect.check(expect, op, value, thrown, wrong, calls, logins, retriesLogged, problems);
            }
            return new Outcome(fault, op, expect, observed, millis, problems, wrong, hang);
        } catch (Exception setup) {
            hygiene.exception("setup " + fault + " x " + op, setup);
            problems.add("setup failed: " + setup);
            return new Outcome(fault, op, expect, "setup failed: " + setup, 0, problems, false, false);
        } finally {
            if (fault == REFUSED) {
                server.close();
            }
        }
    }

    /**
     * A fresh provider on the healthy server, with the operation made ready. The setup is not
     * under test: on a machine loaded enough to push one of its calls past a 2 s bound it is
     * tried again (a fresh server state and provider each time) rather than failing the cell.
     */
    private static Prepared healthySetup(FakeInfisical server, Op op, Duration requestTimeout) throws Exception {
        for (int attempt = 1; ; attempt++) {
            server.reset();
            InfisicalProvider provider = new InfisicalProvider(
                    server.config(op == Op.VERIFY ? VerifyMode.REMOTE : VerifyMode.LOCAL, requestTimeout));
            try {
                Prepared prepared = MatrixOps.prepare(op, provider);
                prepared.objects.add(provider.config());
                return prepared;
            } catch (Exception e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
