package org.diffusionplayground.model.sampling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 10-class image "model" whose x̂0 is known: for label k (10 = the null class, also for
 * cond = null) and x_t it returns the 28×28 image {@code rule.x0(k, x_t)}, whatever t. Under DDIM
 * (η = 0) the last step to t = 0 returns x̂0 exactly, so a sample of class k is that image. It
 * records every call's labels, so tests can see what guidance sent.
 */
public final class KnownX0Denoiser implements Denoiser {

    public static final int CLASSES = 10;

    /** x̂0 [784] for one sample, from its label and its x_t [784]. */
    public interface Rule {
        float[] x0(int label, float[] xt);
    }

    private final Rule rule;
    private final List<int[]> calls = Collections.synchronizedList(new ArrayList<>());

    /** x̂0 depends on the label alone. */
    public KnownX0Denoiser(IntFunction<float[]> x0) {
        this((label, xt) -> x0.apply(label));
    }

    public KnownX0Denoiser(Rule rule) {
        this.rule = rule;
    }

    @Override
    public INDArray predict(INDArray x, double t, INDArray cond) {
        int b = (int) x.size(0);
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = cond == null ? CLASSES : cond.getInt(i);
        calls.add(labels);
        float[] xt = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[b * 784];
        for (int i = 0; i < b; i++) {
            float[] row = java.util.Arrays.copyOfRange(xt, i * 784, (i + 1) * 784);
            System.arraycopy(rule.x0(labels[i], row), 0, out, i * 784, 784);
        }
        return Nd4j.create(out, new long[] {b, 1, 28, 28}, 'c').castTo(DataType.FLOAT);
    }

    /** The labels of every call so far, one array per call (its length is the batch size). */
    public List<int[]> calls() {
        return List.copyOf(calls);
    }

    @Override public Parameterization parameterization() { return Parameterization.X0; }

    @Override public NoiseSchedule schedule() { return NoiseSchedule.ddpm(); }

    @Override public int nullClass() { return CLASSES; }

    @Override public int numClasses() { return CLASSES; }
}
