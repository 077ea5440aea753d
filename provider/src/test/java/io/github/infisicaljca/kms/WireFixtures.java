package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.requestedFor;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.matching.UrlPattern;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * WireMock fixtures shared by the wire-level client tests: binary values whose base64 needs
 * padding and uses '+' and '/', with their base64 written out by hand (so the tests do not
 * check the client's encoder against itself), request patterns for the header rules, and
 * key objects as the servers send them.
 */
final class WireFixtures {
    /** Four bytes: base64 "+/+/AA==" (two padding characters, '+' and '/'). */
    static final byte[] DATA = bytes(0xfb, 0xff, 0xbf, 0x00);
    static final String DATA_B64 = "+/+/AA==";
    /** Eight bytes: base64 "/+++AQID+/A=" (one padding character). */
    static final byte[] CIPHERTEXT = bytes(0xff, 0xef, 0xbe, 0x01, 0x02, 0x03, 0xfb, 0xf0);
    static final String CIPHERTEXT_B64 = "/+++AQID+/A=";
    static final byte[] SIGNATURE = bytes(0x3e, 0xff, 0xfe, 0x7f, 0x00, 0x11, 0x22);
    static final String SIGNATURE_B64 = "Pv/+fwARIg==";
    static final byte[] MAC = bytes(0xfa, 0xdf, 0xbf, 0x7e, 0x3f);
    static final String MAC_B64 = "+t+/fj8=";
    /** A 32-byte SHA-256-sized digest. */
    static final byte[] DIGEST_32 = digest32();
    static final String DIGEST_32_B64 = "+/69+Pu6/fi38vW09/Kx9O+u6eyr7umo4+al4OOi5eA=";

    static final String ORG_ID = "a2666b20-491d-49d3-8608-44d847e41460";
    static final String OTHER_KEY_ID = "00000000-1111-2222-3333-444444444444";
    static final String CREATED_AT = "2024-10-03T08:24:12.409Z";
    static final Instant CREATED_AT_INSTANT =
            ZonedDateTime.of(2024, 10, 3, 8, 24, 12, 409_000_000, ZoneOffset.UTC).toInstant();
    static final String KMS = "/api/v1/kms/keys";

    private WireFixtures() {
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] digest32() {
        int[] pattern = {0xfb, 0xff, 0xbf};
        byte[] d = new byte[32];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (pattern[i % 3] ^ i);
        }
        return d;
    }

    static WireMockExtension newServer() {
        return WireMockExtension.newInstance()
                .options(com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig().dynamicPort())
                .build();
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder ok(String body) {
        return json(200, body);
    }

    /** A KMS call as the contract wants it: the bearer token, JSON accepted, our User-Agent. */
    static RequestPatternBuilder kms(String method, UrlPattern url) {
        return common(method, url).withHeader("Authorization", equalTo("Bearer " + TestSupport.TOKEN));
    }

    /** An auth call: the credential travels in the body, never in an Authorization header. */
    static RequestPatternBuilder auth(String method, UrlPattern url) {
        return common(method, url).withoutHeader("Authorization")
                .withHeader("Content-Type", equalTo("application/json"));
    }

    static RequestPatternBuilder common(String method, UrlPattern url) {
        return requestedFor(method, url)
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", matching("infisical-jca/.+"));
    }

    /** A KMS call with a JSON body that must equal {@code json} exactly (no extra fields). */
    static RequestPatternBuilder kmsWithBody(String method, UrlPattern url, String json) {
        return kms(method, url).withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson(json, false, false));
    }

    /** A key object; {@code keyUsage} and {@code algorithm} are left out when null (2024 servers). */
    static String keyJson(String id, String name, String algorithm, String keyUsage) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"description\":null,\"isDisabled\":false,"
                + "\"isReserved\":false,\"orgId\":\"" + ORG_ID + "\",\"projectId\":\"" + TestSupport.PROJECT_ID
                + "\",\"createdAt\":\"" + CREATED_AT + "\",\"updatedAt\":\"" + CREATED_AT + "\",\"slug\":null,"
                + "\"version\":1" + (algorithm == null ? "" : ",\"encryptionAlgorithm\":\"" + algorithm + "\"")
                + (keyUsage == null ? "" : ",\"keyUsage\":\"" + keyUsage + "\"") + "}";
    }

    /** A UUID-shaped key id numbered {@code n}. */
    static String keyId(int n) {
        return String.format("%08x-0000-4000-8000-%012x", n, n);
    }

    /** The framework's answer for a route the server does not have (2024 servers: get-key). */
    static String routeNotFound(String method, String path) {
        return "{\"message\":\"Route " + method + ":" + path + " not found\",\"error\":\"Not Found\",\"statusCode\":404}";
    }
}
