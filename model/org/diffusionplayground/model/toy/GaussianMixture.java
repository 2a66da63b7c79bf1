package org.diffusionplayground.model.toy;

import java.util.Arrays;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A mixture of K isotropic 2-D Gaussians, p(x0) = Σ_k w_k·N(x0; μ_k, s_k²·I): the data of every
 * toy dataset, and — because it is Gaussian — a distribution whose diffused marginals and exact
 * denoiser are known in closed form ({@link #oracle}). Immutable; arrays are copied in and out.
 */
public final class GaussianMixture {

    private final double[][] means;   // [K, 2]
    private final double[] stds;      // [K]
    private final double[] weights;   // [K], normalised to sum 1

    /**
     * @param means   component centres μ_k, [K][2]
     * @param stds    per-component isotropic standard deviations s_k &gt; 0
     * @param weights positive mixture weights, normalised here
     */
    public GaussianMixture(double[][] means, double[] stds, double[] weights) {
        int k = means.length;
        if (k == 0) throw new IllegalArgumentException("a mixture needs at least one component");
        if (stds.length != k || weights.length != k) {
            throw new IllegalArgumentException("means (%d), stds (%d) and weights (%d) differ in length"
                    .formatted(k, stds.length, weights.length));
        }
        this.means = new double[k][];
        double total = 0;
        for (int i = 0; i < k; i++) {
            if (means[i].length != 2 || !Double.isFinite(means[i][0]) || !Double.isFinite(means[i][1])) {
                throw new IllegalArgumentException("mean %d %s must be 2 finite numbers"
                        .formatted(i, Arrays.toString(means[i])));
            }
            if (!(stds[i] > 0 && Double.isFinite(stds[i]))) {
                throw new IllegalArgumentException("std %d (%s) must be positive and finite".formatted(i, stds[i]));
            }
            if (!(weights[i] > 0 && Double.isFinite(weights[i]))) {
                throw new IllegalArgumentException("weight %d (%s) must be positive and finite".formatted(i, weights[i]));
            }
            this.means[i] = means[i].clone();
            total += weights[i];
        }
        this.stds = stds.clone();
        this.weights = new double[k];
        for (int i = 0; i < k; i++) this.weights[i] = weights[i] / total;
    }

    /** One Gaussian N(mean, std²·I). */
    public static GaussianMixture single(double meanX, double meanY, double std) {
        return new GaussianMixture(new double[][] {{meanX, meanY}}, new double[] {std}, new double[] {1});
    }

    /** Equal weights and one shared std. */
    public static GaussianMixture uniform(double[][] means, double std) {
        double[] stds = new double[means.length], weights = new double[means.length];
        Arrays.fill(stds, std);
        Arrays.fill(weights, 1);
        return new GaussianMixture(means, stds, weights);
    }

    public int components() { return means.length; }

    public double[] mean(int k) { return means[k].clone(); }

    public double std(int k) { return stds[k]; }

    public double weight(int k) { return weights[k]; }

    /** All means as [K, 2] (a copy). */
    public double[][] means() {
        double[][] copy = new double[means.length][];
        for (int i = 0; i < means.length; i++) copy[i] = means[i].clone();
        return copy;
    }

    public double[] stds() { return stds.clone(); }

    public double[] weights() { return weights.clone(); }

    /**
     * n draws, [n, 2] in the noise's dtype: for each row a component k ~ w, then μ_k + s_k·z.
     * Draw order (all components, then all normals) is fixed, so a seed fixes the samples.
     */
    public INDArray sample(int n, Noise noise) {
        return sampleWithLabels(n, noise).x();
    }

    /** Samples and the component each came from; labels are the classes of the oracle. */
    public Labelled sampleWithLabels(int n, Noise noise) {
        if (n < 1) throw new IllegalArgumentException("n (%d) must be ≥ 1".formatted(n));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = pick(noise.uniform());
        double[] z = noise.normal(n, 2).castTo(DataType.DOUBLE)
                .data().asDouble();
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int k = labels[i];
            x[2 * i] = means[k][0] + stds[k] * z[2 * i];
            x[2 * i + 1] = means[k][1] + stds[k] * z[2 * i + 1];
        }
        return new Labelled(Nd4j.create(x, new long[] {n, 2}, DataType.DOUBLE)
                .castTo(noise.dataType()), labels);
    }

    /** Samples [n, 2] with their component labels [n]. */
    public record Labelled(INDArray x, int[] labels) {
    }

    /** The exact ε-prediction E[ε | x_t] of this mixture under {@code schedule} (see {@link MixtureOracle}). */
    public Denoiser oracle(GaussianPath schedule) {
        return oracle(schedule, Parameterization.EPS);
    }

    /**
     * The exact prediction of this mixture on {@code path} in {@code parameterization}: e.g.
     * the flow velocity E[u | x_t] of a flow-matching model on the linear interpolant
     * ({@link Parameterization#U}).
     */
    public Denoiser oracle(GaussianPath path, Parameterization parameterization) {
        return new MixtureOracle(this, path, parameterization);
    }

    private int pick(double u) {
        double cumulative = 0;
        for (int k = 0; k < weights.length - 1; k++) {
            cumulative += weights[k];
            if (u < cumulative) return k;
        }
        return weights.length - 1;
    }

    @Override public String toString() { return "GaussianMixture(K=" + means.length + ")"; }
}
