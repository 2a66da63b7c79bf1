package org.diffusionplayground.app.shell;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import org.diffusionplayground.app.AppModel;

/** The open lesson's title and note above the page, with a button that closes it; hidden when no lesson is open. */
final class LessonCard {

    private LessonCard() {
    }

    /** The height of as many whole lines of text in {@code font} as fit in {@code room} (at least one), as JavaFX lays them out. */
    static double wholeLines(double room, Font font) {
        int lines = (int) Math.max(1, Math.floor(room / linePitch(font)));
        Text block = new Text(String.join("\n", java.util.Collections.nCopies(lines, "Xg")));
        block.setFont(font);
        return Math.ceil(block.getLayoutBounds().getHeight()) + 2; // the last line's descenders, never the next line's ascenders
    }

    /**
     * The distance from one line of wrapped text in {@code font} to the next, as JavaFX lays it out
     * (a fixed 1.5 × the font size overestimated it: a 1280×720 projector showed 2.4 lines of a
     * note sized for two, and 1.6 in presentation mode, each cut mid-line).
     */
    static double linePitch(Font font) {
        Text one = new Text("Xg"), two = new Text("Xg\nXg");
        one.setFont(font);
        two.setFont(font);
        return two.getLayoutBounds().getHeight() - one.getLayoutBounds().getHeight();
    }

    static HBox create(AppModel model) {
        Label title = new Label();
        title.setId("lesson-title");
        title.getStyleClass().add("lesson-title");
        Label note = new Label();
        note.setId("lesson-note");
        note.getStyleClass().add("lesson-note");
        note.setWrapText(true);
        note.setMinWidth(0);
        note.setMaxWidth(Double.MAX_VALUE);
        note.setMinHeight(Region.USE_PREF_SIZE); // every line of the note, wrapped to the card's width
        model.lessonProperty().addListener((o, was, is) -> {
            title.setText(is == null ? "" : is.title());
            note.setText(is == null ? "" : is.note());
        });
        Button close = new Button("Close");
        close.setId("lesson-close");
        close.setOnAction(e -> model.lessonProperty().set(null));
        close.setMinWidth(Region.USE_PREF_SIZE);
        // a long note scrolls within whole lines filling a sixteenth of the window (one line on a 720-line projector in presentation mode),
        // so the page below keeps its room
        ScrollPane noteScroll = new ScrollPane(note);
        noteScroll.setId("lesson-note-scroll");
        noteScroll.setFitToWidth(true);
        noteScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        noteScroll.getStyleClass().add("lesson-note-scroll");
        noteScroll.sceneProperty().addListener((o, was, scene) -> {
            if (scene == null) return;
            noteScroll.maxHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                    () -> wholeLines(scene.getHeight() / 16, note.getFont()), scene.heightProperty(), note.fontProperty()));
        });
        // no taller than its whole lines: the vertical scroll bar's own minimum (~36 px) showed a sliver of a third line
        noteScroll.setMinHeight(Region.USE_PREF_SIZE);
        // a ScrollPane asks its content for one unwrapped line; ask for the note wrapped to the width it has
        noteScroll.prefViewportHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.min(noteScroll.getMaxHeight(), note.prefHeight(Math.max(50, noteScroll.getWidth() - 14))),
                noteScroll.widthProperty(), noteScroll.maxHeightProperty(), note.textProperty(), note.fontProperty()));
        VBox text = new VBox(4, title, noteScroll);
        HBox.setHgrow(text, Priority.ALWAYS);
        text.setMinWidth(0);
        text.setPrefWidth(0); // the card takes the page's width, not the note's one-line width
        text.setMaxWidth(Double.MAX_VALUE);
        HBox card = new HBox(12, Icons.icon(Icons.INFO), text, close);
        card.setMinHeight(Region.USE_PREF_SIZE); // never cut mid-line by the page below: the note scrolls instead
        card.setId("lesson-card");
        card.setAlignment(Pos.TOP_LEFT);
        card.getStyleClass().add("lesson-card");
        card.visibleProperty().bind(model.lessonProperty().isNotNull());
        card.managedProperty().bind(card.visibleProperty());
        return card;
    }
}
