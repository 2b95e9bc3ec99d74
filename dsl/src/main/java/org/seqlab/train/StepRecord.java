package org.seqlab.train;

/**
 * What one optimizer step measured.
 *
 * @param step            1-based update count
 * @param totalSteps      planned updates for the whole fit
 * @param epoch           1-based epoch
 * @param loss            mean training loss of the batch (or truncated-BPTT chunk)
 * @param accuracy        fraction of correct class predictions, NaN for regression heads
 * @param perplexity      exp(loss) for per-step softmax heads (language models), NaN otherwise
 * @param gradNorm        global L2 norm of the gradient before clipping
 * @param clippedGradNorm global L2 norm after clipping (equal to gradNorm when nothing was clipped)
 * @param learningRate    the rate used for this update
 * @param tokensPerSecond real input steps processed per wall-clock second in this update
 * @param elapsedMillis   since the fit started
 */
public record StepRecord(int step, int totalSteps, int epoch, double loss, double accuracy, double perplexity,
                         double gradNorm, double clippedGradNorm, double learningRate, double tokensPerSecond,
                         long elapsedMillis) {
}
