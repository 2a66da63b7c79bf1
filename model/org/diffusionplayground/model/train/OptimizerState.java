package org.diffusionplayground.model.train;

import org.diffusionplayground.model.checkpoint.CheckpointException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * Reads and restores the per-weight optimiser state of a SameDiff graph (Adam's first and second
 * moments "M" and "V"), so a resumed run takes exactly the steps the uninterrupted one would.
 */
final class OptimizerState {

    private OptimizerState() {
    }

    /** State key → weight name → a copy of the array. */
    static Map<String, Map<String, INDArray>> capture(SameDiff sd) {
        Map<String, Map<String, INDArray>> out = new LinkedHashMap<>();
        Map<String, GradientUpdater> updaters = sd.getUpdaterMap();
        if (updaters == null) return out;
        for (Map.Entry<String, GradientUpdater> e : updaters.entrySet()) {
            Map<String, INDArray> state = e.getValue().getState();
            if (state == null) continue;
            state.forEach((key, array) -> out.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(e.getKey(), array.dup()));
        }
        return out;
    }

    /**
     * Creates the graph's per-weight updaters from its training config (SameDiff would on the
     * first fit step). SameDiff only exposes that initialisation as a protected method, hence
     * the reflective call; it is the same method fit() calls.
     */
    static void initialize(SameDiff sd) {
        if (sd.isInitializedTraining()) return;
        try {
            Method init = SameDiff.class.getDeclaredMethod("initializeTraining");
            init.setAccessible(true);
            init.invoke(sd);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot initialise SameDiff's optimiser", e);
        }
    }

    /** Copies saved state into the graph's updaters (created first if needed). */
    static void restore(SameDiff sd, Map<String, Map<String, INDArray>> saved) throws CheckpointException {
        initialize(sd);
        for (Map.Entry<String, GradientUpdater> e : sd.getUpdaterMap().entrySet()) {
            Map<String, INDArray> live = e.getValue().getState();
            if (live == null) continue;
            for (Map.Entry<String, INDArray> s : live.entrySet()) {
                Map<String, INDArray> group = saved.get(s.getKey());
                INDArray value = group == null ? null : group.get(e.getKey());
                if (value == null) throw new CheckpointException(
                        "checkpoint lacks optimiser state %s of weight %s".formatted(s.getKey(), e.getKey()));
                if (value.length() != s.getValue().length()) throw new CheckpointException(
                        "optimiser state %s of weight %s has shape %s, expected %s".formatted(s.getKey(), e.getKey(),
                                Arrays.toString(value.shape()), Arrays.toString(s.getValue().shape())));
                s.getValue().assign(value.reshape(s.getValue().shape()));
            }
        }
    }
}
