package org.diffusionplayground.model.nn.unet;

import java.util.Locale;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.DenoiserConfig;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.ScheduleKind;

/**
 * The shape of a class-conditional U-Net for SIZE×SIZE×1 images (its blocks: {@link UNetLayout}):
 * channels at full, half and quarter resolution, GroupNorm groups, optional self-attention at the
 * quarter resolution, number of classes (the null class for classifier-free guidance is index
 * {@code numClasses}), what it predicts, and the noise schedule it is trained under. Stored as
 * JSON beside every checkpoint.
 *
 * @param schedule "linear" (DDPM's linear β, T = 1000, β 1e-4…0.02), a {@link ScheduleKind} name, or
 *                 "linear-interpolant" for a flow-matching model (with {@link Parameterization#U})
 */
public record UNetConfig(int channels1, int channels2, int channels3, int groups, boolean attention,
                         int numClasses, Parameterization parameterization, String schedule) implements DenoiserConfig {

    public static final int SIZE = 28;
    /** DDPM's linear β schedule, {@link ScheduleKind#DDPM}. */
    public static final String LINEAR = "linear";

    public UNetConfig {
        for (int c : new int[] {channels1, channels2, channels3}) {
            if (c < 1 || c > 1024) throw new IllegalArgumentException(
                    "channels (%d, %d, %d) must each be in [1, 1024]".formatted(channels1, channels2, channels3));
        }
        if (groups < 1) throw new IllegalArgumentException("groups (%d) must be ≥ 1".formatted(groups));
        for (int c : new int[] {channels1, channels2, channels3}) {
            if (c % groups != 0) throw new IllegalArgumentException(
                    "groups (%d) must divide every channel count (%d, %d, %d)"
                            .formatted(groups, channels1, channels2, channels3));
        }
        if (numClasses < 0 || numClasses > 1000) throw new IllegalArgumentException(
                "numClasses (%d) must be in [0, 1000]".formatted(numClasses));
        if (parameterization == null || parameterization == Parameterization.X0) throw new IllegalArgumentException(
                "parameterization (%s) must be EPS, V or U".formatted(parameterization));
        if (schedule == null) throw new IllegalArgumentException("schedule must be given");
        if (!LINEAR.equals(schedule)) GaussianPath.named(schedule); // names the valid ones if wrong
    }

    /**
     * The fast default: 16/32/64 channels, no attention (about a quarter of the reference's
     * FLOPs), v-prediction under the DDPM linear schedule.
     *
     * <p>Why v, not ε: at t = 1 the linear schedule has α = √ᾱ_T ≈ 0.0064, so an ε-model's
     * x̂0 = (x − σ·ε̂)/α multiplies ε̂'s error by ~160; measured on an ε-run after 600 steps
     * (ε-MSE 0.002 at t = 1), DDIM and DPM-Solver++ without x̂0 clipping left about half of the
     * samples as saturated noise. v-prediction gives x̂0 = α·x − σ·v̂ with no division (Salimans
     * &amp; Ho 2022, "Progressive distillation for fast sampling of diffusion models", §4). Why
     * linear: the schedule the samplers are tested against.
     */
    public static UNetConfig small() {
        return new UNetConfig(16, 32, 64, 4, false, 10, Parameterization.V, "linear");
    }

    /** The reference model of the first speed measurements: 32/64/128 channels, 8 groups, attention at 7×7. */
    public static UNetConfig reference() {
        return new UNetConfig(32, 64, 128, 8, true, 10, Parameterization.V, "linear");
    }

    /** A preset by name: "small" or "reference". */
    public static UNetConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> small();
            case "reference" -> reference();
            default -> throw new IllegalArgumentException(
                    "unknown model \"%s\" (choose small or reference)".formatted(name));
        };
    }

    public UNetConfig withParameterization(Parameterization p) {
        return new UNetConfig(channels1, channels2, channels3, groups, attention, numClasses, p, schedule);
    }

    /** This network as a flow-matching model: velocity output u = ε − x0 on the linear interpolant. */
    public UNetConfig asFlow() {
        return new UNetConfig(channels1, channels2, channels3, groups, attention, numClasses, Parameterization.U,
                LinearInterpolant.NAME);
    }

    /** The label meaning "no class": index numClasses of the embedding table. */
    public int nullClass() {
        return numClasses;
    }

    /** Width of the sinusoidal time features (Vaswani et al. 2017, "Attention is all you need", §3.5). */
    public int timeFeatures() {
        return Math.max(2 * channels1, 16);
    }

    /**
     * Width of the time/class embedding, 4× the base channels as in DDPM (Ho et al. 2020, "Denoising
     * diffusion probabilistic models", App. B).
     */
    public int embedDim() {
        return 4 * channels1;
    }

    @Override
    public Architecture architecture() {
        return Architecture.UNET;
    }

    @Override
    public UNet create(long seed) {
        return UNet.create(this, seed);
    }

    public GaussianPath noiseSchedule() {
        return LINEAR.equals(schedule) ? ScheduleKind.DDPM.create() : GaussianPath.named(schedule);
    }
}
