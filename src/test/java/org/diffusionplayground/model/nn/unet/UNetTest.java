package org.diffusionplayground.model.nn.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UNetTest {

    /** 4/8/8 channels: the real graph at a size that builds and runs in well under a second. */
    static final UNetConfig TINY = new UNetConfig(4, 8, 8, 2, false, 10, Parameterization.EPS, "linear");

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    /**
     * A fresh net's zero-initialised convs (each block's conv2, the output conv) make it output 0
     * and ignore t and label; give those random weights so the tests see a working network.
     */
    static UNet withLiveOutput(UNetConfig config) {
        UNet net = UNet.create(config, 7);
        Noise noise = new Noise(3);
        Map<String, INDArray> w = new HashMap<>(net.weights());
        w.replaceAll((name, a) -> name.endsWith(".w") && a.amaxNumber().doubleValue() == 0
                ? noise.normal(a.shape()).muli(0.3) : a);
        net.setWeights(w);
        return net;
    }

    @Test
    void outputHasTheInputShapeWithAndWithoutAttention() {
        INDArray x = new Noise(1).normal(3, 1, 28, 28);
        for (boolean attention : new boolean[] {false, true}) {
            UNetConfig c = new UNetConfig(4, 8, 8, 2, attention, 10, Parameterization.V, "cosine");
            INDArray out = withLiveOutput(c).predict(x, 0.5, Nd4j.createFromArray(1, 2, 10));
            assertArrayEquals(new long[] {3, 1, 28, 28}, out.shape());
            assertTrue(Double.isFinite(out.sumNumber().doubleValue()));
        }
    }

    @Test
    void predictIsDeterministicAndDependsOnLabelAndTime() {
        UNet net = withLiveOutput(TINY);
        INDArray x = new Noise(2).normal(2, 1, 28, 28);
        INDArray labels = Nd4j.createFromArray(3, 3);
        INDArray a = net.predict(x, 0.4, labels), b = net.predict(x, 0.4, labels);
        assertEquals(a, b);
        assertNotEquals(a, net.predict(x, 0.4, Nd4j.createFromArray(5, 5)));
        assertNotEquals(a, net.predict(x, 0.7, labels));
        // null cond means the null class for every sample
        assertEquals(net.predict(x, 0.4, null), net.predict(x, 0.4, Nd4j.createFromArray(10, 10)));
    }

    @Test
    void conditionalAndUnconditionalRowsOfOneBatchMatchSeparatePasses() {
        UNet net = withLiveOutput(TINY);
        INDArray x = new Noise(4).normal(1, 1, 28, 28);
        INDArray both = net.predict(Nd4j.concat(0, x, x), 0.3, Nd4j.createFromArray(7, 10));
        INDArray cond = net.predict(x, 0.3, Nd4j.createFromArray(7));
        INDArray uncond = net.predict(x, 0.3, null);
        assertTrue(both.slice(0).equalsWithEps(cond.slice(0), 1e-5));
        assertTrue(both.slice(1).equalsWithEps(uncond.slice(0), 1e-5));
    }

    @Test
    void presetsHaveTheDocumentedParameterCounts() {
        // counted from the graph; reference ≈ the first measured U-Net's 974,657 (same widths, one more attention proj)
        assertEquals(234_961, UNet.create(UNetConfig.small(), 0).parameterCount());
        assertEquals(1_000_097, UNet.create(UNetConfig.reference(), 0).parameterCount());
    }

    @Test
    void badInputsGetMessagesNamingThem() {
        UNet net = UNet.create(TINY, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> net.predict(Nd4j.zeros(2, 1, 27, 28), 0.5, null));
        assertTrue(e.getMessage().contains("[2, 1, 27, 28]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.predict(Nd4j.zeros(0, 1, 28, 28), 0.5, null));
        assertTrue(e.getMessage().contains("B ≥ 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> net.predict(Nd4j.zeros(2, 1, 28, 28), 0.5, Nd4j.createFromArray(0, 11)));
        assertTrue(e.getMessage().contains("[0, 10]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(6, 8, 8, 4, false, 10, Parameterization.EPS, "linear"));
        assertTrue(e.getMessage().contains("groups (4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UNetConfig.preset("huge"));
        assertTrue(e.getMessage().contains("huge"), e.getMessage());
    }

    @Test
    void weightsOfAnotherArchitectureAreRejectedByName() {
        UNet tiny = UNet.create(TINY, 0);
        Map<String, INDArray> w = new HashMap<>(tiny.weights());
        w.put("in.w", Nd4j.zeros(3, 3, 1, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> tiny.setWeights(w));
        assertTrue(e.getMessage().contains("in.w") && e.getMessage().contains("[3, 3, 1, 5]"), e.getMessage());
    }
}
