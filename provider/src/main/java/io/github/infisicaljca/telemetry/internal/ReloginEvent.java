package io.github.infisicaljca.telemetry.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One Universal Auth login or token renewal. Loaded only when {@code jdk.jfr} is present. */
@Name(ReloginEvent.NAME)
@Label("Infisical Re-login")
@Description("The client obtained (or failed to obtain) an access token by a login or a renewal")
@Category({"Infisical", "KMS"})
@StackTrace(false)
final class ReloginEvent extends Event {
    static final String NAME = "io.github.infisicaljca.Relogin";

    @Label("Reason")
    @Description("Why a token was needed: first-login, expired, rejected, renewal or revoked")
    String reason;

    @Label("Renewal")
    @Description("Whether the token was renewed rather than obtained by a login")
    boolean renewal;

    @Label("Success")
    boolean success;
}
