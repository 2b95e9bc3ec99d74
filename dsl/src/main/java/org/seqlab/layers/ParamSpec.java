package org.seqlab.layers;

import java.util.Arrays;

/**
 * One named parameter of a layer: its local name (such as {@code W_ih}), its shape, and a short
 * description of its layout for the documentation and the summary. The compiler prefixes the
 * layer name ({@code lstm_1/W_ih}) and allocates it inside one flat buffer.
 */
public record ParamSpec(String name, long[] shape, String layout) {

    public long length() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
