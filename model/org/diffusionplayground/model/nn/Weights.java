package org.diffusionplayground.model.nn;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What every network's {@link Network#setWeights} does, written once. */
public final class Weights {

    private Weights() {
    }

    /**
     * Copies {@code values} into the {@code live} weights. Names and shapes must match exactly: an
     * extra, missing or misshapen weight is an {@link IllegalArgumentException} naming it and the
     * network ({@code network}, e.g. "16/32/64 model"), and nothing is copied.
     */
    public static void assign(Map<String, INDArray> live, Map<String, INDArray> values, String network) {
        for (String name : values.keySet()) {
            if (!live.containsKey(name)) throw new IllegalArgumentException(
                    "weight \"%s\" is not part of this %s".formatted(name, network));
        }
        for (Map.Entry<String, INDArray> e : live.entrySet()) {
            INDArray v = values.get(e.getKey());
            if (v == null) throw new IllegalArgumentException(
                    "weight \"%s\" is missing for this %s".formatted(e.getKey(), network));
            if (!Arrays.equals(v.shape(), e.getValue().shape())) throw new IllegalArgumentException(
                    "weight \"%s\" has shape %s, this %s needs %s".formatted(e.getKey(), Arrays.toString(v.shape()),
                            network, Arrays.toString(e.getValue().shape())));
        }
        for (Map.Entry<String, INDArray> e : live.entrySet()) e.getValue().assign(values.get(e.getKey()));
    }
}
