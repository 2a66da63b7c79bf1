package org.diffusionplayground.model.nn.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What {@link DDiTForward} keeps for {@link DDiTBackward}, allocated once per batch size and
 * overwritten by every pass: row-major heap arrays (N = B·L rows) and, for attention, off-heap
 * arrays [B·H, L, ·] that the batched matrix products read. Names follow {@link DDiTLayout}.
 */
final class DDiTTape {

    final boolean forBackward;
    final int batch, length, width, heads, headWidth, hidden, columns, condDim, features, rows;
    int[] ids; // the ids the embedding read (shifted, for the autoregressive model)
    float[] feats, pre1, c1, pre2, c;
    /** The residual stream [N, d], block by block; after the last block the final layer's input. */
    final float[] h;
    final Layer[] layers;
    final float[] adaF, xhatF, rstdF, zin, logits;

    /** One transformer block's activations. */
    static final class Layer {
        float[] ada, xhat1, rstd1, ain, o, attn, xhat2, rstd2, min, f, g, p;
        INDArray q, k, v, probs;
    }

    /**
     * @param forBackward whether every block keeps its own activations for {@link DDiTBackward};
     *                    without, the blocks share one set of buffers (inference: a quarter of the
     *                    memory for four blocks)
     */
    DDiTTape(TransformerConfig config, int batch, boolean forBackward) {
        this.forBackward = forBackward;
        this.batch = batch;
        length = config.length();
        width = config.width();
        heads = config.heads();
        headWidth = config.headWidth();
        hidden = config.mlpRatio() * width;
        columns = config.vocab() + 1;
        condDim = config.condDim();
        features = config.timeFeatures();
        rows = batch * length;
        int n = rows * width;
        h = new float[n];
        layers = new Layer[config.layers()];
        long bh = (long) batch * heads;
        for (int i = 0; i < layers.length; i++) {
            if (i > 0 && !forBackward) {
                layers[i] = layers[0];
                continue;
            }
            Layer y = layers[i] = new Layer();
            y.ada = new float[batch * 6 * width];
            y.xhat1 = new float[n];
            y.rstd1 = new float[rows];
            y.ain = new float[n];
            y.o = new float[n];
            y.attn = new float[n];
            y.xhat2 = new float[n];
            y.rstd2 = new float[rows];
            y.min = new float[n];
            y.f = new float[rows * hidden];
            y.g = new float[rows * hidden];
            y.p = new float[n];
            y.q = Nd4j.create(DataType.FLOAT, bh, length, headWidth);
            y.k = Nd4j.create(DataType.FLOAT, bh, length, headWidth);
            y.v = Nd4j.create(DataType.FLOAT, bh, length, headWidth);
            y.probs = Nd4j.create(DataType.FLOAT, bh, length, length);
        }
        adaF = new float[batch * 2 * width];
        xhatF = new float[n];
        rstdF = new float[rows];
        zin = new float[n];
        logits = new float[rows * columns];
    }
}
