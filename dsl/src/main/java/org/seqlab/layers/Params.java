package org.seqlab.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer's parameters and their gradients, by local name. Both are views into the model's two flat
 * buffers (values and gradients), so the optimizer and gradient clipping act on all parameters
 * of the model with one operation, and a layer writes its gradients in place ({@code addi}: the
 * trainer zeroes the flat gradient buffer before each backward pass).
 */
public final class Params {
    private final Map<String, INDArray> values = new LinkedHashMap<>();
    private final Map<String, INDArray> grads = new LinkedHashMap<>();

    public void put(String name, INDArray value, INDArray grad) {
        values.put(name, value);
        grads.put(name, grad);
    }

    public INDArray value(String name) {
        INDArray v = values.get(name);
        if (v == null) throw new IllegalStateException("no parameter '" + name + "' was bound");
        return v;
    }

    public INDArray grad(String name) {
        INDArray g = grads.get(name);
        if (g == null) throw new IllegalStateException("no gradient for '" + name + "' was bound");
        return g;
    }

    public Map<String, INDArray> values() {
        return values;
    }
}
