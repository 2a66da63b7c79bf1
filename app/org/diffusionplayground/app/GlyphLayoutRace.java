package org.diffusionplayground.app;

/**
 * A work-around for a race in JavaFX 21's text layout on Linux that aborts the JVM
 * ("free(): invalid pointer" in {@code PangoGlyphLayout.dispose}, on the JavaFX thread in the
 * middle of a layout pass; caught here in a core dump of a crashed UI test, one run in eight to
 * fifteen). JavaFX lends one shared {@code GlyphLayout} to whichever thread lays out text (the
 * JavaFX thread for controls, the render thread for a canvas's text), and its Pango subclass hands
 * the shared instance back before it frees the UTF-8 strings it made: another thread can take it in
 * between, add its own strings, and have them freed under it or freed twice.
 *
 * <p>{@link #hold()} takes the shared instance once and never gives it back, so every layout gets
 * an instance of its own (JavaFX's path when the shared one is busy; a small allocation per layout).
 * Reached by reflection: the class is internal to JavaFX, which this app loads from the class path;
 * where it cannot be reached nothing happens.
 */
public final class GlyphLayoutRace {

    private static boolean held;

    private GlyphLayoutRace() {
    }

    /** Takes JavaFX's shared glyph layout for good (once; later calls do nothing); whether it is held. */
    public static synchronized boolean hold() {
        if (held) return true;
        try {
            Class.forName("com.sun.javafx.text.GlyphLayout").getMethod("getInstance").invoke(null);
            held = true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // another JavaFX, or one on the module path: its own behaviour stands
        }
        return held;
    }
}
