package org.diffusionplayground.model.nn;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Output arrays by op name for one batch size, and heap scratch arrays. */
public final class Buffers {
    public final int batch;
    private final Map<String, INDArray> arrays = new HashMap<>();
    private final Map<String, float[]> heaps = new HashMap<>();

    public Buffers(int batch) {
        this.batch = batch;
    }

    public INDArray get(String name, long... shape) {
        return arrays.computeIfAbsent(name, k -> Nd4j.create(DataType.FLOAT, shape));
    }

    /** A buffer the forward pass filled. */
    public INDArray existing(String name) {
        INDArray a = arrays.get(name);
        if (a == null) throw new IllegalStateException("no forward buffer " + name + "; run the forward pass first");
        return a;
    }

    /** A named heap array of at least n floats, kept for this batch size. */
    public float[] heap(String name, int n) {
        float[] a = heaps.get(name);
        if (a == null || a.length < n) heaps.put(name, a = new float[n]);
        return a;
    }
}
