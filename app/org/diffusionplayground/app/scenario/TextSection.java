package org.diffusionplayground.app.scenario;

import com.google.gson.JsonObject;
import org.diffusionplayground.app.text.TextPageModel;
import org.diffusionplayground.app.text.TextProcess;
import org.diffusionplayground.app.text.TextReverseModel;
import org.diffusionplayground.app.text.TextRun;
import org.diffusionplayground.model.sampling.tokens.RevealOrder;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;
import org.diffusionplayground.model.sampling.tokens.TokenRun;

/**
 * The Text page in a scenario: the half shown and the process; Forward's passage, its draws and
 * the scrub step; Reverse's sampler (one of the process's own) and its settings, the seed, the
 * length, what is given and its text, and whether the lanes stand side by side. The models are the
 * page's (shipped, or opened there); the reverse timeline ends on the run's last step.
 */
record TextSection(TextPageModel.Mode mode, TextProcess process, String passage, int draws, int step, TokenRun.Kind sampler,
                   int steps, RevealOrder order, double temperature, int topK, double topP, double threshold, int block,
                   double remask, int seed, int length, TextRun.Given given, String text, boolean sideBySide) {

    /** The longest passage or prompt a scenario carries (the page writes at most this many characters). */
    static final int MAX_TEXT = 1024;

    static TextSection of(TextPageModel m) {
        var f = m.forward();
        var r = m.reverse();
        return new TextSection(m.modeProperty().get(), m.processProperty().get(), f.passageProperty().get(), f.drawsProperty().get(),
                f.stepProperty().get(), r.samplerProperty().get(), r.stepsProperty().get(), r.orderProperty().get(),
                r.temperatureProperty().get(), r.topKProperty().get(), r.topPProperty().get(), r.thresholdProperty().get(),
                r.blockProperty().get(), r.remaskProperty().get(), r.seedProperty().get(), r.lengthProperty().get(),
                r.givenProperty().get(), r.textProperty().get(), r.sideBySideProperty().get());
    }

    static TextSection read(Fields f, TextSection now) {
        TextProcess process = f.choice("process", now.process(), TextProcess.values(), Fields::lower);
        TokenFamily family = process.absorbing() ? TokenFamily.MASKED : TokenFamily.UNIFORM;
        // a sampler left out: the process's own when the process changes, else the one shown
        TokenRun.Kind fallback = now.sampler().family == family ? now.sampler() : TokenRun.Kind.defaultFor(family);
        TokenRun.Kind sampler = f.choice("sampler", fallback, TokenRun.Kind.values(), TokenRun.Kind::cliName);
        if (sampler.family != family) {
            throw f.bad("sampler", "\"%s\" does not sample the %s process (%s does)".formatted(sampler.cliName(), Fields.lower(process),
                    TokenRun.Kind.namesFor(family)));
        }
        return new TextSection(f.choice("mode", now.mode(), TextPageModel.Mode.values(), Fields::lower), process,
                text(f, "passage", now.passage()), f.integer("draws", now.draws(), 0, Integer.MAX_VALUE),
                f.integer("step", now.step(), 0, org.diffusionplayground.app.text.TextCorruption.FRAMES), sampler,
                f.integer("steps", now.steps(), 1, TextReverseModel.MAX_STEPS),
                f.choice("order", now.order(), RevealOrder.values(), Fields::lower),
                f.decimal("temperature", now.temperature(), 0, 2), f.integer("topK", now.topK(), 0, 100),
                f.decimal("topP", now.topP(), 0.05, 1), f.decimal("threshold", now.threshold(), 0, 1),
                f.integer("block", now.block(), 0, MAX_TEXT), f.decimal("remask", now.remask(), 0, 1),
                f.integer("seed", now.seed(), 0, Integer.MAX_VALUE), f.integer("length", now.length(), 1, MAX_TEXT),
                f.choice("given", now.given(), TextRun.Given.values(), Fields::lower), text(f, "text", now.text()),
                f.bool("sideBySide", now.sideBySide()));
    }

    private static String text(Fields f, String key, String now) {
        String s = f.text(key, now);
        if (s.length() > MAX_TEXT) throw f.bad(key, "%d characters, more than the %d the page writes".formatted(s.length(), MAX_TEXT));
        return s;
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("mode", Fields.lower(mode));
        o.addProperty("process", Fields.lower(process));
        o.addProperty("passage", passage);
        o.addProperty("draws", draws);
        o.addProperty("step", step);
        o.addProperty("sampler", sampler.cliName());
        o.addProperty("steps", steps);
        o.addProperty("order", Fields.lower(order));
        o.addProperty("temperature", temperature);
        o.addProperty("topK", topK);
        o.addProperty("topP", topP);
        o.addProperty("threshold", threshold);
        o.addProperty("block", block);
        o.addProperty("remask", remask);
        o.addProperty("seed", seed);
        o.addProperty("length", length);
        o.addProperty("given", Fields.lower(given));
        o.addProperty("text", text);
        o.addProperty("sideBySide", sideBySide);
        return o;
    }

    /** The process before its sampler: a process brings its own sampler along, which the saved one then replaces. */
    void applyTo(TextPageModel m) {
        var f = m.forward();
        var r = m.reverse();
        f.playingProperty().set(false);
        r.playingProperty().set(false);
        m.modeProperty().set(mode);
        m.processProperty().set(process);
        if (!passage.isEmpty()) f.passageProperty().set(passage); // empty: the page picks a validation passage
        f.drawsProperty().set(draws);
        f.stepProperty().set(step);
        r.samplerProperty().set(sampler);
        r.stepsProperty().set(steps);
        r.orderProperty().set(order);
        r.temperatureProperty().set(temperature);
        r.topKProperty().set(topK);
        r.topPProperty().set(topP);
        r.thresholdProperty().set(threshold);
        r.blockProperty().set(block);
        r.remaskProperty().set(remask);
        r.seedProperty().set(seed);
        r.lengthProperty().set(length);
        r.givenProperty().set(given);
        r.textProperty().set(text);
        r.sideBySideProperty().set(sideBySide);
    }
}
