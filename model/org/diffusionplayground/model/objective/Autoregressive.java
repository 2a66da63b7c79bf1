package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.train.TrainConfig;

/**
 * The left-to-right baseline's objective: maximum likelihood of the chain rule
 * p(x) = Π_i p_θ(x_i | x_&lt;i) on windows of the training split (a character-level GPT;
 * Radford et al. 2018, "Improving language understanding by generative pre-training", eq. 1).
 * The window itself is the network's input — the causal network shifts it and masks attention
 * ({@code TransformerConfig.autoregressive()}) — and the {@link NextTokenCrossEntropy} of its
 * logits is −log p(x)/L exactly, in nats per character: the same units as the diffusion
 * objectives' bounds on the same windows, with no Monte Carlo draw ({@link #exact()}).
 *
 * <p>Not a diffusion: it shares {@link TextDiffusion} so the trainer, its checkpoints and
 * {@code --resume}, and the validation figure treat it like the others. It has no forward process
 * and no time: x_t = x0 and t = 0 for every example. Batch k is drawn from (seed, k) as
 * {@link TextDiffusion#trainingBatch} draws every text batch (the times it draws are discarded), so
 * a resumed run sees the same batches.
 */
public final class Autoregressive implements TextDiffusion {

    private final TextCorpus corpus;
    private final int length;
    private final NextTokenCrossEntropy loss;

    /** Windows of {@code length} characters of {@code corpus}'s training split. */
    public Autoregressive(TextCorpus corpus, int length) {
        corpus.trainStarts(length); // fails with the sizes if the window does not fit
        this.corpus = corpus;
        this.length = length;
        this.loss = new NextTokenCrossEntropy(corpus.vocabularySize());
    }

    @Override
    public Batch batch(TrainConfig config, int k) {
        return TextDiffusion.trainingBatch(this, config.seed(), config.batch(), k);
    }

    /** The clean windows x0 [B·L] as input and target, t = 0, no weight; {@code t} and {@code noise} are not used. */
    @Override
    public Batch noised(int[] x0, float[] t, Noise noise) {
        int b = t.length;
        if (x0.length != b * length) throw new IllegalArgumentException(
                "%d ids do not make %d windows of %d".formatted(x0.length, b, length));
        return TextDiffusion.batchOf(x0.clone(), new float[b], x0.clone(), null);
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public boolean exact() {
        return true;
    }

    @Override
    public TextCorpus corpus() { return corpus; }

    @Override
    public int length() { return length; }

    @Override
    public String describe() {
        return "autoregressive (left to right), %d-character windows of %s".formatted(length, corpus.name());
    }
}
