package org.diffusionplayground.model.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link SamplerRun} over n samples in chunks of at most {@code batch}, so a network's
 * activations (and guidance's doubled batch) stay within memory at any n. Chunk c draws its x_T
 * from seed + c·φ·2⁶⁴ (chunk 0 from the seed itself), so n ≤ batch is exactly one
 * {@link SamplerRun#run} with that seed, and a larger n extends it without changing its first
 * chunk. The recipe wraps guidance and clipping around {@code net} itself, per chunk.
 */
public final class ChunkedRun {

    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private ChunkedRun() {
    }

    /**
     * @param x       the samples, [n, sampleShape…]
     * @param nfe     network evaluations per chunk (the same for every chunk)
     * @param seconds wall time of the sampling loops alone
     */
    public record Result(INDArray x, int nfe, double seconds, boolean cancelled) {
    }

    /**
     * @param net         the bare model (the recipe adds guidance and clipping)
     * @param labels      class label per sample (length n), or null for unconditional
     * @param sampleShape shape of one sample, e.g. [1, 28, 28]
     */
    public static Result run(SamplerRun recipe, Denoiser net, int[] labels, int n, long[] sampleShape,
                             int batch, long seed, BooleanSupplier cancelled) {
        if (n < 1) throw new IllegalArgumentException("n (%d) must be ≥ 1".formatted(n));
        if (batch < 1) throw new IllegalArgumentException("batch (%d) must be ≥ 1".formatted(batch));
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("%d labels for %d samples".formatted(labels.length, n));
        }
        List<INDArray> chunks = new ArrayList<>();
        double seconds = 0;
        int nfe = 0;
        for (int from = 0, chunk = 0; from < n; from += batch, chunk++) {
            if (cancelled.getAsBoolean()) return new Result(concat(chunks), nfe, seconds, true);
            int to = Math.min(n, from + batch);
            int[] chunkLabels = labels == null ? null : Arrays.copyOfRange(labels, from, to);
            long[] shape = new long[sampleShape.length + 1];
            shape[0] = to - from;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            long start = System.nanoTime();
            SamplingLoop.Result r = recipe.run(net, shape, chunkLabels, seed + chunk * GOLDEN, SamplingListener.NONE,
                    cancelled);
            seconds += (System.nanoTime() - start) / 1e9;
            nfe = r.nfe();
            chunks.add(r.x());
            if (r.cancelled()) return new Result(concat(chunks), nfe, seconds, true);
        }
        return new Result(concat(chunks), nfe, seconds, false);
    }

    private static INDArray concat(List<INDArray> chunks) {
        if (chunks.isEmpty()) return null;
        return chunks.size() == 1 ? chunks.get(0) : Nd4j.concat(0, chunks.toArray(INDArray[]::new));
    }
}
