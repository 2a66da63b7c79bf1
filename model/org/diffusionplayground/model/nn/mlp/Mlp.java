package org.diffusionplayground.model.nn.mlp;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionplayground.model.nn.Weights;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.nn.Sinusoid;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A small MLP denoiser for points (the kind of network the 2-D diffusion tutorials train): the
 * input is [x, sinusoid(t), onehot(label)], then {@code depth} dense layers of {@code hidden}
 * units with SiLU, then a dense layer back to the point's dimension. Its layers are one list
 * ({@link #layers}) that the initialisation, the forward and the backward pass all walk; the
 * backward pass is the chain rule through that list (dW = aᵀ·d, db = Σ d, d ← d·Wᵀ, and
 * silu'(z) = σ(z)(1 + z(1 − σ(z))) — Elfwing et al. 2018, "Sigmoid-weighted linear units").
 * Weights are LeCun-normal (std 1/√fan-in) from a seeded {@link Noise}, biases zero.
 */
public final class Mlp implements Network, Denoiser {

    /** One dense layer y = a·W + b (W [in, out]), with SiLU after it or not. */
    record Layer(String name, int in, int out, boolean silu) {
    }

    private final MlpConfig config;
    private final List<Layer> layers;
    private final Map<String, INDArray> weights = new LinkedHashMap<>();
    private final GaussianPath schedule;

    Mlp(MlpConfig config, long seed) {
        this.config = config;
        this.layers = layers(config);
        this.schedule = config.noiseSchedule();
        Noise noise = new Noise(seed);
        for (Layer l : layers) {
            weights.put(l.name() + ".w", noise.normal(l.in(), l.out()).muli(1.0 / Math.sqrt(l.in())));
            weights.put(l.name() + ".b", Nd4j.zeros(DataType.FLOAT, 1, l.out()));
        }
    }

    /** The layers of a config: input → hidden (SiLU) × depth → dim. */
    static List<Layer> layers(MlpConfig c) {
        List<Layer> list = new ArrayList<>();
        int width = c.inputWidth();
        for (int i = 0; i < c.depth(); i++) {
            list.add(new Layer("hidden" + i, width, c.hidden(), true));
            width = c.hidden();
        }
        list.add(new Layer("out", width, c.dim(), false));
        return Collections.unmodifiableList(list);
    }

    @Override
    public synchronized INDArray predict(INDArray x, double t, INDArray cond) {
        int b = checkInput(x);
        float[] times = new float[b];
        Arrays.fill(times, (float) t);
        return forward(input(x, times, cond), null, null).reshape(x.shape());
    }

    @Override
    public synchronized Gradients gradients(Batch batch, Loss loss) {
        int b = checkInput(batch.input());
        List<INDArray> inputs = new ArrayList<>(), pre = new ArrayList<>();
        INDArray out = forward(input(batch.input(), HeapArrays.floats(batch.t()), batch.cond()),
                inputs, pre);
        INDArray dOut = Nd4j.create(DataType.FLOAT, out.shape());
        double value = loss.apply(out, batch, b, dOut);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        INDArray d = dOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            if (l.silu()) {
                INDArray z = pre.get(i), s = Transforms.sigmoid(z, true);
                d = d.mul(s.mul(z.mul(s.rsub(1)).addi(1)));
            }
            grads.put(l.name() + ".w", inputs.get(i).transpose().mmul(d));
            grads.put(l.name() + ".b", d.sum(true, 0));
            if (i > 0) d = d.mmul(weights.get(l.name() + ".w").transpose());
        }
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : weights.keySet()) ordered.put(name, grads.get(name));
        return new Gradients(value, ordered);
    }

    /** The output [B, dim] for a batch's inputs, times and labels (each row at its own t). */
    synchronized INDArray predictRows(Batch batch) {
        checkInput(batch.input());
        return forward(input(batch.input(), HeapArrays.floats(batch.t()), batch.cond()), null, null);
    }

    /** The layers' output; keeps each layer's input and pre-activation when the lists are given. */
    private INDArray forward(INDArray in, List<INDArray> inputs, List<INDArray> pre) {
        INDArray a = in;
        for (Layer l : layers) {
            INDArray z = a.mmul(weights.get(l.name() + ".w")).addiRowVector(weights.get(l.name() + ".b"));
            if (inputs != null) {
                inputs.add(a);
                pre.add(z);
            }
            a = l.silu() ? z.mul(Transforms.sigmoid(z, true)) : z;
        }
        return a;
    }

    /** [x, sinusoid(t), onehot(label)] → [B, inputWidth]. */
    private INDArray input(INDArray x, float[] times, INDArray cond) {
        int b = times.length, width = config.inputWidth(), dim = config.dim(), tf = config.timeFeatures();
        float[] values = new float[b * width], xs = HeapArrays.floats(x);
        float[] feats = Sinusoid.features(times, tf);
        int[] labels = labels(cond, b);
        for (int i = 0; i < b; i++) {
            System.arraycopy(xs, i * dim, values, i * width, dim);
            System.arraycopy(feats, i * tf, values, i * width + dim, tf);
            if (labels != null) values[i * width + dim + tf + labels[i]] = 1f;
        }
        return Nd4j.create(values, new long[] {b, width}, 'c');
    }

    private int[] labels(INDArray cond, int b) {
        if (config.numClasses() == 0) return null;
        int[] labels = new int[b];
        if (cond == null) {
            Arrays.fill(labels, config.numClasses());
            return labels;
        }
        if (cond.length() != b) throw new IllegalArgumentException("cond has %d labels for a batch of %d".formatted(cond.length(), b));
        int[] given = HeapArrays.ints(cond);
        for (int i = 0; i < b; i++) {
            if (given[i] < 0 || given[i] > config.numClasses()) throw new IllegalArgumentException(
                    "labels must be in [0, %d] (%d = none), got %d".formatted(config.numClasses(), config.numClasses(), given[i]));
            labels[i] = given[i];
        }
        return labels;
    }

    private int checkInput(INDArray x) {
        if (x.rank() != 2 || x.size(1) != config.dim() || x.size(0) < 1) throw new IllegalArgumentException(
                "x must be [B, %d] with B ≥ 1, got %s".formatted(config.dim(), Arrays.toString(x.shape())));
        return (int) x.size(0);
    }

    @Override public MlpConfig config() { return config; }

    @Override public Map<String, INDArray> weights() { return weights; }

    @Override
    public synchronized void setWeights(Map<String, INDArray> values) {
        Weights.assign(weights, values, "MLP");
    }

    @Override public Parameterization parameterization() { return config.parameterization(); }

    @Override public GaussianPath schedule() { return schedule; }

    @Override public int nullClass() { return config.numClasses() == 0 ? -1 : config.numClasses(); }

    @Override public int numClasses() { return config.numClasses(); }
}
