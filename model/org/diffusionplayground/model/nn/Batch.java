package org.diffusionplayground.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One training batch, one example a row: what the network reads and what the loss compares
 * its output with. Objectives fill it; networks read {@code input}, {@code t} and
 * {@code cond}; losses read {@code target} and {@code weight}.
 *
 * @param input  x_t: noised images [B, C, H, W], points [B, D], or tokens [B, L]
 * @param t      the time (noise level) of each example [B]
 * @param cond   class labels [B] (the null class for dropped labels), or null
 * @param target what the output should be: ε, v, x0 or u [B, …] like input; token ids [B, L]
 * @param weight a per-example loss weight [B] (min-SNR-γ, the ELBO's time weight), or null for 1
 */
public record Batch(INDArray input, INDArray t, INDArray cond, INDArray target, INDArray weight) {

    public Batch {
        long b = input.size(0);
        check("t", t, b);
        check("cond", cond, b);
        check("target", target, b);
        check("weight", weight, b);
    }

    public int size() {
        return (int) input.size(0);
    }

    /** Rows [from, to) as a batch of their own (fresh arrays). */
    public Batch rows(int from, int to) {
        return new Batch(rows(input, from, to), rows(t, from, to), rows(cond, from, to), rows(target, from, to),
                rows(weight, from, to));
    }

    private static INDArray rows(INDArray a, int from, int to) {
        if (a == null) return null;
        // a view first becomes an array of its own: ND4J M2.1's get(interval) on some views of
        // views returned an empty array (measured)
        return (a.isView() ? a.dup('c') : a).get(NDArrayIndex.interval(from, to)).dup('c');
    }

    private static void check(String name, INDArray a, long b) {
        if (a != null && (a.rank() == 0 || a.size(0) != b)) throw new IllegalArgumentException(
                "%s has %s rows for a batch of %d".formatted(name, a.rank() == 0 ? "no" : a.size(0), b));
    }
}
