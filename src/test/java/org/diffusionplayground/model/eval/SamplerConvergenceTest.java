package org.diffusionplayground.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SingleThreadNd4j.class)
class SamplerConvergenceTest {

    private static SamplerConvergence.Config small() {
        var defaults = SamplerConvergence.Config.defaults();
        return new SamplerConvergence.Config(defaults.dataset(), defaults.schedule(), defaults.spacing(), defaults.options(),
                SamplerConvergence.grid(List.of(SamplerKind.parse("ddim")), List.of(3, 10, 30)), 1000, 5000, 64, 0);
    }

    @Test
    void reportsTheExactFloorFirstThenOneRowPerCaseWithNfeAndFallingError() {
        List<SamplerConvergence.Row> streamed = new ArrayList<>();
        List<SamplerConvergence.Row> rows = SamplerConvergence.run(small(), streamed::add, () -> false);
        assertEquals(rows, streamed);
        assertEquals(4, rows.size());
        assertEquals("exact", rows.get(0).sampler());
        int[] steps = {3, 10, 30};
        for (int i = 0; i < 3; i++) {
            SamplerConvergence.Row row = rows.get(i + 1);
            assertEquals("ddim", row.sampler());
            assertEquals(steps[i], row.steps());
            assertEquals(steps[i], row.nfe(), "DDIM evaluates the model once per step");
            assertTrue(row.millis() > 0);
        }
        assertTrue(rows.get(1).slicedWasserstein() > rows.get(2).slicedWasserstein());
        assertTrue(rows.get(1).slicedWasserstein() > 2 * rows.get(0).slicedWasserstein(), "3 DDIM steps are far from exact");
    }

    @Test
    void sameConfigGivesTheSameDistances() {
        var a = SamplerConvergence.run(small());
        var b = SamplerConvergence.run(small());
        for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).slicedWasserstein(), b.get(i).slicedWasserstein());
    }

    @Test
    void cancellingStopsBetweenCases() {
        var rows = SamplerConvergence.run(small(), r -> { }, () -> true);
        assertEquals(1, rows.size());
    }

    @Test
    void defaultGridRunsDdpmAlsoAtAThousandStepsAndConfigsAreValidated() {
        var cases = SamplerConvergence.Config.defaults().cases();
        assertEquals(SamplerKind.DIFFUSION.size() * 5 + (hasDdpm() ? 1 : 0), cases.size());
        var e = assertThrows(IllegalArgumentException.class, () -> small().withCases(List.of()));
        assertTrue(e.getMessage().contains("no cases"));
        assertThrows(IllegalArgumentException.class, () -> new SamplerConvergence.Case(SamplerKind.values()[0], 0));
    }

    private static boolean hasDdpm() {
        for (SamplerKind k : SamplerKind.values()) if (k.cliName().equals("ddpm")) return true;
        return false;
    }
}
