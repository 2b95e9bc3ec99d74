package org.seqlab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seqlab.data.LabelledSequences;
import org.seqlab.data.ValueSequences;
import org.seqlab.data.synthetic.AddingProblem;
import org.seqlab.data.synthetic.BracketMatching;
import org.seqlab.data.synthetic.CopyTask;
import org.seqlab.train.FitOptions;

/**
 * Tasks that only a model with memory solves, with fixed seeds: the lectures' claims, measured.
 * Thresholds come from the issue; the step counts are what these seeds need on two cores.
 */
class LearningTest {

    /** Hochreiter and Schmidhuber's adding problem at T=50: the LSTM solves it, a tanh RNN of the same size does not. */
    @Test
    void lstmSolvesTheAddingProblemWhereATanhRnnDoesNot() {
        ValueSequences train = AddingProblem.generate(4096, 50, 1);
        ValueSequences test = AddingProblem.generate(512, 50, 2);
        FitOptions options = FitOptions.steps(1500).batchSize(64).adam(1e-2).clipNorm(1);

        Model lstm = Seq.model().features(2).lstm(32).last().linear(1).seed(1).build();
        lstm.fit(train, options);
        double lstmMse = lstm.evaluate(test).loss();

        Model rnn = Seq.model().features(2).rnn(32).last().linear(1).seed(1).build();
        rnn.fit(train, FitOptions.steps(1500).batchSize(64).adam(1e-2).clipNorm(1));
        double rnnMse = rnn.evaluate(test).loss();

        System.out.printf("adding problem T=50: LSTM test MSE %.5f, tanh RNN %.5f%n", lstmMse, rnnMse);
        assertTrue(lstmMse < 0.01, "LSTM test MSE " + lstmMse);
        assertTrue(rnnMse > 0.05, "tanh RNN test MSE " + rnnMse + " (predicting the mean gives about 0.167)");
    }

    /** A GRU repeats five symbols after a delay of ten blanks. */
    @Test
    void gruCopiesASequenceAfterADelay() {
        int symbols = 8, length = 5, delay = 10;
        LabelledSequences train = CopyTask.generate(2048, symbols, length, delay, 3);
        LabelledSequences test = CopyTask.generate(256, symbols, length, delay, 4);
        Model gru = Seq.model().vocab(CopyTask.vocab(symbols)).embed(16).gru(64).softmax().seed(3).build();
        gru.fit(train, FitOptions.steps(2000).batchSize(64).adam(1e-2).clipNorm(1));
        double acc = copiedSymbolAccuracy(gru, test, length, delay);
        System.out.printf("copy task (delay %d): GRU copied-symbol accuracy %.4f%n", delay, acc);
        assertTrue(acc >= 0.95, "copied-symbol accuracy " + acc);
    }

    private static double copiedSymbolAccuracy(Model m, LabelledSequences test, int length, int delay) {
        int n = test.size(), steps = length + delay;
        float[][] ids = new float[n][steps];
        for (int i = 0; i < n; i++) {
            int[] s = test.sequence(i);
            for (int t = 0; t < steps; t++) ids[i][t] = s[t];
        }
        INDArray probs = m.predict(Nd4j.createFromArray(ids)); // [n, T, classes]
        int right = 0, total = 0;
        for (int i = 0; i < n; i++) {
            int[] tags = test.tags(i);
            for (int t = delay; t < steps; t++) {
                int predicted = Nd4j.argMax(probs.get(NDArrayIndex.point(i), NDArrayIndex.point(t), NDArrayIndex.all())).getInt(0);
                right += predicted == tags[t] ? 1 : 0;
                total++;
            }
        }
        return right / (double) total;
    }

    /** Balanced brackets, lengths 6..40, padded and masked in every batch. */
    @Test
    void maskedClassifierLearnsVariableLengthSequences() {
        LabelledSequences train = BracketMatching.generate(4000, 6, 40, 5);
        LabelledSequences test = BracketMatching.generate(500, 6, 40, 6);
        Model m = Seq.model().vocab(BracketMatching.vocab()).embed(8).lstm(32).last().softmax(2).seed(5).build();
        m.fit(train, FitOptions.epochs(8).batchSize(32).adam(1e-2).clipNorm(1));
        double acc = m.evaluate(test).accuracy();
        System.out.printf("bracket matching (lengths 6..40, masked): held-out accuracy %.4f%n", acc);
        assertTrue(acc >= 0.95, "held-out accuracy " + acc);
    }

}
