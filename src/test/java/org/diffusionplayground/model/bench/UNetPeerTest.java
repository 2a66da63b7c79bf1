package org.diffusionplayground.model.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.nn.unet.UNetInferenceTest;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The PyTorch U-Net of {@code bench compare} ({@code assets/peer/unet_torch.py}) is ours: for both
 * shipped presets it has our parameter count, accepts every one of our weights by name with our
 * shapes (the peer refuses a missing, extra or misshapen tensor), and with those weights — every
 * one random, so no zero-initialised layer hides a difference — gives our output for the same
 * inputs, against both the SameDiff graph (the reference) and the fast pass: within 1e-4 of the
 * output's scale (measured with Debian's PyTorch 1.13: 2–3·10⁻⁶ at max |out| 2.5–3.3). Skipped
 * where {@code /usr/bin/python3} has no torch.
 */
@ExtendWith(SingleThreadNd4j.class)
class UNetPeerTest {

    private static final String PYTHON = "/usr/bin/python3";

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small", "reference"})
    void thePyTorchUNetHasOurParametersAndGivesOurOutput(String preset) throws Exception {
        String why = PeerProcess.unavailable(PYTHON);
        assumeTrue(why == null, why);
        UNetConfig config = UNetConfig.preset(preset);
        UNet net = UNetInferenceTest.randomised(config, 21);
        int b = 5;
        Noise noise = new Noise(22);
        float[] t = new float[b];
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            t[i] = (float) ((i + 0.5) / b);
            labels[i] = (3 * i) % (config.numClasses() + 1); // 0, 3, 6, 9, 10: the null class too
        }
        Map<String, INDArray> inputs = new LinkedHashMap<>();
        inputs.put("x", noise.normal(b, 1, UNetConfig.SIZE, UNetConfig.SIZE).castTo(DataType.FLOAT));
        inputs.put("t", Nd4j.createFromArray(t));
        inputs.put("label", Nd4j.createFromArray(labels));
        Path weights = dir.resolve("weights.bin"), in = dir.resolve("in.bin"), out = dir.resolve("out.bin");
        PeerTensors.write(net.weights(), weights);
        PeerTensors.write(inputs, in);

        try (PeerProcess peer = PeerProcess.start(PYTHON, "/assets/peer/unet_torch.py")) {
            assertEquals(net.parameterCount(), Long.parseLong(peer.ask(NetworkBenchmark.peerConfig(config, 1), "ready")));
            assertEquals(net.weights().size(), Integer.parseInt(peer.ask("weights " + weights, "loaded")));
            assertEquals(b * UNetConfig.SIZE * UNetConfig.SIZE, Integer.parseInt(peer.ask("output %s %s".formatted(in, out), "wrote")));
        }
        INDArray theirs = PeerTensors.read(out).get("out");
        INDArray x = inputs.get("x"), times = inputs.get("t"), cond = inputs.get("label");
        for (INDArray ours : new INDArray[] {net.predictWithGraph(x, times, cond), net.predict(x, times, cond)}) {
            assertArrayEquals(ours.shape(), theirs.shape());
            double scale = ours.amaxNumber().doubleValue(), gap = ours.sub(theirs).amaxNumber().doubleValue();
            assertTrue(scale > 0.05, "the output is not trivial: max |out| " + scale);
            assertTrue(gap <= 1e-4 * Math.max(1, scale), "max |ours − PyTorch's| " + gap + " at max |out| " + scale);
        }
    }
}
