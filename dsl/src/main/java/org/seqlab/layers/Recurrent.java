package org.seqlab.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer with state carried from step to step (RNN, LSTM, GRU, bidirectional wrappers, and the
 * key/value cache of causal attention during generation).
 */
public interface Recurrent {

    /** The state the last forward pass ended in ({@code [batch, hidden]} arrays: h, and c for LSTM). */
    List<INDArray> finalState();

    /** The gradient of the loss with respect to each per-step output h_t, from the last backward pass
     *  ({@code [time*batch, hidden]} time-major), for gradient-flow inspection; null if not recorded. */
    default INDArray stepGradients() {
        return null;
    }
}
