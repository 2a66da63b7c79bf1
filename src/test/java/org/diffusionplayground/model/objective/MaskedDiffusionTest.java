package org.diffusionplayground.model.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.diffusionplayground.model.train.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MaskedDiffusionTest {

    static final int L = 64, B = 32;
    static MaskedDiffusion objective;
    static final TrainConfig CONFIG = new TrainConfig(100, B, 1e-3, 0, 0, 0.999, 0, 0, 10, 1, 5);

    @BeforeAll
    static void corpus() throws IOException {
        objective = new MaskedDiffusion(MaskingSchedule.linear(), TextCorpus.shakespeare(), L);
    }

    @Test
    void aTextNetworksConfigBuildsTheObjectiveOfItsProcessAndAMismatchSaysWhy() {
        TextCorpus c = objective.corpus();
        var tiny = org.diffusionplayground.model.nn.transformer.TransformerConfig.preset("tiny", 65);
        assertTrue(TextDiffusion.of(tiny, c) instanceof MaskedDiffusion);
        assertTrue(TextDiffusion.of(tiny.forProcess("uniform"), c) instanceof ScoreEntropyDiffusion);
        assertEquals(16, TextDiffusion.of(tiny, c).length(), "windows of the network's context");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TextDiffusion.of(
                org.diffusionplayground.model.nn.transformer.TransformerConfig.preset("tiny", 60), c));
        assertEquals("the model has 60 characters, the corpus tiny Shakespeare 65", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TextDiffusion.of(
                org.diffusionplayground.model.nn.unet.UNetConfig.small(), c));
        assertEquals("a 'unet' network is not a text model", e.getMessage());
    }

    @Test
    void eachCharacterIsMaskedWithProbabilityOneMinusAlphaT() {
        // Σ (masked − L·(1 − α_t)) over 200 batches, in units of its binomial standard deviation
        double excess = 0, variance = 0;
        MaskingSchedule schedule = MaskingSchedule.linear();
        for (int k = 0; k < 200; k++) {
            Batch batch = objective.batch(CONFIG, k);
            int[] xt = batch.input().data().asInt(), x0 = batch.target().data().asInt();
            float[] t = batch.t().toFloatVector();
            for (int b = 0; b < B; b++) {
                double p = schedule.maskProbability(t[b]);
                int masked = 0;
                for (int i = b * L; i < (b + 1) * L; i++) {
                    if (xt[i] == objective.corpus().maskId()) masked++;
                    else assertEquals(x0[i], xt[i], "an unmasked character is the clean one");
                }
                excess += masked - L * p;
                variance += L * p * (1 - p);
            }
        }
        double z = excess / Math.sqrt(variance);
        assertTrue(Math.abs(z) < 4, "masked count off by %.2f standard deviations".formatted(z));
    }

    @Test
    void timesAreOnePerStratumAndWeightsAreTheElboWeight() {
        Batch batch = objective.batch(CONFIG, 7);
        float[] t = batch.t().toFloatVector(), w = batch.weight().toFloatVector();
        for (int b = 0; b < B; b++) {
            double s = (t[b] - MaskedDiffusion.T_MIN) / (1 - MaskedDiffusion.T_MIN);
            assertTrue(s >= (double) b / B - 1e-6 && s < (b + 1.0) / B + 1e-6, "t[%d] = %s outside its stratum".formatted(b, t[b]));
            assertEquals(1 / t[b], w[b], 1e-3 * w[b], "−α′/(1 − α) = 1/t for α = 1 − t");
        }
    }

    @Test
    void batchKIsAPureFunctionOfSeedAndK() {
        Batch a = objective.batch(CONFIG, 3), b = objective.batch(CONFIG, 3), c = objective.batch(CONFIG, 4);
        assertEquals(a.input(), b.input());
        assertEquals(a.t(), b.t());
        assertTrue(!a.target().equals(c.target()));
    }
}
