package org.diffusionplayground.app.scenario;

import com.google.gson.JsonObject;
import org.diffusionplayground.app.reverse.ReverseModel;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.Spacing;

/**
 * The Reverse page in a scenario: the sampler and its settings, guidance, class, the seed of x_T,
 * the grid, and the frame the timeline shows (applied once the run has recorded it).
 */
record ReverseSection(SamplerKind sampler, int steps, Spacing spacing, double eta, X0Clip clip, double guidance,
                      int label, int seed, int grid, int frame) {

    static ReverseSection of(ReverseModel m) {
        return new ReverseSection(m.samplerProperty().get(), m.stepsProperty().get(), m.spacingProperty().get(),
                m.etaProperty().get(), m.clipProperty().get(), m.guidanceProperty().get(), m.labelProperty().get(),
                m.seedProperty().get(), m.gridProperty().get(), m.frameProperty().get());
    }

    static ReverseSection read(Fields f, ReverseSection now) {
        return new ReverseSection(f.choice("sampler", now.sampler(), SamplerKind.values(), SamplerKind::cliName),
                f.integer("steps", now.steps(), 1, ReverseModel.MAX_STEPS),
                f.choice("spacing", now.spacing(), Spacing.values(), ReverseSection::spacingName),
                f.decimal("eta", now.eta(), 0, 1), f.choice("clip", now.clip(), X0Clip.values(), X0Clip::cliName),
                f.decimal("guidance", now.guidance(), 0, ReverseModel.MAX_GUIDANCE), f.classChoice("class", now.label()),
                f.integer("seed", now.seed(), 0, Integer.MAX_VALUE), f.integer("grid", now.grid(), 1, ReverseModel.MAX_GRID),
                f.integer("frame", now.frame(), 0, ReverseModel.MAX_STEPS));
    }

    static String spacingName(Spacing s) { return Fields.lower(s); }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("sampler", sampler.cliName());
        o.addProperty("steps", steps);
        o.addProperty("spacing", spacingName(spacing));
        o.addProperty("eta", eta);
        o.addProperty("clip", clip.cliName());
        o.addProperty("guidance", guidance);
        o.add("class", Fields.classJson(label));
        o.addProperty("seed", seed);
        o.addProperty("grid", grid);
        o.addProperty("frame", frame);
        return o;
    }

    /** Sets everything but the frame (the run these settings start records it). */
    void applyTo(ReverseModel m) {
        m.playingProperty().set(false);
        m.samplerProperty().set(sampler);
        m.stepsProperty().set(steps);
        m.spacingProperty().set(spacing);
        m.etaProperty().set(eta);
        m.clipProperty().set(clip);
        m.guidanceProperty().set(guidance);
        m.labelProperty().set(label);
        m.seedProperty().set(seed);
        m.gridProperty().set(grid);
    }

    /** Everything that starts a new run when it changes. */
    ReverseSection withoutFrame() { return new ReverseSection(sampler, steps, spacing, eta, clip, guidance, label, seed, grid, 0); }
}
