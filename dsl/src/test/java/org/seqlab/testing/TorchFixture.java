package org.seqlab.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reference arrays computed by PyTorch (scripts in {@code dsl/src/test/python/}), read from a test
 * resource. The format is plain text so a reader can diff it: for each array one header line
 * {@code name d0 d1 ...} (a scalar has no dimensions) followed by one line of its values in c order.
 */
public final class TorchFixture {
    private final Map<String, INDArray> arrays = new LinkedHashMap<>();
    private final String resource;

    private TorchFixture(String resource) {
        this.resource = resource;
    }

    public static TorchFixture load(String resource) {
        TorchFixture f = new TorchFixture(resource);
        try (InputStream in = TorchFixture.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource
                    + " (regenerate with the scripts in dsl/src/test/python/)");
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i + 1 < lines.length; i += 2) {
                String[] head = lines[i].trim().split("\\s+");
                long[] shape = new long[head.length - 1];
                for (int d = 0; d < shape.length; d++) shape[d] = Long.parseLong(head[d + 1]);
                String[] vals = lines[i + 1].trim().isEmpty() ? new String[0] : lines[i + 1].trim().split("\\s+");
                double[] v = new double[vals.length];
                for (int k = 0; k < v.length; k++) v[k] = Double.parseDouble(vals[k]);
                f.arrays.put(head[0], Nd4j.create(v, shape.length == 0 ? new long[] {1} : shape, DataType.DOUBLE));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        return f;
    }

    /** The array named {@code name}, in double precision. */
    public INDArray get(String name) {
        INDArray a = arrays.get(name);
        if (a == null) throw new IllegalArgumentException(resource + " has no array '" + name + "', only " + arrays.keySet());
        return a.dup();
    }

    public INDArray get(String name, DataType type) {
        return get(name).castTo(type);
    }

    public boolean has(String name) {
        return arrays.containsKey(name);
    }
}
