package org.seqlab.kernel.render;

import java.util.Arrays;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ND4J arrays as compact text: a header with dtype and shape, then the values, summarised with
 * "..." past {@link #MAX_ELEMENTS} so a [64, 128, 256] activation tensor prints in a few lines.
 */
public final class NDArrayRenderer {
    public static final long MAX_ELEMENTS = 120;
    public static final int PRECISION = 4;

    private NDArrayRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(INDArray.class)
                .preferring(MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((array, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> text(array)));
    }

    public static String text(INDArray a) {
        if (a == null) {
            return "null";
        }
        if (a.wasClosed()) {
            return "INDArray (closed)";
        }
        String header = "INDArray " + a.dataType().name().toLowerCase() + " " + Arrays.toString(a.shape());
        if (a.isEmpty()) {
            return header + " (empty)";
        }
        boolean summarise = a.length() > MAX_ELEMENTS;
        String body = a.toString(MAX_ELEMENTS, summarise, PRECISION);
        return header + (summarise ? " (summarised)" : "") + "\n" + body;
    }
}
