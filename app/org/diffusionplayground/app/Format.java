package org.diffusionplayground.app;

import java.util.Locale;

/** How read-outs print numbers: four significant digits, true minus signs, ∞. */
public final class Format {

    private Format() {
    }

    public static String number(double v) {
        if (Double.isNaN(v)) return "—";
        if (Double.isInfinite(v)) return v > 0 ? "+∞" : "−∞";
        double a = Math.abs(v);
        String s;
        if (a == 0) s = "0";
        else if (a < 1e-3 || a >= 1e5) s = String.format(Locale.ROOT, "%.3e", v);
        else s = String.format(Locale.ROOT, "%." + Math.max(0, 3 - (int) Math.floor(Math.log10(a))) + "f", v);
        return s.replace('-', '−');
    }

    /** Digits as Unicode subscripts: 250 → ₂₅₀. */
    public static String subscript(int n) {
        StringBuilder b = new StringBuilder();
        for (char c : Integer.toString(n).toCharArray()) b.append(c == '-' ? '₋' : (char) ('₀' + (c - '0')));
        return b.toString();
    }
}
