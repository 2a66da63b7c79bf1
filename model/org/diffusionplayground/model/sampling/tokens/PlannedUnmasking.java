package org.diffusionplayground.model.sampling.tokens;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Masked diffusion sampled by planning which positions to reveal, as MaskGIT, Dream and LLaDA do
 * instead of MDLM's independent coin per position: each step draws a token for every eligible
 * masked position from the model's (filtered) distribution, scores it by a {@link RevealOrder},
 * and reveals the best-scored ones. How many:
 * <ul>
 *   <li>by the schedule — round(m·(α_s − α_t)/(1 − α_t)) of the m eligible masked positions, the
 *       number MDLM's ancestral step reveals on average (all of them at s = 0);</li>
 *   <li>or by a confidence threshold — every eligible position whose top-1 probability reaches it,
 *       at least one a step (Fast-dLLM; Wu et al. 2025, "Fast-dLLM", §3.3).</li>
 * </ul>
 * With a block length, positions are eligible only in the first block that still has masks, and
 * each block runs its own copy of the schedule over its share of [0, 1] (semi-autoregressive
 * sampling; Nie et al. 2025, "Large language diffusion models" (LLaDA), §2.4).
 *
 * @param order       which positions go first
 * @param threshold   reveal by confidence ≥ threshold (0 = by the schedule)
 * @param blockLength semi-autoregressive block length (0 = one block, the whole sequence)
 * @param filter      temperature, top-k, top-p of the drawn tokens
 */
public record PlannedUnmasking(MaskingSchedule schedule, Noise noise, RevealOrder order, double threshold, int blockLength,
                               TokenFilter filter) implements TokenSampler {

    public PlannedUnmasking {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(filter, "filter");
        if (!(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException(
                "confidence threshold (%s) must be in [0, 1] (0 = off)".formatted(threshold));
        if (blockLength < 0) throw new IllegalArgumentException("block length (%d) must be ≥ 0 (0 = off)".formatted(blockLength));
    }

    private record Candidate(int position, int token, double score, double top) {
    }

    @Override
    public Step step(TokenModelFn model, INDArray tokens, double t, double s) {
        int mask = model.maskToken(), v = model.vocabularySize();
        if (mask < 0) throw new IllegalArgumentException("planned unmasking needs a model with a mask token");
        INDArray logits = model.logits(tokens, t);
        int b = (int) tokens.size(0), l = (int) tokens.size(1);
        int[] z = HeapArrays.ints(tokens);
        double[] lg = HeapArrays.doubles(logits);
        for (int row = 0; row < b; row++) revealRow(z, lg, row * l, l, v, mask, t, s);
        return new Step(Nd4j.createFromArray(z).reshape(b, l), logits);
    }

    private void revealRow(int[] z, double[] lg, int from, int l, int v, int mask, double t, double s) {
        int block = blockLength <= 0 || blockLength >= l ? l : blockLength, blocks = (l + block - 1) / block;
        int active = -1;
        for (int i = 0; i < l && active < 0; i++) if (z[from + i] == mask) active = i / block;
        if (active < 0) return; // nothing masked
        // the active block's own time: its share [lo, lo + 1/blocks] of [0, 1] stretched to [0, 1]
        double width = 1.0 / blocks, lo = 1 - (active + 1) * width;
        double tb = Math.min(1, Math.max(0, (t - lo) / width)), sb = s <= 0 ? 0 : Math.min(1, Math.max(0, (s - lo) / width));
        List<Candidate> candidates = new ArrayList<>();
        double[] p = new double[v];
        for (int i = active * block; i < Math.min(l, (active + 1) * block); i++) {
            if (z[from + i] != mask) continue;
            filter.probabilities(lg, (from + i) * v, v, mask, p);
            int token = TokenFilter.draw(p, v, noise.uniform());
            double top = 0;
            for (int k = 0; k < v; k++) top = Math.max(top, p[k]);
            candidates.add(new Candidate(i, token, order.score(p, v, token, noise.uniform()), top));
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparingInt(Candidate::position));
        List<Candidate> reveal;
        if (sb <= 0) reveal = candidates;
        else if (threshold > 0) {
            reveal = candidates.stream().filter(c -> c.top() >= threshold).toList();
            if (reveal.isEmpty()) reveal = candidates.subList(0, 1);
        } else {
            int count = sb >= tb ? 0 : (int) Math.round(candidates.size() * schedule.unmaskProbability(tb, sb));
            reveal = candidates.subList(0, count);
        }
        for (Candidate c : reveal) z[from + c.position()] = c.token();
    }
}
