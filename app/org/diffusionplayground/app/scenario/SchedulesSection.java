package org.diffusionplayground.app.scenario;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.app.schedules.SchedulesModel;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.model.schedule.Spacing;

/** The Schedules page in a scenario: the schedules overlaid, the shift, the step count and the spacing. */
record SchedulesSection(List<ScheduleKind> shown, double shift, int steps, Spacing spacing) {

    SchedulesSection {
        shown = List.copyOf(shown);
    }

    static SchedulesSection of(SchedulesModel m) {
        return new SchedulesSection(m.selection(), m.shiftProperty().get(), m.stepCountProperty().get(), m.spacingProperty().get());
    }

    static SchedulesSection read(Fields f, SchedulesSection now) {
        String[] names = f.texts("shown", -1);
        List<ScheduleKind> shown = now.shown();
        if (names != null) {
            shown = new ArrayList<>();
            for (String name : names) {
                ScheduleKind k = null;
                for (ScheduleKind c : ScheduleKind.values()) if (c.cliName().equalsIgnoreCase(String.valueOf(name).trim())) k = c;
                if (k == null) throw f.bad("shown", "\"%s\" is not one of %s".formatted(name, ScheduleKind.names()));
                shown.add(k);
            }
        }
        return new SchedulesSection(shown, f.decimal("shift", now.shift(), -4, 4), f.integer("steps", now.steps(), 1, 1000),
                f.choice("spacing", now.spacing(), Spacing.values(), ReverseSection::spacingName));
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        JsonArray names = new JsonArray();
        for (ScheduleKind k : shown) names.add(k.cliName());
        o.add("shown", names);
        o.addProperty("shift", shift);
        o.addProperty("steps", steps);
        o.addProperty("spacing", ReverseSection.spacingName(spacing));
        return o;
    }

    void applyTo(SchedulesModel m) {
        for (ScheduleKind k : ScheduleKind.values()) m.selectedProperty(k).set(shown.contains(k));
        m.shiftProperty().set(shift);
        m.stepCountProperty().set(steps);
        m.spacingProperty().set(spacing);
    }

}
