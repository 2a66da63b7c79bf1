package org.diffusionplayground.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Classifier-free guidance: endpoints, the guided rule, one batched pass, any parameterisation. */
class ClassifierFreeGuidanceTest {

    private static final int NULL_CLASS = 3;
    private static final NoiseSchedule SCHEDULE = NoiseSchedule.cosine();

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    private final INDArray x = new Noise(1, DataType.DOUBLE).normal(4, 2);
    private final INDArray labels = Nd4j.createFromArray(0.0, 1.0, 2.0, 1.0);

    @Test
    void weightOneIsExactlyTheConditionalModel() {
        Counting model = new Counting(Parameterization.EPS);
        INDArray guided = new ClassifierFreeGuidance(model, 1).predict(x, 0.4, labels);
        assertEquals(0, model.output(x, 0.4, labels).sub(guided).amaxNumber().doubleValue(), 0);
        assertEquals(1, model.calls.size());
    }

    @Test
    void weightZeroIsExactlyTheUnconditionalModel() {
        Counting model = new Counting(Parameterization.EPS);
        INDArray guided = new ClassifierFreeGuidance(model, 0).predict(x, 0.4, labels);
        INDArray uncond = model.output(x, 0.4, Nd4j.valueArrayOf(new long[] {4}, NULL_CLASS, DataType.DOUBLE));
        assertEquals(0, uncond.sub(guided).amaxNumber().doubleValue(), 0);
        assertEquals(1, model.calls.size());
    }

    @Test
    void guidedOutputExtrapolatesFromUnconditionalThroughConditionalInOneBatchedCall() {
        Counting model = new Counting(Parameterization.EPS);
        double w = 3.5;
        INDArray guided = new ClassifierFreeGuidance(model, w).predict(x, 0.4, labels);
        assertEquals(1, model.calls.size(), "one network call");
        assertArrayEquals(new long[] {8, 2}, model.calls.get(0).shape(), "conditional and null rows in one batch");
        INDArray cond = model.output(x, 0.4, labels);
        INDArray uncond = model.output(x, 0.4, Nd4j.valueArrayOf(new long[] {4}, NULL_CLASS, DataType.DOUBLE));
        INDArray expected = uncond.add(cond.sub(uncond).mul(w)); // ε̃ = ε_∅ + w·(ε_c − ε_∅)
        assertEquals(0, expected.sub(guided).amaxNumber().doubleValue(), 1e-12);
    }

    /** Guiding the v (or x0) output gives the same ε̂ as guiding ε, because the map is affine. */
    @ParameterizedTest
    @EnumSource(value = Parameterization.class, names = {"V", "X0"})
    void guidingTheRawOutputEqualsGuidingEps(Parameterization kind) {
        double t = 0.4, w = 2.5;
        Coefficients c = SCHEDULE.coefficients(t);
        Counting model = new Counting(kind);
        ModelFn guided = new ModelFn(new ClassifierFreeGuidance(model, w), labels);
        Prediction p = guided.at(x, t);
        INDArray nullLabels = Nd4j.valueArrayOf(new long[] {4}, NULL_CLASS, DataType.DOUBLE);
        INDArray epsCond = kind.toEps(model.output(x, t, labels), x, c);
        INDArray epsNull = kind.toEps(model.output(x, t, nullLabels), x, c);
        INDArray expected = epsNull.add(epsCond.sub(epsNull).mul(w));
        assertEquals(0, expected.sub(p.eps()).amaxNumber().doubleValue(), 1e-10);
    }

    @Test
    void aModelWithoutNullClassOrANegativeWeightIsRejected() {
        Counting model = new Counting(Parameterization.EPS);
        var e = assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(model, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        Denoiser noNull = new Denoiser() {
            @Override public INDArray predict(INDArray x, double t, INDArray cond) { return x; }
            @Override public Parameterization parameterization() { return Parameterization.EPS; }
            @Override public NoiseSchedule schedule() { return SCHEDULE; }
        };
        assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(noNull, 2));
    }

    /** A fake conditional model, output = x·(1 + label) + t, recording each call's batch. */
    private static final class Counting implements Denoiser {
        final List<INDArray> calls = new ArrayList<>();
        private final Parameterization kind;

        Counting(Parameterization kind) {
            this.kind = kind;
        }

        @Override
        public INDArray predict(INDArray x, double t, INDArray cond) {
            calls.add(x);
            return output(x, t, cond);
        }

        INDArray output(INDArray x, double t, INDArray cond) {
            INDArray scale = cond.reshape(-1, 1).castTo(x.dataType()).add(1);
            return x.mulColumnVector(scale).addi(t);
        }

        @Override public Parameterization parameterization() { return kind; }
        @Override public NoiseSchedule schedule() { return SCHEDULE; }
        @Override public int nullClass() { return NULL_CLASS; }
        @Override public int numClasses() { return 3; }
    }
}
