package org.seqlab.train;

/**
 * The end of one pass over the training data.
 *
 * @param trainLoss          mean training loss over the epoch's steps
 * @param validationLoss     loss on the validation split, NaN without one
 * @param validationAccuracy accuracy on the validation split, NaN without one or for regression
 */
public record EpochRecord(int epoch, int lastStep, double trainLoss, double validationLoss, double validationAccuracy) {
}
