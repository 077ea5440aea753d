package io.github.infisicaljca.telemetry.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A call waiting for a route's next rate-limit window. Loaded only when {@code jdk.jfr} is present. */
@Name(RateLimitWaitEvent.NAME)
@Label("Infisical Rate-Limit Wait")
@Description("A KMS call waited for the next window of a rate limit the server announced")
@Category({"Infisical", "KMS"})
@StackTrace(false)
final class RateLimitWaitEvent extends Event {
    static final String NAME = "io.github.infisicaljca.RateLimitWait";

    @Label("Operation")
    String operation;

    @Label("Route")
    @Description("The budget waited for: method and path as the server counts it")
    String route;

    @Label("Waited")
    @Description("The wait, on the client's deadline clock")
    @Timespan(Timespan.NANOSECONDS)
    long waited;
}
