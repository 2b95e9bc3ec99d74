package org.seqlab.train;

/**
 * What one forward pass over a labelled batch measured: the mean loss over its real target
 * positions, and how many of the counted predictions were right (token accuracy; 0 of 0 for
 * regression heads).
 */
public record Measured(double loss, long correct, long counted) {
}
