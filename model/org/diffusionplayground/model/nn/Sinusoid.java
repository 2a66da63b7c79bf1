package org.diffusionplayground.model.nn;

/**
 * Sinusoidal features of the time t ∈ [0, 1] (Vaswani et al. 2017, "Attention is all you need",
 * §3.5, as DDPM's timestep embedding, Ho et al. 2020, App. B): for k = 0…half−1, the frequency
 * f_k = 1000·10000^(−k/half) and the features [sin(t·f_k)…, cos(t·f_k)…]. The 1000 puts
 * continuous t on the scale of DDPM's integer steps. Computed in float with the frequency
 * rounded first, as a float32 graph computes it.
 */
public final class Sinusoid {

    private Sinusoid() {
    }

    /** Features [B, width] (row-major) of times [B]; width even. */
    public static float[] features(float[] times, int width) {
        if (width < 2 || width % 2 != 0) throw new IllegalArgumentException("width (%d) must be even and ≥ 2".formatted(width));
        int b = times.length, half = width / 2;
        float[] feats = new float[b * width];
        for (int k = 0; k < half; k++) {
            float freq = frequency(k, half);
            for (int i = 0; i < b; i++) {
                float phase = times[i] * freq;
                feats[i * width + k] = (float) Math.sin(phase);
                feats[i * width + half + k] = (float) Math.cos(phase);
            }
        }
        return feats;
    }

    /** f_k = 1000·10000^(−k/half), rounded to float. */
    public static float frequency(int k, int half) {
        return (float) (1000.0 * Math.exp(-Math.log(10000.0) * k / half));
    }
}
