package org.diffusionplayground.app.shell;

import java.util.function.Function;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/** The app's panels (a titled card holding one piece of content) and the small pieces every toolbar uses. */
public final class Cards {

    private Cards() {
    }

    /** A card with a title, optional extra header nodes on the right, and content that grows. */
    public static VBox card(String title, Node content, Node... headerExtras) {
        Label heading = new Label(title);
        heading.getStyleClass().add("card-title");
        HBox header = new HBox(8, heading);
        header.getStyleClass().add("card-header");
        if (headerExtras.length > 0) {
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            header.getChildren().add(spacer);
            header.getChildren().addAll(headerExtras);
        }
        VBox card = new VBox(header, content);
        card.getStyleClass().add("card");
        VBox.setVgrow(content, Priority.ALWAYS);
        return card;
    }

    /** A horizontal spacer that takes the free width. */
    public static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    /**
     * Read-out number k of a two-column grid of name/value pairs (k = 0, 1 on the first row, …):
     * the name, then the value bound to {@code value}, with {@code id} for tests.
     */
    public static void readout(GridPane grid, int k, String name, String id, ObservableStringValue value) {
        Label v = label("", "readout");
        v.setId(id);
        v.textProperty().bind(value);
        Label n = label(name, "readout-name");
        n.setMinWidth(Region.USE_PREF_SIZE);
        grid.add(n, 2 * (k % 2), k / 2);
        grid.add(v, 2 * (k % 2) + 1, k / 2);
    }

    /** Nodes in a row, 8 px apart, centred vertically: one group of a toolbar. */
    public static HBox group(Node... nodes) {
        HBox box = new HBox(8, nodes);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    /** A (non-editable) combo box of {@code values}, each shown as {@code show} says. */
    public static <T> ComboBox<T> combo(T[] values, Function<T, String> show) {
        ComboBox<T> box = new ComboBox<>(FXCollections.observableArrayList(values));
        box.setConverter(converter(show, ""));
        return box;
    }

    /** Shows values by {@code show}, null as {@code none}; one way only (the combo boxes are not editable). */
    public static <T> StringConverter<T> converter(Function<T, String> show, String none) {
        return new StringConverter<>() {
            @Override public String toString(T value) { return value == null ? none : show.apply(value); }

            @Override public T fromString(String s) { return null; }
        };
    }

    public static Label label(String text, String styleClass) {
        Label l = new Label(text);
        l.getStyleClass().add(styleClass);
        return l;
    }
}
