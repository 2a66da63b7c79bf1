package org.diffusionplayground.app.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.AtomicWrite;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.model.schedule.PathFamily;

/**
 * Takes a {@link Scenario} from the app and puts one back: the page, the image model, each page's
 * settings and the lesson note. A scenario that fails to read changes nothing.
 */
public final class Scenarios {

    private Scenarios() {
    }

    /** What the app shows now. */
    public static Scenario capture(AppModel app) {
        Path source = app.images().sourceProperty().get();
        boolean flow = app.images().shippedFamilyProperty().get() == PathFamily.FLOW;
        return new Scenario(app.pageProperty().get(), app.lessonProperty().get(),
                source != null ? source.toAbsolutePath().toString() : flow ? Scenario.SHIPPED_FLOW : Scenario.SHIPPED,
                ForwardSection.of(app.forward()), ReverseSection.of(app.reverse()), CompareSection.of(app.compare()),
                SchedulesSection.of(app.schedules()), LabSection.of(app.lab()), TextSection.of(app.text()));
    }

    /** Shows {@code s}: settings first, then the model (its load restarts the runs), then the page. */
    public static void apply(AppModel app, Scenario s) {
        s.forward().applyTo(app.forward());
        s.schedules().applyTo(app.schedules());
        s.compare().applyTo(app.compare());
        s.reverse().applyTo(app.reverse());
        s.lab().applyTo(app.lab());
        s.text().applyTo(app.text());
        openModel(app.images(), s.model());
        app.pageProperty().set(s.page());
        app.reverse().showFrameAfterRun(s.reverse().frame());
        app.lab().showFrameAfterRun(s.lab().frame());
        app.lessonProperty().set(s.lesson());
    }

    private static void openModel(ImageModel images, String model) {
        Path now = images.sourceProperty().get();
        if (Scenario.SHIPPED.equals(model) || Scenario.SHIPPED_FLOW.equals(model)) {
            PathFamily family = Scenario.SHIPPED.equals(model) ? PathFamily.DIFFUSION : PathFamily.FLOW;
            if (now != null || images.shippedFamilyProperty().get() != family) images.openShipped(family);
        } else if (now == null || !now.toAbsolutePath().toString().equals(model)) {
            images.open(Path.of(model));
        }
    }

    /** Reads {@code file} and shows it; a failure goes to the error banner and changes nothing. */
    public static void open(AppModel app, Path file) {
        try {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (java.nio.charset.CharacterCodingException e) { // else the banner said only "Input length = 1"
                throw new IllegalArgumentException(("%s is not UTF-8 text: a scenario is the JSON file that Scenario › Save"
                        + " scenario… writes").formatted(file.getFileName()), e);
            }
            apply(app, ScenarioJson.read(text, capture(app).withLesson(null), file.toAbsolutePath().getParent()));
        } catch (IOException | IllegalArgumentException e) {
            app.reportError("Opening the scenario " + file.getFileName(), e);
        }
    }

    /** Writes what the app shows to {@code file} (whole or not at all). */
    public static void save(AppModel app, Path file) {
        try {
            String json = ScenarioJson.write(capture(app));
            AtomicWrite.to(file, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            app.reportError("Saving the scenario " + file.getFileName(), e);
        }
    }
}
