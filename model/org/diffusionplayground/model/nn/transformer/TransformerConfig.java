package org.diffusionplayground.model.nn.transformer;

import java.util.List;
import java.util.Locale;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.TextModelConfig;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.schedule.MaskingSchedule;

/**
 * The shape of a DDiT, the bidirectional transformer conditioned on the noise level of discrete
 * diffusion (SEDD; Lou, Meng &amp; Ermon 2023, "Discrete diffusion modeling by estimating the
 * ratios of the data distribution", App. C), and what it was trained for. The same shape also
 * makes the left-to-right baseline ("autoregressive"): the DDiT with its input shifted right by one
 * and causal attention, so that position i's logits predict x_i from x_&lt;i (a character-level GPT;
 * Radford et al. 2018, "Improving language understanding by generative pre-training", eq. 1).
 *
 * @param vocab        real tokens V; the network reads V + 1 ids (the last one the mask [M]) and
 *                     writes V + 1 logits per position
 * @param length       the context length L (the rotary tables are sized for it, so every input has exactly L tokens)
 * @param width        the model width d
 * @param heads        attention heads (d divisible by heads)
 * @param layers       transformer blocks N
 * @param mlpRatio     the MLP's hidden width in units of d (4 in GPT-2, DiT and SEDD)
 * @param condDim      the width of the conditioning vector c = MLP(sinusoid(t))
 * @param timeFeatures the width of the sinusoidal features of t (even)
 * @param process      the forward process it is trained for: "absorbing" (MDLM) or "uniform" (SEDD); or
 *                     "autoregressive" (no forward process: next-character prediction, t unused)
 * @param schedule     the name of its noise schedule (absorbing: {@link MaskingSchedule#linear()}'s; uniform: a
 *                     {@link GeometricNoise#name()}; autoregressive: {@value #NO_SCHEDULE})
 */
public record TransformerConfig(int vocab, int length, int width, int heads, int layers, int mlpRatio, int condDim,
                                int timeFeatures, String process, String schedule) implements TextModelConfig {

    // ABSORBING, UNIFORM, AUTOREGRESSIVE: TextModelConfig's
    /** The processes, as {@code train --process} names them. */
    public static final List<String> PROCESSES = List.of(ABSORBING, UNIFORM, AUTOREGRESSIVE);
    /** The schedule of the autoregressive model, which has none. */
    public static final String NO_SCHEDULE = "none";
    /** The presets by name, smallest first. */
    public static final List<String> PRESETS = List.of("tiny", "small", "base");

    public TransformerConfig {
        if (vocab < 2 || vocab > 1000) throw new IllegalArgumentException("vocab (%d) must be in [2, 1000]".formatted(vocab));
        if (length < 1 || length > 4096) throw new IllegalArgumentException("length (%d) must be in [1, 4096]".formatted(length));
        if (width < 2 || width > 4096) throw new IllegalArgumentException("width (%d) must be in [2, 4096]".formatted(width));
        if (heads < 1 || width % heads != 0) throw new IllegalArgumentException(
                "heads (%d) must be ≥ 1 and divide width (%d)".formatted(heads, width));
        if (layers < 1 || layers > 64) throw new IllegalArgumentException("layers (%d) must be in [1, 64]".formatted(layers));
        if (mlpRatio < 1 || mlpRatio > 16) throw new IllegalArgumentException("mlpRatio (%d) must be in [1, 16]".formatted(mlpRatio));
        if (condDim < 1 || condDim > 4096) throw new IllegalArgumentException("condDim (%d) must be in [1, 4096]".formatted(condDim));
        if (timeFeatures < 2 || timeFeatures % 2 != 0) throw new IllegalArgumentException(
                "timeFeatures (%d) must be even and ≥ 2".formatted(timeFeatures));
        if (!PROCESSES.contains(process)) throw new IllegalArgumentException(
                "process ('%s') must be %s, %s or %s".formatted(process, ABSORBING, UNIFORM, AUTOREGRESSIVE));
        if (schedule == null) throw new IllegalArgumentException("schedule must be given");
        if (AUTOREGRESSIVE.equals(process) && !NO_SCHEDULE.equals(schedule)) throw new IllegalArgumentException(
                "schedule ('%s') of the autoregressive model must be %s".formatted(schedule, NO_SCHEDULE));
        if (ABSORBING.equals(process) && !MaskingSchedule.linear().name().equals(schedule)) throw new IllegalArgumentException(
                "schedule ('%s') of the absorbing process must be %s".formatted(schedule, MaskingSchedule.linear().name()));
        if (UNIFORM.equals(process)) GeometricNoise.parse(schedule); // fails with the name if it is not one
    }

    /**
     * This shape for {@code process}: "absorbing" with the linear masking schedule, "uniform" with
     * SEDD's geometric noise (σ̄ from 1e-4 to 20), "autoregressive" with none.
     */
    public TransformerConfig forProcess(String process) {
        String schedule = UNIFORM.equals(process) ? GeometricNoise.sedd().name()
                : AUTOREGRESSIVE.equals(process) ? NO_SCHEDULE : MaskingSchedule.linear().name();
        return new TransformerConfig(vocab, length, width, heads, layers, mlpRatio, condDim, timeFeatures, process, schedule);
    }

    /**
     * A preset for characters ({@code vocab} of them) under the absorbing process: "tiny" (tests:
     * L 16, d 16, 1 layer), "small" (L 256, d 128, 4 heads, 4 layers: 1,268,290 parameters for 65 characters) or "base"
     * (L 256, d 256, 4 heads, 4 layers: 4,076,354).
     */
    public static TransformerConfig preset(String name, int vocab) {
        String linear = MaskingSchedule.linear().name();
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> new TransformerConfig(vocab, 16, 16, 2, 1, 2, 8, 8, ABSORBING, linear);
            case "small" -> new TransformerConfig(vocab, 256, 128, 4, 4, 4, 128, 128, ABSORBING, linear);
            case "base" -> new TransformerConfig(vocab, 256, 256, 4, 4, 4, 128, 128, ABSORBING, linear);
            default -> throw new IllegalArgumentException("unknown transformer preset '%s' (known: %s)"
                    .formatted(name, String.join(", ", PRESETS)));
        };
    }

    /**
     * The mask token's id, V: the last row of the embedding and the last logit. The autoregressive
     * model reads it as the start token before x_0, and as "not yet written" while sampling.
     */
    public int maskId() {
        return vocab;
    }

    /** Whether this is the left-to-right model: input shifted right by one, causal attention, t unused. */
    public boolean autoregressive() {
        return AUTOREGRESSIVE.equals(process);
    }

    /** The width of one head, d / heads. */
    public int headWidth() {
        return width / heads;
    }

    /** The uniform process's noise σ̄(t). */
    public GeometricNoise geometricNoise() {
        if (!UNIFORM.equals(process)) throw new IllegalStateException("a %s model has no geometric noise".formatted(process));
        return GeometricNoise.parse(schedule);
    }

    /** The absorbing process's schedule α_t. */
    public MaskingSchedule maskingSchedule() {
        if (!ABSORBING.equals(process)) throw new IllegalStateException("a %s model has no masking schedule".formatted(process));
        return MaskingSchedule.linear();
    }

    @Override
    public Architecture architecture() {
        return Architecture.TRANSFORMER;
    }

    @Override
    public Transformer create(long seed) {
        return Transformer.create(this, seed);
    }
}
