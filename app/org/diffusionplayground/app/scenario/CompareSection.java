package org.diffusionplayground.app.scenario;

import com.google.gson.JsonObject;
import org.diffusionplayground.app.compare.CompareModel;
import org.diffusionplayground.app.compare.Comparison;
import org.diffusionplayground.app.compare.Quality;

/**
 * The Compare page in a scenario: what it compares (the samplers, or the diffusion model beside the
 * flow model), steps (or NFE), guidance, class, the seed of x_T and FID-lite's digits per setting.
 */
record CompareSection(Comparison comparison, int steps, double guidance, int label, int seed, int qualityDigits) {

    static CompareSection of(CompareModel m) {
        return new CompareSection(m.comparisonProperty().get(), m.stepsProperty().get(), m.guidanceProperty().get(),
                m.labelProperty().get(), m.seedProperty().get(), m.qualityDigitsProperty().get());
    }

    static CompareSection read(Fields f, CompareSection now) {
        int digits = f.integer("fidDigits", now.qualityDigits(), 1, Integer.MAX_VALUE);
        if (!Quality.DIGITS.contains(digits)) throw f.bad("fidDigits", "%d is not one of %s".formatted(digits, Quality.DIGITS));
        return new CompareSection(f.choice("compare", now.comparison(), Comparison.values(), Comparison::id),
                f.integer("steps", now.steps(), 1, 1000), f.decimal("guidance", now.guidance(), 0, 10),
                f.classChoice("class", now.label()), f.integer("seed", now.seed(), 0, Integer.MAX_VALUE), digits);
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("compare", comparison.id());
        o.addProperty("steps", steps);
        o.addProperty("guidance", guidance);
        o.add("class", Fields.classJson(label));
        o.addProperty("seed", seed);
        o.addProperty("fidDigits", qualityDigits);
        return o;
    }

    void applyTo(CompareModel m) {
        m.comparisonProperty().set(comparison);
        m.stepsProperty().set(steps);
        m.guidanceProperty().set(guidance);
        m.labelProperty().set(label);
        m.seedProperty().set(seed);
        m.qualityDigitsProperty().set(qualityDigits);
    }
}
