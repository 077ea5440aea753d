package io.github.infisicaljca.benchmarks;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * One figure of the report: a ratio of two measurements taken side by side in one run, the
 * target it is held to, and the inputs that produced it.
 *
 * @param key         the name in {@code bench.json}, for example {@code sign_overhead_ratio}
 * @param value       the ratio
 * @param target      what it should be
 * @param numerator   what was measured on top, with its value and unit
 * @param denominator what it is compared with
 * @param inputs      sizes, threads, latency, runs
 */
record Figure(String key, double value, Target target, String numerator, String denominator, String inputs) {
    Figure {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(key + " is not a usable ratio: " + value);
        }
    }

    boolean met() {
        return target.met(value);
    }

    /**
     * The value as the table shows it, rounded towards missing the target, so that a 0.8996
     * against {@code >= 0.90} reads 0.899, never a met-looking 0.900.
     */
    String shown() {
        int scale = value >= 10 ? 1 : 3;
        return BigDecimal.valueOf(value).setScale(scale, target.atLeast() ? RoundingMode.FLOOR : RoundingMode.CEILING)
                .toPlainString();
    }

    /** {@code >= bound} or {@code <= bound}. */
    record Target(boolean atLeast, double bound) {
        static Target atLeast(double bound) {
            return new Target(true, bound);
        }

        static Target atMost(double bound) {
            return new Target(false, bound);
        }

        boolean met(double value) {
            return atLeast ? value >= bound : value <= bound;
        }

        @Override
        public String toString() {
            return (atLeast ? ">= " : "<= ") + String.format(Locale.ROOT, "%.2f", bound);
        }
    }

    /** Three decimals below 10. */
    static String format(double v) {
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.3f", v);
    }
}
