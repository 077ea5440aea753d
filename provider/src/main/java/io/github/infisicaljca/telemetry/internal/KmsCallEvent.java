package io.github.infisicaljca.telemetry.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One KMS call, retries and waits included. Loaded only when {@code jdk.jfr} is present. */
@Name(KmsCallEvent.NAME)
@Label("Infisical KMS Call")
@Description("One call of the Infisical KMS REST API, from its first attempt to its outcome")
@Category({"Infisical", "KMS"})
@StackTrace(false)
final class KmsCallEvent extends Event {
    static final String NAME = "io.github.infisicaljca.KmsCall";

    @Label("Operation")
    @Description("The client operation, for example sign, encrypt or login")
    String operation;

    @Label("Key Id")
    @Description("The KMS key addressed, if any")
    String keyId;

    @Label("HTTP Status")
    @Description("The status of the last answer; 0 when no attempt got one")
    int status;

    @Label("Attempts")
    @Description("Requests sent, retries included")
    int attempts;

    @Label("Outcome")
    @Description("SUCCESS, or the failure's kind (API, TIMEOUT, RATE_LIMITED, IO, CONNECT, ...)")
    String outcome;

    @Label("Request Bytes")
    @Description("Request body bytes over all answered attempts")
    @DataAmount
    long requestBytes;

    @Label("Response Bytes")
    @Description("Response body bytes over all answered attempts")
    @DataAmount
    long responseBytes;
}
