package org.seqlab.music;

/** An exact non-negative duration in whole notes (1/8 is an eighth), so bar lengths compare exactly. */
record Fraction(long num, long den) implements Comparable<Fraction> {
    static final Fraction ZERO = new Fraction(0, 1);
    static final Fraction ONE = new Fraction(1, 1);

    Fraction {
        if (den <= 0) throw new IllegalArgumentException("denominator must be positive: " + num + "/" + den);
        long g = gcd(Math.abs(num), den);
        if (g > 1) {
            num /= g;
            den /= g;
        }
    }

    static Fraction of(long num, long den) {
        return new Fraction(num, den);
    }

    Fraction plus(Fraction o) {
        return new Fraction(num * o.den + o.num * den, den * o.den);
    }

    Fraction minus(Fraction o) {
        return new Fraction(num * o.den - o.num * den, den * o.den);
    }

    Fraction times(Fraction o) {
        return new Fraction(num * o.num, den * o.den);
    }

    Fraction times(long n, long d) {
        return times(new Fraction(n, d));
    }

    double value() {
        return num / (double) den;
    }

    boolean isZero() {
        return num == 0;
    }

    @Override
    public int compareTo(Fraction o) {
        return Long.compare(num * o.den, o.num * den);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a == 0 ? 1 : a;
    }

    @Override
    public String toString() {
        return den == 1 ? String.valueOf(num) : num + "/" + den;
    }
}
