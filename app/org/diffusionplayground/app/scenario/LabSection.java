package org.diffusionplayground.app.scenario;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.diffusionplayground.app.lab.Convergence;
import org.diffusionplayground.app.lab.LabModel;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.toy.ToyDataset;

/**
 * The 2-D lab in a scenario: dataset, schedule, mode, steps, spacing, η, order, the four lanes'
 * samplers ("off" for an empty lane), the seed, the forward t, the reverse frame (applied once
 * the run has finished), x̂0 and paths, and what the convergence chart measures.
 */
record LabSection(ToyDataset dataset, ScheduleKind schedule, LabModel.Mode mode, int steps, Spacing spacing, double eta,
                  int order, List<SamplerKind> lanes, int seed, int forwardT, int frame, boolean showPredX0,
                  boolean showPaths, Convergence.Measure measure) {

    static final String OFF = "off";

    LabSection {
        lanes = Arrays.asList(lanes.toArray(new SamplerKind[0])); // keeps null (an empty lane)
    }

    static LabSection of(LabModel m) {
        SamplerKind[] lanes = new SamplerKind[LabModel.LANES];
        for (int i = 0; i < lanes.length; i++) lanes[i] = m.samplerProperty(i).get();
        return new LabSection(m.datasetProperty().get(), m.scheduleProperty().get(), m.modeProperty().get(),
                m.stepsProperty().get(), m.spacingProperty().get(), m.etaProperty().get(), m.orderProperty().get(),
                Arrays.asList(lanes), m.seedProperty().get(), m.forwardStepProperty().get(), m.frameProperty().get(),
                m.showPredX0Property().get(), m.showPathsProperty().get(), m.convergence().measureProperty().get());
    }

    static LabSection read(Fields f, LabSection now) {
        String[] names = f.texts("lanes", LabModel.LANES);
        List<SamplerKind> lanes = now.lanes();
        if (names != null) {
            SamplerKind[] kinds = new SamplerKind[names.length];
            for (int i = 0; i < names.length; i++) {
                if (names[i] == null || names[i].trim().equalsIgnoreCase(OFF)) continue;
                try {
                    kinds[i] = SamplerKind.parse(names[i]);
                } catch (IllegalArgumentException e) {
                    throw f.bad("lanes", "lane %d: \"%s\" is not \"off\" or a sampler (%s)".formatted(i + 1, names[i],
                            Arrays.stream(SamplerKind.values()).map(SamplerKind::cliName).toList()));
                }
            }
            lanes = Arrays.asList(kinds);
        }
        int steps = f.integer("steps", now.steps(), 1, LabModel.MAX_STEPS);
        return new LabSection(f.choice("dataset", now.dataset(), ToyDataset.values(), ToyDataset::cliName),
                f.choice("schedule", now.schedule(), ScheduleKind.values(), ScheduleKind::cliName),
                f.choice("mode", now.mode(), LabModel.Mode.values(), Fields::lower),
                steps, f.choice("spacing", now.spacing(), Spacing.values(), ReverseSection::spacingName),
                f.decimal("eta", now.eta(), 0, 1), f.integer("order", now.order(), 1, 3), lanes,
                f.integer("seed", now.seed(), 0, Integer.MAX_VALUE), f.integer("forwardT", now.forwardT(), 0, 1000),
                f.integer("frame", Math.min(now.frame(), steps), 0, steps), f.bool("showX0", now.showPredX0()),
                f.bool("showPaths", now.showPaths()),
                f.choice("measure", now.measure(), Convergence.Measure.values(), Fields::lower));
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("dataset", dataset.cliName());
        o.addProperty("schedule", schedule.cliName());
        o.addProperty("mode", Fields.lower(mode));
        o.addProperty("steps", steps);
        o.addProperty("spacing", ReverseSection.spacingName(spacing));
        o.addProperty("eta", eta);
        o.addProperty("order", order);
        JsonArray names = new JsonArray();
        for (SamplerKind k : lanes) names.add(k == null ? OFF : k.cliName());
        o.add("lanes", names);
        o.addProperty("seed", seed);
        o.addProperty("forwardT", forwardT);
        o.addProperty("frame", frame);
        o.addProperty("showX0", showPredX0);
        o.addProperty("showPaths", showPaths);
        o.addProperty("measure", Fields.lower(measure));
        return o;
    }

    /** Sets everything but the frame (the run these settings start sets it). */
    void applyTo(LabModel m) {
        m.playingProperty().set(false);
        m.convergence().measureProperty().set(measure);
        m.datasetProperty().set(dataset);
        m.scheduleProperty().set(schedule);
        m.modeProperty().set(mode);
        m.stepsProperty().set(steps);
        m.spacingProperty().set(spacing);
        m.etaProperty().set(eta);
        m.orderProperty().set(order);
        for (int i = 0; i < LabModel.LANES; i++) m.samplerProperty(i).set(lanes.get(i));
        m.seedProperty().set(seed);
        m.forwardStepProperty().set(forwardT);
        m.showPredX0Property().set(showPredX0);
        m.showPathsProperty().set(showPaths);
    }

    /** Everything that starts a new run when it changes. */
    List<Object> runKey() { return Arrays.asList(dataset, schedule, steps, spacing, eta, order, lanes, seed); }
}
