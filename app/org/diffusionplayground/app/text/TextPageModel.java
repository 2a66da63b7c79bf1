package org.diffusionplayground.app.text;

import java.nio.file.Path;
import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.Playback;

/**
 * The Text page: tiny Shakespeare under masked or uniform discrete diffusion, forward (text
 * dissolving) or reverse (the model writing it back). One process choice drives both halves;
 * the keyboard's timeline is the half shown.
 */
public final class TextPageModel implements Playback {

    /** Which half of the page is shown. */
    public enum Mode { FORWARD, REVERSE }

    private final TextModels models;
    private final TextForwardModel forward;
    private final TextReverseModel reverse;
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(this, "mode", Mode.REVERSE);
    private final ObjectProperty<TextProcess> process = new SimpleObjectProperty<>(this, "process", TextProcess.MASKED);

    public TextPageModel(Jobs jobs, TextNetworks networks, BiConsumer<String, Throwable> onError) {
        models = new TextModels(jobs, networks, onError);
        forward = new TextForwardModel(jobs, models, onError);
        reverse = new TextReverseModel(jobs, models, onError);
        forward.processProperty().bind(process);
        reverse.processProperty().bind(process);
        mode.addListener((o, was, is) -> {
            forward.playingProperty().set(false);
            reverse.playingProperty().set(false);
        });
    }

    public TextModels models() { return models; }
    public TextForwardModel forward() { return forward; }
    public TextReverseModel reverse() { return reverse; }
    public ObjectProperty<Mode> modeProperty() { return mode; }
    public ObjectProperty<TextProcess> processProperty() { return process; }

    /** The page's first visit: the corpus and the shipped models load, then the reverse run starts. */
    public void start() {
        models.start();
        reverse.start();
    }

    public void open(Path file) { models.open(file); }

    /**
     * Writes with the text model of a training run (its model.dpck or newest checkpoint): it
     * becomes the model of its process (the left-to-right baseline: of its own lane), and the page
     * shows the reverse half.
     */
    public void use(Path runFolder) {
        models.open(runFolder, net -> {
            if (!net.model().autoregressive()) process.set(net.absorbing() ? TextProcess.MASKED : TextProcess.UNIFORM);
            mode.set(Mode.REVERSE);
        });
    }

    private Playback shown() {
        return mode.get() == Mode.FORWARD ? forward : reverse;
    }

    @Override public BooleanProperty playingProperty() { return shown().playingProperty(); }
    @Override public void togglePlay() { shown().togglePlay(); }
    @Override public void stepBy(int delta) { shown().stepBy(delta); }
    @Override public void toStart() { shown().toStart(); }
    @Override public void toEnd() { shown().toEnd(); }
    @Override public void advance(double seconds) { shown().advance(seconds); }
}
