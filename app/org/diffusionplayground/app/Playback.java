package org.diffusionplayground.app;

import javafx.beans.property.BooleanProperty;

/** What the keyboard drives on a page with a timeline: space, ←/→, Home/End. */
public interface Playback {

    BooleanProperty playingProperty();

    default void togglePlay() { playingProperty().set(!playingProperty().get()); }

    /** Moves the timeline by {@code delta} steps (clamped), stopping playback. */
    void stepBy(int delta);

    void toStart();

    void toEnd();

    /** Called every frame while playing with the seconds since the last frame. */
    void advance(double seconds);
}
