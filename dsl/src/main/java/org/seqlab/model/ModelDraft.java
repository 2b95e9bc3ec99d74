package org.seqlab.model;

import java.util.List;
import org.seqlab.data.Vocab;

/**
 * A model whose input is not declared yet ({@code Seq.model().embed(256).lstm(512).softmax()}, no
 * {@code vocab(..)}): its layers, head and seed. Everything that does not depend on the input size is
 * validated now; {@link #withInput} makes the full spec once the first data says what the input is.
 */
public record ModelDraft(List<LayerSpec> layers, Head head, long seed) {

    public ModelDraft {
        layers = List.copyOf(layers);
        boolean tokens = !layers.isEmpty() && layers.get(0).readsTokenIds();
        InputSpec provisional = tokens ? InputSpec.tokens(2) : InputSpec.features(1);
        boolean nextToken = head != null && head.kind() == Head.Kind.SOFTMAX && head.units() == 0;
        new ModelSpec(provisional, layers, nextToken && !tokens ? new Head(Head.Kind.SOFTMAX, 2) : head, seed, null);
    }

    public ModelSpec withInput(InputSpec input, Vocab vocab) {
        return new ModelSpec(input, layers, head, seed, vocab);
    }
}
