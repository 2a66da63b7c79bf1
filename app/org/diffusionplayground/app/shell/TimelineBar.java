package org.diffusionplayground.app.shell;

import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.beans.value.ObservableIntegerValue;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.diffusionplayground.app.Playback;

/** Play, step and jump buttons and a slider over an integer timeline [0, max]. */
public final class TimelineBar extends HBox {

    public TimelineBar(Playback playback, IntegerProperty value, ObservableIntegerValue max,
                       ObservableStringValue text, String sliderId) {
        Button start = Icons.decorate(new Button(), Icons.TO_START, "To the start (Home)");
        start.setOnAction(e -> playback.toStart());
        Button back = Icons.decorate(new Button(), Icons.STEP_BACK, "One step back (←)");
        back.setOnAction(e -> playback.stepBy(-1));
        Button play = new Button();
        play.setId(sliderId + "-play");
        play.getStyleClass().add("play-button");
        play.graphicProperty().bind(Bindings.createObjectBinding(
                () -> Icons.icon(playback.playingProperty().get() ? Icons.PAUSE : Icons.PLAY), playback.playingProperty()));
        play.setTooltip(new Tooltip("Play / pause (space)"));
        play.setOnAction(e -> playback.togglePlay());
        Button forward = Icons.decorate(new Button(), Icons.STEP_FORWARD, "One step forward (→)");
        forward.setOnAction(e -> playback.stepBy(1));
        Button end = Icons.decorate(new Button(), Icons.TO_END, "To the end (End)");
        end.setOnAction(e -> playback.toEnd());

        Slider slider = new Slider(0, Math.max(1, max.get()), value.get());
        slider.setId(sliderId);
        slider.maxProperty().bind(Bindings.max(1, max));
        slider.setBlockIncrement(1);
        slider.setShowTickMarks(true);
        slider.majorTickUnitProperty().bind(Bindings.createDoubleBinding(() -> max.get() >= 200 ? 100.0 : Math.max(1, max.get() / 10.0), max));
        slider.setMinorTickCount(0);
        slider.valueProperty().bindBidirectional(value);
        slider.setFocusTraversable(false); // arrows and Home/End belong to the page, not the slider
        HBox.setHgrow(slider, Priority.ALWAYS);
        Label label = new Label();
        label.getStyleClass().add("time-label");
        label.textProperty().bind(text);

        getChildren().addAll(start, back, play, forward, end, slider, label);
        setSpacing(8);
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add("timeline");
    }

    /** Calls {@link Playback#advance} every frame while the playback plays. */
    public static void animate(Playback playback) {
        AnimationTimer timer = new AnimationTimer() {
            private long last;

            @Override public void start() {
                last = 0;
                super.start();
            }

            @Override public void handle(long now) {
                if (last != 0) playback.advance((now - last) / 1e9);
                last = now;
            }
        };
        playback.playingProperty().addListener((o, was, is) -> {
            if (is) timer.start();
            else timer.stop();
        });
    }
}
