package org.seqlab.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.seqlab.layers.Layer;
import org.seqlab.layers.ParamSpec;
import org.seqlab.model.ModelSpec;

/**
 * The names, shapes and total count of a model's parameters, in the order of its flat buffer,
 * read from the layers' declarations alone: layer constructors allocate nothing, only
 * {@link ParameterBuffer} does. So a saved file can be checked against its own spec (how many
 * values, which names) before a single array exists, and a spec that asks for billions of
 * parameters is refused instead of allocated. Counts use exact arithmetic: a hostile spec cannot
 * overflow them into something small.
 */
public record ParameterLayout(List<String> names, List<long[]> shapes, long total) {

    public ParameterLayout {
        names = List.copyOf(names);
        shapes = List.copyOf(shapes);
    }

    /** The layout {@link Compiler#compile} will allocate for {@code spec}. */
    public static ParameterLayout of(ModelSpec spec) {
        return of(Compiler.layers(spec));
    }

    /** The layout {@link Compiler#compile(Seq2SeqSpec, org.nd4j.linalg.api.buffer.DataType)} will allocate. */
    public static ParameterLayout of(org.seqlab.model.Seq2SeqSpec spec) {
        return of(Compiler.layers(spec).all());
    }

    /**
     * @throws ArithmeticException when the count does not fit in a long
     * @throws IllegalArgumentException when a declared dimension is not positive
     */
    static ParameterLayout of(List<Layer> layers) {
        List<String> names = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        long total = 0;
        for (Layer layer : layers) {
            for (ParamSpec p : layer.paramSpecs()) {
                long n = 1;
                for (long d : p.shape()) {
                    if (d <= 0) {
                        throw new IllegalArgumentException(layer.name() + "/" + p.name() + " would have shape "
                                + Arrays.toString(p.shape()) + "; every dimension must be positive");
                    }
                    n = Math.multiplyExact(n, d);
                }
                total = Math.addExact(total, n);
                names.add(layer.name() + "/" + p.name());
                shapes.add(p.shape().clone());
            }
        }
        return new ParameterLayout(names, shapes, total);
    }

    /** The parameter and element a flat index falls on, as {@code lstm_1/W_hh[3, 7]}. */
    public String locate(long flatIndex) {
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            long[] shape = shapes.get(i);
            long n = 1;
            for (long d : shape) n *= d;
            if (flatIndex < offset + n) {
                long rest = flatIndex - offset;
                long[] at = new long[shape.length];
                for (int d = shape.length - 1; d >= 0; d--) {
                    at[d] = rest % shape[d];
                    rest /= shape[d];
                }
                return names.get(i) + Arrays.toString(at);
            }
            offset += n;
        }
        throw new IndexOutOfBoundsException("index " + flatIndex + " is past the " + total + " parameters");
    }
}
