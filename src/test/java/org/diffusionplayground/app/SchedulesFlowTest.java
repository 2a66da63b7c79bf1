package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffusionplayground.app.schedules.Quantity;
import org.diffusionplayground.app.schedules.SchedulesModel;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.viz.Curve;
import org.junit.jupiter.api.Test;

/** The Schedules page's flow interpolant: α² = (1 − t)², σ = t, λ = 2·log((1 − t)/t), no β, and its step marks. */
class SchedulesFlowTest {

    @Test
    void theInterpolantIsDrawnBesideTheSchedulesWithItsClosedForms() {
        SchedulesModel model = new SchedulesModel();
        assertEquals(2, model.curvesProperty(Quantity.SIGMA).get().size(), "off by default: DDPM and cosine");
        model.flowProperty().set(true);
        model.stepCountProperty().set(4);
        model.spacingProperty().set(Spacing.TRAILING);
        Curve alpha2 = last(model.curvesProperty(Quantity.ALPHA_BAR).get()), sigma = last(model.curvesProperty(Quantity.SIGMA).get());
        Curve lambda = last(model.curvesProperty(Quantity.LOG_SNR).get());
        assertEquals(SchedulesModel.FLOW_LABEL, sigma.name());
        assertEquals(SchedulesModel.FLOW_COLOUR, sigma.colour());
        for (int k = 1; k < sigma.x().length - 1; k += 50) {
            double t = sigma.x()[k];
            assertEquals(t, sigma.y()[k], 1e-12);
            assertEquals((1 - t) * (1 - t), alpha2.y()[k], 1e-12);
            assertEquals(2 * Math.log((1 - t) / t), lambda.y()[k], 1e-9);
        }
        assertTrue(model.curvesProperty(Quantity.BETA).get().stream().noneMatch(c -> c.name().equals(SchedulesModel.FLOW_LABEL)),
                "no β: the interpolant is not variance preserving");
        SchedulesModel.Timesteps marks = last(model.timestepsProperty().get());
        assertEquals(null, marks.kind());
        assertEquals(List.of(1.0, 0.75, 0.5, 0.25), java.util.Arrays.stream(marks.times()).boxed().toList());
        assertEquals(0.75, sigma.markerY()[1], 1e-12);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
