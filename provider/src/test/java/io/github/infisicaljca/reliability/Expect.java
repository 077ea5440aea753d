package io.github.infisicaljca.reliability;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.reliability.MatrixOps.Op;
import java.util.List;
import javax.crypto.AEADBadTagException;

/** What a cell of the fault matrix must do; the factories keep {@link FaultMatrixTest#EXPECTED} one line per fault. */
sealed interface Expect permits Expect.Ok, Expect.Relogin, Expect.Fails, Expect.NotApplicable {

    /** Succeeds, with the correct result, after this many retries. */
    record Ok(int retries) implements Expect {
    }

    /** Succeeds after one fresh login and one retry with the new token. */
    record Relogin() implements Expect {
    }

    /**
     * Throws the method's declared exception (or AEADBadTagException when {@code badTag}), caused by a
     * KmsException of {@code kind} (HTTP {@code status} when it is an API refusal), after {@code attempts}.
     */
    record Fails(KmsException.Kind kind, int status, int attempts, boolean badTag) implements Expect {
    }

    record NotApplicable(String why) implements Expect {
    }

    static Ok ok(int retries) {
        return new Ok(retries);
    }

    static Expect relogin() {
        return new Relogin();
    }

    static Fails fails(KmsException.Kind kind, int attempts) {
        return new Fails(kind, 0, attempts, false);
    }

    /** Refused as MALFORMED_RESPONSE at the first answer: an unreadable answer is not retried. */
    static Fails unreadable() {
        return new Fails(KmsException.Kind.MALFORMED_RESPONSE, 0, 1, false);
    }

    static Fails http(int status, int attempts) {
        return new Fails(KmsException.Kind.API, status, attempts, false);
    }

    static Fails badTag(int status, int attempts) {
        return new Fails(KmsException.Kind.API, status, attempts, true);
    }

    static NotApplicable na(String why) {
        return new NotApplicable(why);
    }

    /** Adds to {@code problems} every way a cell's outcome differs from {@code expect}. */
    static void check(Expect expect, Op op, Object value, Throwable thrown, boolean wrong,
            List<LoggedRequest> calls, int logins, int retriesLogged, List<String> problems) {
        if (wrong) {
            problems.add("WRONG RESULT: returned " + MatrixReport.brief(value));
        }
        int loginsBefore = op == Op.LIST ? 1 : 0; // the listing's provider logs in during the cell
        if (expect instanceof Ok || expect instanceof Relogin) {
            if (thrown != null) {
                problems.add("expected success, got " + MatrixReport.chain(thrown));
                return;
            }
            int retries = expect instanceof Ok ? ((Ok) expect).retries() : 1;
            if (calls.size() != retries + 1) {
                problems.add("expected " + (retries + 1) + " requests to " + op.path + ", saw " + calls.size());
            }
            int expectedLogins = loginsBefore + (expect instanceof Relogin ? 1 : 0);
            if (logins != expectedLogins) {
                problems.add("expected " + expectedLogins + " logins, saw " + logins);
            }
            if (expect instanceof Relogin && !calls.isEmpty()
                    && !("Bearer " + FakeInfisical.TOKEN_2).equals(calls.get(calls.size() - 1).getHeader("Authorization"))) {
                problems.add("the retry after the re-login did not carry the new token");
            }
            return;
        }
        Fails f = (Fails) expect;
        if (thrown == null) {
            problems.add("expected " + f + ", but the call returned " + MatrixReport.brief(value));
            return;
        }
        Class<?> type = f.badTag() ? AEADBadTagException.class : op.declared;
        if (thrown.getClass() != type) {
            problems.add("expected " + type.getSimpleName() + ", got " + MatrixReport.chain(thrown));
        }
        KmsException cause = MatrixReport.kmsCause(thrown);
        if (cause == null || cause.kind() != f.kind()) {
            problems.add("expected a KmsException of kind " + f.kind() + " in the cause chain: " + MatrixReport.chain(thrown));
        } else if (f.status() > 0) {
            KmsApiException api = (KmsApiException) cause;
            if (api.status() != f.status()) {
                problems.add("expected HTTP " + f.status() + ", got " + api.status());
            }
            String m = String.valueOf(thrown.getMessage());
            if (!m.contains("HTTP " + f.status()) || api.error() == null || !m.contains(api.error())) {
                problems.add("the message does not name the status and Infisical's error: " + m);
            }
        }
        int attempts = f.kind() == KmsException.Kind.CONNECT ? retriesLogged + 1 : calls.size();
        if (attempts != f.attempts()) {
            problems.add("expected " + f.attempts() + " attempts, saw " + attempts);
        }
        if (f.kind() != KmsException.Kind.CONNECT && logins != loginsBefore) {
            problems.add("expected no re-login, saw " + (logins - loginsBefore));
        }
    }
}
