package org.sr2fhir.tid1500;

import java.math.BigDecimal;
import org.sr2fhir.sr.ContentItem;

/**
 * Decision D45: a NUM value that is not sent, and why. FHIR's decimal grammar has no bound, but real servers index
 * a Quantity as a double and some expand a decimal's exponent in full (HAPI runs out of memory on {@code 1E999999999});
 * NaN and infinities have no decimal form at all. A value outside these bounds becomes
 * {@code dataAbsentReason} {@link #code()} (data-absent-reason) with {@link #reason()} as its text, and a deviation
 * in the conversion report.
 *
 * @param code   data-absent-reason code: not-a-number, positive-infinity, negative-infinity or unsupported
 * @param reason what the value was and why it is not sent
 */
public record UnsentValue(String code, String reason) {
    /** Largest |adjusted exponent| sent: inside a double's normal range (about 1e±308) with a margin. */
    public static final int MAX_EXPONENT = 300;
    /** Most significant digits sent: a double holds 17, DICOM DS at most 16 characters. */
    public static final int MAX_DIGITS = 17;

    /** The data-absent-reason code's display. */
    public String display() {
        return switch (code) {
            case "not-a-number" -> "Not a Number (NaN)";
            case "positive-infinity" -> "Positive Infinity (PINF)";
            case "negative-infinity" -> "Negative Infinity (NINF)";
            default -> "Unsupported";
        };
    }

    /** Why the NUM's value cannot be sent, or null when {@code value} (its value as read, may be null) can. */
    static UnsentValue of(ContentItem.Num num, BigDecimal value) {
        Double floating = num.floatingPointValue();
        if (value == null && floating != null && !Double.isFinite(floating)) {
            String code = floating.isNaN() ? "not-a-number" : floating > 0 ? "positive-infinity" : "negative-infinity";
            return new UnsentValue(code, "Floating Point Value " + floating + " has no decimal form");
        }
        if (value == null || value.signum() == 0) {
            return null;
        }
        long exponent = (long) value.precision() - value.scale() - 1;
        if (Math.abs(exponent) > MAX_EXPONENT) {
            return new UnsentValue("unsupported", "numeric value with decimal exponent " + exponent
                    + " is outside what FHIR servers hold (at most " + MAX_EXPONENT + ")");
        }
        if (value.precision() > MAX_DIGITS) {
            return new UnsentValue("unsupported", "numeric value with " + value.precision()
                    + " significant digits is more precise than FHIR servers hold (at most " + MAX_DIGITS + ")");
        }
        return null;
    }
}
