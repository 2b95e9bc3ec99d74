package org.seqlab.model;

import org.seqlab.layers.Layer;
import org.seqlab.layers.RecurrentLayer;

/**
 * A recurrent kind (RNN, LSTM, GRU): {@code units} per step, over a sequence. {@link #cell} makes its
 * layer under any name, so {@link BidirectionalSpec} can make one per direction.
 */
public interface RecurrentSpec extends LayerSpec {

    int units();

    RecurrentLayer cell(String name, int inputWidth);

    @Override
    default Flow plan(Flow in, PlanContext at) {
        at.positive("number of units", units());
        at.needsSequence(in, "a recurrent layer");
        return Flow.steps(units());
    }

    @Override
    default Layer compile(CompileContext at) {
        return cell(at.name(), at.input().width());
    }
}
