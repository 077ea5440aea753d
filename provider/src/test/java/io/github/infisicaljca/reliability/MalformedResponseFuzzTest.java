package io.github.infisicaljca.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.infisicaljca.reliability.FakeInfisical.KEYS;
import static io.github.infisicaljca.reliability.FakeInfisical.RSA_ID;
import static io.github.infisicaljca.reliability.FakeInfisical.path;
import static io.github.infisicaljca.reliability.FuzzTargets.AES_ID;
import static io.github.infisicaljca.reliability.FuzzTargets.HMAC_ID;
import static io.github.infisicaljca.reliability.FuzzTargets.PROJECT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.VerifyMode;
import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.reliability.Faithful.Impossible;
import io.github.infisicaljca.reliability.FuzzTargets.Call;
import io.github.infisicaljca.reliability.FuzzTargets.Target;
import io.github.infisicaljca.reliability.Mutations.Mutation;
import java.security.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed-server fuzzing: the recorded real 2024 answers (login, create key, encrypt, decrypt,
 * list keys, and the error bodies) and synthetic answers of the calls the 2024 server could not
 * record (sign, verify, public key, signing algorithms, generate-mac) are mutated (see
 * {@link Mutations}, seeded) and served to the KmsClient method, and where there is one to the
 * JCA operation. The client may only throw KmsException; the JCA layer only what its method
 * declares (or the documented ProviderException). No other exception, no error, and no result
 * other than the one the answer states ({@link Faithful}); a signature must also verify.
 */
class MalformedResponseFuzzTest {
    static final String TOKEN = "st.FUZZ.static-access-token-1b7e40c9";

    static WireMockServer server;
    static KmsClient client;
    static InfisicalProvider provider;
    static InfisicalPrivateKey rsa;
    static Key aes;
    static Key hmac;
    static StubMapping current;

    @BeforeAll
    static void start() throws Exception {
        // No request journal: it would keep every 10 MiB answer served.
        server = new WireMockServer(wireMockConfig().dynamicPort().disableRequestJournal());
        server.start();
        InfisicalConfig config = InfisicalConfig.builder().withoutAmbientSources().url(server.baseUrl()).accessToken(TOKEN)
                .projectId(PROJECT_ID).maxRetries(0).requestTimeout(Duration.ofSeconds(20)).verify(VerifyMode.REMOTE).build();
        client = KmsClient.create(config);
        provider = new InfisicalProvider(config);
        server.stubFor(get(urlPathEqualTo(KEYS)).atPriority(5).willReturn(okJson("{\"keys\":[],\"totalCount\":0}")));
        stubKey(RSA_ID, "fuzz-rsa", "RSA_4096", "sign-verify");
        stubKey(AES_ID, "fuzz-aes", "aes-256-gcm", "encrypt-decrypt");
        stubKey(HMAC_ID, "fuzz-hmac", "HMAC_SHA_256", "generate-verify-mac");
        server.stubFor(get(urlPathEqualTo(path(RSA_ID, "public-key"))).atPriority(5)
                .willReturn(okJson(FuzzTargets.publicKeyBody())));
        rsa = (InfisicalPrivateKey) provider.key(RSA_ID);
        aes = provider.key(AES_ID);
        hmac = provider.key(HMAC_ID);
    }

    private static void stubKey(String id, String name, String algorithm, String usage) {
        server.stubFor(get(urlPathEqualTo(KEYS + "/" + id)).atPriority(5).willReturn(okJson("{\"key\":"
                + FakeInfisical.keyJson(id, name, algorithm, usage, PROJECT_ID) + "}")));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop();
    }

    @Test
    void mutatedAnswersGiveOnlyDeclaredExceptionsOrTheAnswersOwnResult() throws Exception {
        Random random = new Random(20241003L);
        List<String> failures = new ArrayList<>();
        int mutations = 0;
        int calls = 0;
        long started = System.nanoTime();
        for (Target t : FuzzTargets.all(client, provider, rsa, aes, hmac)) {
            for (Mutation m : Mutations.of(t.body(), random, 8)) {
                mutations++;
                serve(t, m);
                Object expected;
                try {
                    expected = t.oracle().expect(Faithful.object(m.body()));
                } catch (Impossible e) {
                    expected = e;
                }
                calls++;
                check(t.name() + " / " + m.label() + " / client", t.client(), expected, List.of(KmsException.class),
                        t.status(), failures);
                if (t.jca() != null) {
                    Object jcaExpected;
                    try {
                        jcaExpected = t.jcaOracle().expect(Faithful.object(m.body()));
                    } catch (Impossible e) {
                        jcaExpected = e;
                    }
                    calls++;
                    check(t.name() + " / " + m.label() + " / JCA", t.jca(), jcaExpected, t.jcaMay(), 0, failures);
                }
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.println("malformed-response fuzz: " + mutations + " mutations, " + calls + " calls, " + failures.size()
                + " failures, " + seconds + " s");
        assertTrue(mutations >= 300, "mutations: " + mutations);
        assertEquals(List.of(), failures.subList(0, Math.min(40, failures.size())), failures.size() + " failures");
    }

    private static void check(String where, Call call, Object expected, List<Class<? extends Throwable>> may,
            int status, List<String> failures) {
        Object result;
        try {
            result = call.run();
        } catch (Throwable t) {
            if (may.stream().noneMatch(c -> c.isInstance(t))) {
                failures.add(where + ": undeclared " + MatrixReport.chain(t));
            } else if (status >= 400 && t instanceof KmsApiException && ((KmsApiException) t).status() != status) {
                failures.add(where + ": status " + ((KmsApiException) t).status() + " instead of " + status);
            }
            return;
        }
        if (status >= 400) {
            failures.add(where + ": an HTTP " + status + " answer gave a result");
        } else if (expected instanceof Impossible) {
            failures.add(where + ": returned " + MatrixReport.brief(result) + " although " + ((Impossible) expected).getMessage());
        } else if (!Objects.deepEquals(expected, result)) {
            failures.add(where + ": returned " + MatrixReport.brief(result) + ", the answer says " + MatrixReport.brief(expected));
        }
    }

    private static void serve(Target t, Mutation m) {
        if (current != null) {
            server.removeStub(current);
        }
        MappingBuilder mb = request(t.method(), urlPathEqualTo(t.path())).atPriority(1);
        if (t.path().equals(KEYS) && t.method().equals("GET")) {
            mb = mb.withQueryParam("offset", equalTo("0")); // later pages are empty, so a walk always ends
        }
        ResponseDefinitionBuilder r = aResponse().withStatus(t.status()).withBody(m.body());
        if (m.contentType() != null) {
            r = r.withHeader("Content-Type", m.contentType());
        }
        current = server.stubFor(mb.willReturn(r));
    }
}
