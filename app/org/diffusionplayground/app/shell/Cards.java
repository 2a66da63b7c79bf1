package org.diffusionplayground.app.shell;

import java.util.Locale;
import javafx.beans.property.Property;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.SegmentedButton;
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
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
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

    /**
     * One toggle button per value, exactly one selected, kept in step with {@code value} both
     * ways: ControlsFX's {@link SegmentedButton}, whose buttons get left/centre/right pill shapes
     * (which JavaFX CSS cannot select by position). Button ids are {@code idPrefix} + the value's
     * lower-case name; {@code tooltip} may be null.
     */
    public static <T extends Enum<T>> SegmentedButton segmented(T[] values, Function<T, String> text,
                                                                Function<T, String> tooltip, String idPrefix,
                                                                Property<T> value) {
        SegmentedButton box = new SegmentedButton();
        box.getStyleClass().add("segmented");
        for (T v : values) {
            ToggleButton b = new ToggleButton(text.apply(v));
            if (tooltip != null) b.setTooltip(new Tooltip(tooltip.apply(v)));
            b.setId(idPrefix + v.name().toLowerCase(Locale.ROOT));
            b.setUserData(v);
            b.setSelected(value.getValue() == v);
            box.getButtons().add(b);
        }
        ToggleGroup group = box.getToggleGroup();
        group.selectedToggleProperty().addListener((o, was, is) -> {
            if (is == null) was.setSelected(true); // one value is always chosen
            else value.setValue(values[0].getDeclaringClass().cast(is.getUserData()));
        });
        value.addListener((o, was, is) -> group.getToggles().forEach(t -> t.setSelected(t.getUserData() == is)));
        return box;
    }

    /**
     * Text that wraps to the width it is given and grows in height to show all of it: a
     * {@link TextFlow}, styled as a {@code field-note} by {@code .note-flow}. A wrapping
     * {@link Label} is clipped (with "…") to the height its container allows. Keep combining and
     * subscript glyphs (x̂₀, xₜ, ∅) out of wrapped text: JavaFX's complex-text layout of a wrapped
     * run holding them drew lines wider than it measured them under Xvfb's fonts, cutting words at
     * the edge and repeating them on the next line. {@code id} names the text node.
     */
    public static TextFlow note(ObservableStringValue text, String id) {
        Text t = new Text();
        t.setId(id);
        t.getStyleClass().add("note-text");
        t.textProperty().bind(text);
        TextFlow flow = new TextFlow(t);
        flow.getStyleClass().add("note-flow");
        flow.setMinWidth(0);
        flow.setPrefWidth(240);
        flow.setMaxWidth(Double.MAX_VALUE);
        flow.setMinHeight(Region.USE_PREF_SIZE);
        return flow;
    }

    public static Label label(String text, String styleClass) {
        Label l = new Label(text);
        l.getStyleClass().add(styleClass);
        return l;
    }

    /**
     * Makes {@code label} as wide as the widest text it has shown at its current font (never cut), so
     * a shorter text — a run's progress between two results — does not re-lay out its neighbours: the
     * Reverse page's note beside its status re-wrapped at the start and the end of every run.
     */
    public static void growOnly(Label label) {
        Text probe = new Text();
        double[] widest = {0};
        Runnable fit = () -> {
            probe.setFont(label.getFont());
            probe.setText(label.getText());
            double w = Math.ceil(probe.getLayoutBounds().getWidth()) + 2 + label.snappedLeftInset() + label.snappedRightInset();
            if (w > widest[0]) {
                widest[0] = w;
                label.setPrefWidth(w);
            }
        };
        label.textProperty().addListener(o -> fit.run());
        label.fontProperty().addListener(o -> { // presentation mode: measure again at the new size
            widest[0] = 0;
            fit.run();
        });
        label.setMinWidth(Region.USE_PREF_SIZE);
        fit.run();
    }
}
