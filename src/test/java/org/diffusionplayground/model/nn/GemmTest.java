package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Gemm#times} against c[r, j] = Σ_i a[r, i] · W[i, j] summed in double, on both sides of
 * {@link Gemm#LOOP_MACS} (the Java loop and the BLAS product), with W an ND4J array and a heap
 * array, and the same Gemm reused across sizes (its scratch rows grow and shrink).
 */
class GemmTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @ParameterizedTest(name = "{0}×{1}·{1}×{2}")
    @CsvSource({"1, 32, 64", "16, 32, 64", "16, 64, 64", "3, 7, 5", "16, 64, 224", "64, 128, 128", "1, 128, 768"})
    void productEqualsTheDefinitionOnEitherPath(int m, int k, int n) {
        Noise noise = new Noise(m * 31 + k * 7 + n);
        float[] a = noise.normal(m * k).data().asFloat(), wHeap = noise.normal(k * n).data().asFloat();
        INDArray w = noise.normal(k, n);
        Gemm gemm = new Gemm();
        gemm.times(noise.normal(40 * 9).data().asFloat(), 40, noise.normal(9, 3).data().asFloat(), 9, 3, new float[120]); // other sizes first
        float[] c = new float[m * n], cHeap = new float[m * n];
        gemm.times(a, m, w, c);
        gemm.times(a, m, wHeap, k, n, cHeap);
        float[] wv = w.data().asFloat();
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, sumHeap = 0;
                for (int i = 0; i < k; i++) {
                    sum += (double) a[r * k + i] * wv[i * n + j];
                    sumHeap += (double) a[r * k + i] * wHeap[i * n + j];
                }
                assertEquals(sum, c[r * n + j], 1e-5 * (1 + Math.sqrt(k)), "W an ND4J array, c[" + r + ", " + j + "]");
                assertEquals(sumHeap, cHeap[r * n + j], 1e-5 * (1 + Math.sqrt(k)), "W a heap array, c[" + r + ", " + j + "]");
            }
        }
    }
}
