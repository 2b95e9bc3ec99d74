package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqlab.data.ParallelText;
import org.seqlab.data.synthetic.SyntheticTranslation;
import org.seqlab.decode.BeamSearch;
import org.seqlab.decode.Translation;
import org.seqlab.decode.Translations;
import org.seqlab.train.FitOptions;

/**
 * Bahdanau et al.'s claim on our synthetic translation task (SyntheticTranslation: another word
 * order, agreement, sources of 3 to 29 words), with fixed seeds: an encoder-decoder with attention
 * learns it; the same model without attention, which must squeeze each source into the bridge's one
 * vector, stays far below on long sources. And beam search (k = 5) never scores below greedy.
 *
 * <p>300 steps of 32 pairs each. Measured (OMP_NUM_THREADS=1, as {@code ./seqlab test} runs it): with
 * attention 99.3% exact match (97.2% on long sources); without, 0.0% in the same steps; beam 5 reaches
 * 100% on the 120 pairs where greedy has 99.2%. About 30 s of CPU for the class; with ND4J's default
 * two OpenMP threads on a loaded machine it runs several times slower.
 */
class Seq2SeqLearningTest {
    private static final ParallelText ALL = SyntheticTranslation.dataset(3300, 1);
    private static final List<ParallelText> PARTS = ALL.split(300 / 3300.0, 2);
    private static final ParallelText TRAIN = PARTS.get(0), TEST = PARTS.get(1);
    /** Held-out sources of 16 words or more (about a quarter of them). */
    private static final ParallelText LONG = TEST.where(p -> p.source().split(" ").length >= 16);
    private static Seq2SeqModel withAttention;

    /** Embed 32, a bidirectional GRU of 64 per direction; a GRU of 64, with or without additive attention. */
    private static Seq2SeqModel train(boolean attention) {
        Seq2SeqModel m = Seq.seq2seq(TRAIN.sourceVocab(), TRAIN.targetVocab())
                .encoder(e -> e.embed(32).bidirectional(Seq.gru(64)))
                .decoder(d -> {
                    d.embed(32).gru(64);
                    if (attention) d.attention(Attention.additive());
                })
                .seed(7).build();
        m.fit(TRAIN, FitOptions.steps(250).batchSize(32).adam(3e-3).clipNorm(5));
        m.fit(TRAIN, FitOptions.steps(100).batchSize(32).adam(1e-3).clipNorm(5).seed(43)); // a lower rate to finish
        return m;
    }

    private static synchronized Seq2SeqModel withAttention() {
        if (withAttention == null) withAttention = train(true);
        return withAttention;
    }

    @Test
    void attentionReaches95PercentExactMatchWhereTheModelWithoutItStaysFarBelowOnLongSources() {
        Translations attended = withAttention().translate(TEST);
        Translations attendedLong = withAttention().translate(LONG);
        Seq2SeqModel plain = train(false);
        Translations plainAll = plain.translate(TEST);
        Translations plainLong = plain.translate(LONG);
        System.out.printf("seq2seq, %d held-out pairs (%d with 16+ source words): with attention exact match %.1f%% (long %.1f%%), %s;"
                        + " without attention %.1f%% (long %.1f%%), %s%n", TEST.size(), LONG.size(),
                100 * attended.exactMatch(), 100 * attendedLong.exactMatch(), attended.bleu(),
                100 * plainAll.exactMatch(), 100 * plainLong.exactMatch(), plainAll.bleu());
        assertTrue(attended.exactMatch() >= 0.95, "with attention: " + attended);
        assertTrue(plainLong.exactMatch() <= 0.5 && attendedLong.exactMatch() - plainLong.exactMatch() >= 0.4,
                "without attention on long sources: " + plainLong + "\nwith: " + attendedLong);
    }

    /**
     * By the model's own length-normalised score (alpha 1): beam 5's best is never below the greedy
     * translation. Up to float rounding: the same hypothesis scored in a batch of 5 rows (beam) and of
     * 64 (greedy) can differ in the 7th digit, so a deficit must exceed 1e-5 to count.
     */
    @Test
    void beamOfFiveNeverScoresBelowGreedyOnHeldOutPairs() {
        Seq2SeqModel m = withAttention();
        ParallelText held = TEST.select(java.util.stream.IntStream.range(0, 120).toArray());
        Translations greedy = m.translate(held);
        Translations beam = m.translate(held, BeamSearch.width(5).maxLength(70).lengthPenalty(1.0));
        List<String> worse = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            Translation g = greedy.get(i), b = beam.get(i);
            if (b.score() < g.score() - 1e-5) worse.add(held.pair(i).source() + ": beam " + b + " vs greedy " + g);
        }
        System.out.printf("seq2seq, %d held-out pairs: greedy exact match %.1f%%, %s, mean score %.4f; beam 5 exact match %.1f%%, %s, "
                        + "mean score %.4f%n", held.size(), 100 * greedy.exactMatch(), greedy.bleu(), greedy.meanScore(),
                100 * beam.exactMatch(), beam.bleu(), beam.meanScore());
        assertTrue(worse.isEmpty(), "beam scored below greedy on " + worse.size() + " pairs:\n" + String.join("\n", worse));
        assertTrue(beam.meanScore() >= greedy.meanScore() - 1e-5);
    }
}
