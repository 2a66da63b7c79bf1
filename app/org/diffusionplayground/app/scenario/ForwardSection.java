package org.diffusionplayground.app.scenario;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.diffusionplayground.app.forward.ForwardModel;
import org.diffusionplayground.model.schedule.ScheduleKind;

/**
 * The Forward page in a scenario: the schedule (and its shift), t, the grid, the class and the
 * two seeds that fix which images are shown and their noise ε.
 *
 * @param chosenClass a digit or {@link ForwardModel#ANY_CLASS}, written "any"
 */
record ForwardSection(ScheduleKind schedule, double shift, int t, int grid, int chosenClass, long imageSeed, long noiseSeed) {

    static ForwardSection of(ForwardModel m) {
        return new ForwardSection(m.scheduleKindProperty().get(), m.shiftProperty().get(), m.stepProperty().get(),
                m.gridSizeProperty().get(), m.chosenClassProperty().get(), m.imageSeed(), m.noiseSeed());
    }

    /** Reads the section; a field left out keeps {@code now}'s value. */
    static ForwardSection read(Fields f, ForwardSection now) {
        int cls = !f.isText("class") ? f.integer("class", now.chosenClass(), 0, 9) : anyClass(f);
        return new ForwardSection(f.choice("schedule", now.schedule(), ScheduleKind.values(), ScheduleKind::cliName),
                f.decimal("shift", now.shift(), -4, 4), f.integer("t", now.t(), 0, 1000),
                f.integer("grid", now.grid(), 1, ForwardModel.MAX_GRID), cls,
                f.longInteger("imageSeed", now.imageSeed()), f.longInteger("noiseSeed", now.noiseSeed()));
    }

    private static int anyClass(Fields f) {
        String given = f.text("class", "").trim();
        if (given.equalsIgnoreCase("any")) return ForwardModel.ANY_CLASS;
        throw f.bad("class", "\"%s\" is not \"any\" or a digit 0–9".formatted(given));
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("schedule", schedule.cliName());
        o.addProperty("shift", shift);
        o.addProperty("t", t);
        o.addProperty("grid", grid);
        o.add("class", chosenClass == ForwardModel.ANY_CLASS ? new JsonPrimitive("any") : new JsonPrimitive(chosenClass));
        o.addProperty("imageSeed", imageSeed);
        o.addProperty("noiseSeed", noiseSeed);
        return o;
    }

    void applyTo(ForwardModel m) {
        m.playingProperty().set(false);
        m.scheduleKindProperty().set(schedule);
        m.shiftProperty().set(shift);
        m.setSeeds(imageSeed, noiseSeed);
        m.gridSizeProperty().set(grid);
        m.chosenClassProperty().set(chosenClass);
        m.stepProperty().set(Math.min(t, m.stepsProperty().get()));
    }
}
