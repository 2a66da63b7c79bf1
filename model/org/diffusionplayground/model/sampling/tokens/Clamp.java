package org.diffusionplayground.model.sampling.tokens;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conditioning by clamping: positions whose tokens are given and never change — a prompt to
 * continue (its first characters) or a template whose blanks are the only positions generated.
 * The given tokens are written into the prior and back after every step of the wrapped
 * sampler, so the model always sees them (as in MDLM's and SEDD's infilling: clamp and sample).
 *
 * @param fixed per position, the given token id, or −1 where the sampler generates
 */
public record Clamp(int[] fixed) {

    public Clamp {
        fixed = fixed.clone();
    }

    /** Nothing given, for {@code length} positions. */
    public static Clamp none(int length) {
        int[] f = new int[length];
        Arrays.fill(f, -1);
        return new Clamp(f);
    }

    /** The first {@code prompt.length} positions given. */
    public static Clamp prompt(int[] prompt, int length) {
        if (prompt.length > length) throw new IllegalArgumentException(
                "the prompt (%d characters) is longer than the sequence (%d)".formatted(prompt.length, length));
        int[] f = none(length).fixed;
        System.arraycopy(prompt, 0, f, 0, prompt.length);
        return new Clamp(f);
    }

    public int length() {
        return fixed.length;
    }

    /** Whether any position is free. */
    public int free() {
        return (int) Arrays.stream(fixed).filter(x -> x < 0).count();
    }

    /** The tokens [B, L] with the given positions overwritten (a fresh array). */
    public INDArray apply(INDArray tokens) {
        int b = (int) tokens.size(0), l = (int) tokens.size(1);
        if (l != fixed.length) throw new IllegalArgumentException("clamp of %d positions on tokens of %d".formatted(fixed.length, l));
        int[] z = HeapArrays.ints(tokens);
        for (int r = 0; r < b; r++) for (int i = 0; i < l; i++) if (fixed[i] >= 0) z[r * l + i] = fixed[i];
        return Nd4j.createFromArray(z).reshape(b, l);
    }

    /** {@code sampler} with these positions held at their given tokens after every step. */
    public TokenSampler around(TokenSampler sampler) {
        Objects.requireNonNull(sampler, "sampler");
        return (model, tokens, t, s) -> {
            TokenSampler.Step step = sampler.step(model, tokens, t, s);
            return new TokenSampler.Step(apply(step.tokens()), step.logits());
        };
    }
}
