package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oneDNN convolution against the definition, summed here in double:
 * y[b, i, j, o] = bias[o] + Σ_{u, v, c} x[b, i·s + u − k/2, j·s + v − k/2, c] · W[u, v, c, o],
 * zero outside the image. Shapes as the U-Nets use them: 3×3 and 1×1, stride 1 and 2, batch 1
 * and 3, channel counts that are and are not multiples of oneDNN's blocks of 16.
 */
class OneDnnConvTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    private static boolean linuxX64() {
        return System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64");
    }

    @Test
    void loadsWhereItsNativeLibraryShips() {
        assumeTrue(linuxX64(), "the native library ships for this platform; elsewhere the pass falls back to ND4J's conv2d");
        assertTrue(OneDnnConv.available(), OneDnnConv.unavailableReason());
        assertEquals("", OneDnnConv.unavailableReason());
    }

    @ParameterizedTest(name = "B={0} S={1} {2}→{3} k={4} stride {5}")
    @CsvSource({"1, 28, 1, 16, 3, 1", "3, 28, 16, 16, 3, 1", "3, 14, 48, 16, 3, 1", "1, 7, 5, 7, 3, 1",
            "3, 28, 16, 16, 3, 2", "2, 7, 32, 32, 3, 2", "3, 14, 96, 32, 1, 1", "1, 7, 64, 128, 1, 1"})
    void equalsTheDefinition(int b, int s, int in, int out, int k, int stride) {
        assumeTrue(OneDnnConv.available(), OneDnnConv.unavailableReason());
        Noise noise = new Noise(b * 1000 + s + in + out + k + stride);
        INDArray x = noise.normal(b, s, s, in), w = noise.normal(k, k, in, out).muli(0.3), bias = noise.normal(out);
        int so = (s + 2 * (k / 2) - k) / stride + 1;
        INDArray y = Nd4j.create(DataType.FLOAT, b, so, so, out);
        new OneDnnConv(b, s, in, out, k, stride).run(x, w, bias, y);
        assertClose(definition(x, w, bias, stride), y);
    }

    /**
     * dL/dx, dL/dW, dL/db for L = Σ y·dy against the definition's chain rule, in double:
     * dx[n, r, c, ch] = Σ dy[n, i, j, o]·W[u, v, ch, o] over the outputs that read x there,
     * dW[u, v, ch, o] = Σ x·dy, db[o] = Σ dy.
     */
    @ParameterizedTest(name = "B={0} S={1} {2}→{3} k={4} stride {5}")
    @CsvSource({"3, 14, 16, 16, 3, 1", "2, 28, 1, 16, 3, 1", "2, 28, 16, 1, 3, 1", "3, 14, 8, 16, 3, 2", "1, 7, 5, 7, 3, 1"})
    void gradientsEqualTheDefinition(int b, int s, int in, int out, int k, int stride) {
        assumeTrue(OneDnnConv.available(), OneDnnConv.unavailableReason());
        Noise noise = new Noise(b * 77 + s + in * 3 + out + stride);
        int so = (s + 2 * (k / 2) - k) / stride + 1;
        INDArray x = noise.normal(b, s, s, in), w = noise.normal(k, k, in, out).muli(0.3), dy = noise.normal(b, so, so, out);
        INDArray dx = Nd4j.create(DataType.FLOAT, b, s, s, in), dw = Nd4j.create(DataType.FLOAT, k, k, in, out),
                db = Nd4j.create(DataType.FLOAT, out);
        new OneDnnConvBackward(b, s, in, out, k, stride).run(x, w, dy, dx, dw, db);
        double[] xs = x.data().asDouble(), ws = w.data().asDouble(), dys = dy.data().asDouble();
        double[] ex = new double[xs.length], ew = new double[ws.length], eb = new double[out];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < so; i++) {
                for (int j = 0; j < so; j++) {
                    for (int o = 0; o < out; o++) {
                        double g = dys[((n * so + i) * so + j) * out + o];
                        eb[o] += g;
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                int r = i * stride + u - k / 2, c = j * stride + v - k / 2;
                                if (r < 0 || r >= s || c < 0 || c >= s) continue;
                                for (int ch = 0; ch < in; ch++) {
                                    int xi = ((n * s + r) * s + c) * in + ch, wi = ((u * k + v) * in + ch) * out + o;
                                    ex[xi] += g * ws[wi];
                                    ew[wi] += g * xs[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        assertClose(ex, dx, "dL/dx");
        assertClose(ew, dw, "dL/dW"); // sums over b·so² products
        assertClose(eb, db, "dL/db");
    }

    @Test
    void seesNewWeightsAndReadsViewsWithAnOffset() {
        assumeTrue(OneDnnConv.available(), OneDnnConv.unavailableReason());
        Noise noise = new Noise(5);
        INDArray all = noise.normal(3, 14, 14, 8), x = Views.rows(all, 1, 3); // rows 1 and 2: an offset view
        INDArray w = noise.normal(3, 3, 8, 16).muli(0.3), bias = noise.normal(16), y = Nd4j.create(DataType.FLOAT, 2, 14, 14, 16);
        OneDnnConv conv = new OneDnnConv(2, 14, 8, 16, 3, 1);
        conv.run(x, w, bias, y);
        assertClose(definition(x.dup(), w, bias, 1), y);
        w.muli(-2).addi(0.1); // as training writes into the live weight arrays
        bias.addi(1);
        conv.run(x, w, bias, y);
        assertClose(definition(x.dup(), w, bias, 1), y);
    }

    /** A residual block's sum inside the kernel: y = conv(x) + b + r, with r copied in first or already in y. */
    @Test
    void addsTheResidualItIsGivenOrTheOutputsOwnValues() {
        assumeTrue(OneDnnConv.available(), OneDnnConv.unavailableReason());
        Noise noise = new Noise(12);
        INDArray x = noise.normal(2, 14, 14, 8), w = noise.normal(3, 3, 8, 16).muli(0.3), bias = noise.normal(16),
                residual = noise.normal(2, 14, 14, 16), y = noise.normal(2, 14, 14, 16);
        double[] expected = definition(x, w, bias, 1), r = residual.data().asDouble();
        for (int i = 0; i < expected.length; i++) expected[i] += r[i];
        OneDnnConv conv = new OneDnnConv(2, 14, 8, 16, 3, 1, true);
        conv.run(x, w, bias, y, residual); // y's old values are overwritten by the residual's
        assertClose(expected, y);
        INDArray inPlace = residual.dup();
        conv.run(x, w, bias, inPlace, inPlace);
        assertClose(expected, inPlace);
        assertEquals(0.0, residual.sub(Nd4j.createFromArray(r).castTo(DataType.FLOAT).reshape(residual.shape())).amaxNumber().doubleValue(),
                "the residual itself is untouched");
        assertThrows(IllegalStateException.class, () -> conv.run(x, w, bias, y));
        assertThrows(IllegalStateException.class, () -> new OneDnnConv(2, 14, 8, 16, 3, 1).run(x, w, bias, y, residual));
    }

    @Test
    void refusesArraysOfOtherShapes() {
        assumeTrue(OneDnnConv.available(), OneDnnConv.unavailableReason());
        OneDnnConv conv = new OneDnnConv(2, 7, 4, 4, 3, 1);
        INDArray w = Nd4j.zeros(DataType.FLOAT, 3, 3, 4, 4), bias = Nd4j.zeros(DataType.FLOAT, 4), y = Nd4j.create(DataType.FLOAT, 2, 7, 7, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> conv.run(Nd4j.zeros(DataType.FLOAT, 3, 7, 7, 4), w, bias, y));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> conv.run(Nd4j.zeros(DataType.DOUBLE, 2, 7, 7, 4), w, bias, y));
    }

    /** The convolution by its definition, in double. */
    private static double[] definition(INDArray x, INDArray w, INDArray bias, int stride) {
        int b = (int) x.size(0), s = (int) x.size(1), in = (int) x.size(3), k = (int) w.size(0), out = (int) w.size(3);
        int so = (s + 2 * (k / 2) - k) / stride + 1;
        double[] xs = x.dup().data().asDouble(), ws = w.dup().data().asDouble(), bs = bias.dup().data().asDouble();
        double[] y = new double[b * so * so * out];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < so; i++) {
                for (int j = 0; j < so; j++) {
                    for (int o = 0; o < out; o++) {
                        double sum = bs[o];
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                int r = i * stride + u - k / 2, c = j * stride + v - k / 2;
                                if (r < 0 || r >= s || c < 0 || c >= s) continue;
                                for (int ch = 0; ch < in; ch++) {
                                    sum += xs[((n * s + r) * s + c) * in + ch] * ws[((u * k + v) * in + ch) * out + o];
                                }
                            }
                        }
                        y[((n * so + i) * so + j) * out + o] = sum;
                    }
                }
            }
        }
        return y;
    }

    private static void assertClose(double[] expected, INDArray actual) {
        assertClose(expected, actual, "y");
    }

    /** Float sums of unit-scale products: within 1e-4 of the largest expected value's scale. */
    private static void assertClose(double[] expected, INDArray actual, String what) {
        double[] got = actual.data().asDouble();
        assertEquals(expected.length, got.length);
        double scale = 1;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-4 * scale, what + " value " + i);
    }
}
