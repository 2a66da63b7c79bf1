package org.diffusionplayground.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.data.TrainingSet;
import org.diffusionplayground.model.eval.SamplerConvergence;
import org.diffusionplayground.model.eval.Straightness;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.mlp.MlpConfig;
import org.diffusionplayground.model.objective.GaussianDiffusion;
import org.diffusionplayground.model.objective.Objective;
import org.diffusionplayground.model.objective.RectifiedFlow;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.diffusionplayground.model.sampling.TimeGrid;
import org.diffusionplayground.model.sampling.solvers.Euler;
import org.diffusionplayground.model.sampling.solvers.RungeKutta4;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.toy.ToyDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rectified flow in 2-D (Liu, Gong &amp; Liu 2023, "Flow straight and fast", Algorithm 1): pair
 * 4,096 noise points with the ends of ring8's exact flow ODE, fit the MLP to that coupling with
 * the same {@link Trainer}, and compare with the same MLP trained as long by plain flow matching
 * (independent pairs, {@link GaussianDiffusion} on the interpolant). The reflowed field's paths are
 * straighter than the exact flow's, and its 1-step samples beat 1-step samples of both the
 * exact flow and the plain flow-matching model. Figures are printed; the bounds sit well inside
 * what was measured (see each assertion).
 */
@ExtendWith(SingleThreadNd4j.class)
class ReflowTest {

    private static final LinearInterpolant PATH = LinearInterpolant.defaults();
    private static final Denoiser EXACT = ToyDataset.RING8.mixture().oracle(PATH, Parameterization.U);
    private static final int STEPS = 1500;

    @TempDir static Path dir;
    private static SamplerConvergence.Truth truth;
    private static Denoiser reflowed, plain;
    private static RectifiedFlow coupling;

    @BeforeAll
    static void train() throws Exception {
        truth = SamplerConvergence.truth(ToyDataset.RING8, 2000, 20_000, 256, 0);
        coupling = RectifiedFlow.reflow(EXACT, 4096, 100, 11);
        reflowed = fit(coupling, dir.resolve("reflow"));
        INDArray points = ToyDataset.RING8.sample(4096, new Noise(7, DataType.FLOAT));
        float[][] rows = new float[4096][];
        for (int i = 0; i < rows.length; i++) rows[i] = points.getRow(i).toFloatVector();
        plain = fit(GaussianDiffusion.of(MlpConfig.flow2d(), TrainingSet.points(rows)), dir.resolve("plain"));
    }

    private static Denoiser fit(Objective objective, Path out) throws Exception {
        TrainConfig config = new TrainConfig(STEPS, 256, 3e-3, 50, 0.0, 0.98, 0.0, 0.0, STEPS, 1.0, 17);
        assertEquals(TrainOutcome.Status.COMPLETED, Trainer.fresh(MlpConfig.flow2d(), objective, config, out).run().status());
        return ModelLoader.open(out.toString(), Architecture.MLP).denoiser();
    }

    /** The coupling's pairs: the noise end is N(0, I) and the data end is where RK4 takes it, on ring8's radius. */
    @Test
    void reflowPairsNoiseWithTheEndOfItsExactFlow() {
        INDArray x0 = coupling.x0();
        INDArray radius = x0.mul(x0).sum(1).castTo(DataType.DOUBLE);
        double meanRadius = org.nd4j.linalg.ops.transforms.Transforms.sqrt(radius, false).meanNumber().doubleValue();
        assertEquals(2.0, meanRadius, 0.05, "ring8's modes are at radius 2 (std 0.15)");
        INDArray again = SamplingLoop.run(new RungeKutta4(), ModelFn.unconditional(EXACT),
                coupling.eps().castTo(DataType.DOUBLE).getRows(0, 1, 2), TimeGrid.uniform(400)).x();
        assertEquals(0, again.sub(x0.getRows(0, 1, 2).castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-4);
    }

    /**
     * Paths of 1,000 fresh noise points by RK4 on 50 steps. Measured: exact flow length/chord
     * 1.785, mean deviation from the chord 0.107 (the exact flow first pulls every point towards
     * E[x0] = 0, then out to a mode: points that start near the ring go in and back out); reflowed
     * 1.002 and 0.006.
     */
    @Test
    void reflowStraightensThePaths() {
        INDArray xT = new Noise(99, DataType.FLOAT).normal(1000, 2);
        Straightness before = straightness(EXACT, xT), after = straightness(reflowed, xT);
        String figures = "exact flow: length/chord %.4f, chord deviation %.4f; reflowed: %.4f, %.4f"
                .formatted(before.lengthRatio(), before.chordDeviation(), after.lengthRatio(), after.chordDeviation());
        System.out.println(figures);
        assertTrue(after.lengthRatio() - 1 < 0.5 * (before.lengthRatio() - 1), figures);
        assertTrue(after.chordDeviation() < 0.5 * before.chordDeviation(), figures);
        assertTrue(before.lengthRatio() > 1.01, "the exact flow bends: " + figures);
    }

    /**
     * SW₂ to ring8 of 2,000 samples from one Euler step (and two). Measured: floor 0.076; 1 step:
     * exact flow 1.422 (every point lands on E[x0] = 0), plain flow matching 1.315, reflowed
     * 0.092; 2 steps: exact 0.456, plain 0.457, reflowed 0.088.
     */
    @Test
    void oneStepSamplesAfterReflowBeatOneStepOfTheUnrectifiedFlow() {
        INDArray xT = new Noise(5, DataType.FLOAT).normal(2000, 2);
        double[] exact = new double[2], plainFm = new double[2], rectified = new double[2];
        for (int steps = 1; steps <= 2; steps++) {
            exact[steps - 1] = sw(EXACT, xT, steps);
            plainFm[steps - 1] = sw(plain, xT, steps);
            rectified[steps - 1] = sw(reflowed, xT, steps);
        }
        String figures = "SW-2, 1 step: exact %.3f, flow matching %.3f, reflowed %.3f; 2 steps: %.3f, %.3f, %.3f; floor %.3f"
                .formatted(exact[0], plainFm[0], rectified[0], exact[1], plainFm[1], rectified[1], truth.floor());
        System.out.println(figures);
        assertTrue(rectified[0] < 0.5 * Math.min(exact[0], plainFm[0]), figures);
        assertTrue(rectified[1] < 0.5 * Math.min(exact[1], plainFm[1]), figures);
        assertTrue(rectified[0] < 4 * truth.floor(), "one reflowed step is near the floor: " + figures);
    }

    private static double sw(Denoiser flow, INDArray xT, int steps) {
        return truth.scorer().distanceTo(SamplingLoop.run(new Euler(), ModelFn.unconditional(flow), xT, TimeGrid.uniform(steps)).x());
    }

    private static Straightness straightness(Denoiser flow, INDArray xT) {
        List<INDArray> path = new ArrayList<>(List.of(xT));
        SamplingLoop.run(new RungeKutta4(), ModelFn.unconditional(flow), xT, TimeGrid.uniform(50), e -> path.add(e.x()), () -> false);
        return Straightness.of(path);
    }
}
