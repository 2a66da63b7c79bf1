package org.diffusionplayground.model.train;

/**
 * How to train: steps, batch, optimiser, EMA, loss weighting, conditioning dropout, checkpoints.
 * Stored in every checkpoint so a resumed run continues with the same settings.
 *
 * @param steps           total optimiser steps of the run (a resumed run may raise it)
 * @param batch           images per step
 * @param learningRate    Adam's peak learning rate, reached after {@code warmupSteps}
 * @param warmupSteps     linear warm-up of the learning rate (0 = none)
 * @param weightDecay     decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019); 0 = plain Adam
 * @param emaDecay        EMA decay of the weights, warmed up as min(decay, (1+n)/(10+n))
 * @param minSnrGamma     min-SNR-γ loss weighting (Hang et al. 2023); 0 = unweighted
 * @param labelDropout    probability of replacing a label by the null class (Ho &amp; Salimans 2022)
 * @param checkpointEvery steps between checkpoints (one is also written at stop and at the end)
 * @param updateClip      cap on each tensor's update RMS, in units of the learning rate
 *                        (Adafactor's update clipping, Shazeer &amp; Stern 2018, §6); 0 = off
 * @param seed            seed of the weight init, data order, t, noise and label dropout
 */
public record TrainConfig(int steps, int batch, double learningRate, int warmupSteps, double weightDecay,
                          double emaDecay, double minSnrGamma, double labelDropout, int checkpointEvery,
                          double updateClip, long seed) {

    public TrainConfig {
        if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
        if (batch < 1 || batch > 4096) throw new IllegalArgumentException("batch (%d) must be in [1, 4096]".formatted(batch));
        if (!(learningRate > 0 && learningRate < 1)) throw new IllegalArgumentException(
                "learningRate (%s) must be in (0, 1)".formatted(learningRate));
        if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps (%d) must be ≥ 0".formatted(warmupSteps));
        if (!(weightDecay >= 0 && weightDecay < 1)) throw new IllegalArgumentException(
                "weightDecay (%s) must be in [0, 1)".formatted(weightDecay));
        if (!(emaDecay >= 0 && emaDecay < 1)) throw new IllegalArgumentException(
                "emaDecay (%s) must be in [0, 1)".formatted(emaDecay));
        if (!(minSnrGamma >= 0) || Double.isInfinite(minSnrGamma)) throw new IllegalArgumentException(
                "minSnrGamma (%s) must be ≥ 0 and finite".formatted(minSnrGamma));
        if (!(labelDropout >= 0 && labelDropout <= 1)) throw new IllegalArgumentException(
                "labelDropout (%s) must be in [0, 1]".formatted(labelDropout));
        if (checkpointEvery < 1) throw new IllegalArgumentException(
                "checkpointEvery (%d) must be ≥ 1".formatted(checkpointEvery));
        if (!(updateClip >= 0) || Double.isInfinite(updateClip)) throw new IllegalArgumentException(
                "updateClip (%s) must be ≥ 0 and finite".formatted(updateClip));
    }

    /** The MNIST defaults: batch 64, Adam 1e-3 with 200 warm-up steps, EMA 0.999, p_uncond 0.1. */
    public static TrainConfig defaults(int steps) {
        return new TrainConfig(steps, 64, 1e-3, 200, 0.0, 0.999, 0.0, 0.1, 200, 1.0, 42);
    }

    public TrainConfig withSteps(int newSteps) {
        return new TrainConfig(newSteps, batch, learningRate, warmupSteps, weightDecay, emaDecay, minSnrGamma,
                labelDropout, checkpointEvery, updateClip, seed);
    }

    public TrainConfig withBatch(int newBatch) {
        return new TrainConfig(steps, newBatch, learningRate, warmupSteps, weightDecay, emaDecay, minSnrGamma,
                labelDropout, checkpointEvery, updateClip, seed);
    }

    public TrainConfig withCheckpointEvery(int every) {
        return new TrainConfig(steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, minSnrGamma,
                labelDropout, every, updateClip, seed);
    }

    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, minSnrGamma,
                labelDropout, checkpointEvery, updateClip, newSeed);
    }
}
