package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Once held, JavaFX's shared glyph layout is never lent again: a layout taken and given back, then
 * another, are two instances. Without the hold the second is the first again (the shared one), the
 * instance whose hand-back races with its own clean-up.
 */
@ExtendWith(ApplicationExtension.class)
class GlyphLayoutRaceTest {

    @Start
    void start(Stage stage) {
    }

    @Test
    void afterTheHoldEveryLayoutIsItsOwnInstance() throws Exception {
        Object[] two = WaitForAsyncUtils.asyncFx(() -> {
            assertTrue(GlyphLayoutRace.hold(), "JavaFX's GlyphLayout is reachable on the class path");
            assertTrue(GlyphLayoutRace.hold(), "a second hold is a no-op");
            Class<?> type = Class.forName("com.sun.javafx.text.GlyphLayout");
            Method get = type.getMethod("getInstance"), dispose = type.getMethod("dispose");
            Object first = get.invoke(null);
            dispose.invoke(first);
            Object second = get.invoke(null);
            dispose.invoke(second);
            return new Object[] {first, second};
        }).get();
        assertNotSame(two[0], two[1]);
    }
}
