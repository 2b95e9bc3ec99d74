package org.seqlab.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seqlab.layers.Layer;
import org.seqlab.layers.ParamSpec;
import org.seqlab.layers.Params;

/**
 * All parameters of a model in one flat array, and all gradients in another of the same layout.
 * Each layer gets views into both. One flat buffer lets the optimizer update every weight with
 * one call, gradient clipping take one norm, and saving write one array.
 */
public final class ParameterBuffer {
    private final INDArray values;
    private final INDArray grads;
    private final Map<String, INDArray> valuesByName = new LinkedHashMap<>();
    private final Map<String, INDArray> gradsByName = new LinkedHashMap<>();

    public ParameterBuffer(List<Layer> layers, DataType dtype) {
        long total = 0;
        for (Layer layer : layers) {
            for (ParamSpec spec : layer.paramSpecs()) total += spec.length();
        }
        values = Nd4j.zeros(dtype, 1, Math.max(total, 1));
        grads = Nd4j.zeros(dtype, 1, Math.max(total, 1));
        long offset = 0;
        for (Layer layer : layers) {
            Params params = new Params();
            for (ParamSpec spec : layer.paramSpecs()) {
                long n = spec.length();
                INDArray v = view(values, offset, n, spec.shape());
                INDArray g = view(grads, offset, n, spec.shape());
                params.put(spec.name(), v, g);
                valuesByName.put(layer.name() + "/" + spec.name(), v);
                gradsByName.put(layer.name() + "/" + spec.name(), g);
                offset += n;
            }
            layer.bind(params);
        }
    }

    private static INDArray view(INDArray flat, long offset, long n, long[] shape) {
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
    }

    /** The flat {@code [1, n]} array of every parameter value. */
    public INDArray values() {
        return values;
    }

    /** The flat {@code [1, n]} array of every gradient, in the same layout as {@link #values()}. */
    public INDArray grads() {
        return grads;
    }

    public long size() {
        return valuesByName.values().stream().mapToLong(INDArray::length).sum();
    }

    /** Parameter views by full name ({@code lstm_1/W_ih}), in layout order. */
    public Map<String, INDArray> byName() {
        return Collections.unmodifiableMap(valuesByName);
    }

    public Map<String, INDArray> gradsByName() {
        return Collections.unmodifiableMap(gradsByName);
    }

    public List<String> names() {
        return new ArrayList<>(valuesByName.keySet());
    }
}
