package org.diffusionplayground.app.shell;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Control;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.Page;

/**
 * The window's content: sidebar navigation, the current page under its header and an error
 * banner, and a status bar. Pages are built on first visit. Keys: space play/pause, ←/→ step
 * (Shift: ×10), Home/End, F11 presentation mode, Ctrl+1… pages, Ctrl+D dark theme; a focused
 * slider, spinner, combo box or text field keeps the keys it uses.
 */
public final class MainView extends BorderPane {

    private final AppModel model;
    private final Function<Page, Node> pageFactory;
    private final Map<Page, Node> pages = new EnumMap<>(Page.class);
    private final StackPane pageHolder = new StackPane();

    public MainView(AppModel model, Function<Page, Node> pageFactory) {
        this.model = model;
        this.pageFactory = pageFactory;
        getStyleClass().add("main-view");
        setLeft(sidebar());
        setCenter(center());
        setBottom(statusBar());
        styleClassWhile("dark", model.darkProperty().get());
        model.darkProperty().addListener((o, was, is) -> styleClassWhile("dark", is));
        model.presentationProperty().addListener((o, was, is) -> styleClassWhile("presentation", is));
        model.pageProperty().addListener(o -> showPage());
        showPage();
        addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        ScenarioMenu.acceptDrops(this, model);
        ExportActions.panelMenus(pageHolder, model);
    }

    private void styleClassWhile(String styleClass, boolean on) {
        getStyleClass().remove(styleClass);
        if (on) getStyleClass().add(styleClass);
    }

    private VBox sidebar() {
        Label title = new Label("Diffusion\nPlayground");
        title.getStyleClass().add("app-title");
        VBox nav = new VBox(4);
        ToggleGroup group = new ToggleGroup();
        for (Page p : Page.values()) {
            String icon = switch (p) {
                case FORWARD -> Icons.FORWARD_PAGE;
                case REVERSE -> Icons.REVERSE_PAGE;
                case COMPARE -> Icons.COMPARE_PAGE;
                case SCHEDULES -> Icons.SCHEDULE_PAGE;
                case LAB -> Icons.LAB_PAGE;
                case TRAIN -> Icons.TRAIN_PAGE;
                case TEXT -> Icons.TEXT_PAGE;
            };
            ToggleButton b = Icons.decorate(new ToggleButton(p.title()), icon, p.title()); // the tooltip names it when only the icon shows
            b.setId("nav-" + p.name().toLowerCase(java.util.Locale.ROOT));
            b.getStyleClass().add("nav-button");
            b.setMaxWidth(Double.MAX_VALUE);
            b.setToggleGroup(group);
            b.setUserData(p);
            b.setSelected(model.pageProperty().get() == p);
            nav.getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((o, was, is) -> {
            if (is == null) was.setSelected(true);
            else model.pageProperty().set((Page) is.getUserData());
        });
        model.pageProperty().addListener((o, was, is) -> group.getToggles().forEach(t -> t.setSelected(t.getUserData() == is)));

        ToggleButton dark = Icons.decorate(new ToggleButton("Dark theme"), Icons.MOON, "Switch light / dark");
        dark.setId("toggle-dark");
        dark.selectedProperty().bindBidirectional(model.darkProperty());
        ToggleButton presentation = Icons.decorate(new ToggleButton("Presentation"), Icons.SCREEN, "Large type, full screen (F11)");
        presentation.setId("toggle-presentation");
        presentation.selectedProperty().bindBidirectional(model.presentationProperty());
        Button about = Icons.decorate(new Button("About"), Icons.INFO, "The papers behind each algorithm");
        about.setId("about");
        about.setOnAction(e -> AboutDialog.show(getScene().getWindow(), model.darkProperty().get(),
                model.presentationProperty().get(), model.backendProperty().get()));
        var scenario = ScenarioMenu.button(model, ExportActions.items(model, pageHolder));
        for (var b : new javafx.scene.control.ButtonBase[] {scenario, dark, presentation, about}) {
            b.getStyleClass().add("sidebar-button");
            b.setMaxWidth(Double.MAX_VALUE);
        }
        Region spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        // presentation mode: the sidebar shrinks to its icons (CSS) and the title goes, so the content gets the width
        title.visibleProperty().bind(model.presentationProperty().not());
        title.managedProperty().bind(title.visibleProperty());
        VBox sidebar = new VBox(6, title, nav, spacer, scenario, dark, presentation, about);
        sidebar.getStyleClass().add("sidebar");
        return sidebar;
    }

    private VBox center() {
        Label heading = new Label();
        heading.getStyleClass().add("page-title");
        heading.textProperty().bind(Bindings.createStringBinding(() -> model.pageProperty().get().title(), model.pageProperty()));
        heading.setMinWidth(Region.USE_PREF_SIZE); // a narrow window cuts the subtitle, never the page's name
        Label subtitle = new Label();
        subtitle.getStyleClass().add("page-subtitle");
        subtitle.textProperty().bind(Bindings.createStringBinding(() -> model.pageProperty().get().subtitle(), model.pageProperty()));
        subtitle.visibleProperty().bind(model.presentationProperty().not()); // a class reads the page, not its subtitle
        subtitle.managedProperty().bind(subtitle.visibleProperty());
        HBox header = new HBox(14, heading, subtitle);
        header.setAlignment(Pos.BASELINE_LEFT);
        header.getStyleClass().add("page-header");

        Label message = new Label();
        message.setId("error-message");
        message.setWrapText(true);
        message.textProperty().bind(model.errorProperty());
        Button dismiss = new Button("Dismiss");
        dismiss.setOnAction(e -> model.dismissError());
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        HBox banner = new HBox(12, Icons.icon(Icons.INFO), message, dismiss);
        banner.setId("error-banner");
        banner.setAlignment(Pos.CENTER_LEFT);
        banner.getStyleClass().add("error-banner");
        banner.visibleProperty().bind(model.errorProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());

        pageHolder.addEventFilter(MouseEvent.MOUSE_PRESSED, this::focusPageOnPlainClick);
        VBox.setVgrow(pageHolder, Priority.ALWAYS);
        VBox center = new VBox(header, banner, LessonCard.create(model), pageHolder);
        center.getStyleClass().add("center");
        return center;
    }

    private HBox statusBar() {
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.visibleProperty().bind(model.busyProperty().isNotEmpty());
        spinner.managedProperty().bind(spinner.visibleProperty());
        Label busy = new Label();
        busy.setId("status-busy");
        busy.textProperty().bind(model.busyProperty());
        Label keys = new Label("Space play/pause · ←/→ step (Shift ×10) · Home/End · Ctrl+1…7 pages · Ctrl+D dark · F11 presentation");
        keys.setTooltip(new Tooltip("A focused slider, spinner, list or text field keeps the arrow keys (and a field the space bar);"
                + " click the page outside the controls to give them back to the timeline"));
        keys.getStyleClass().add("status-keys");
        keys.visibleProperty().bind(model.presentationProperty().not()); // room for the backend on a projector
        keys.managedProperty().bind(keys.visibleProperty());
        Label backend = new Label();
        backend.setId("status-backend");
        backend.getStyleClass().add("status-backend");
        backend.textProperty().bind(model.backendProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(10, spinner, busy, ExportBar.create(model.exporter()), spacer, keys, backend);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private void showPage() {
        Node page = pages.computeIfAbsent(model.pageProperty().get(), pageFactory);
        pageHolder.getChildren().setAll(page);
    }

    /**
     * Whether the focused control uses {@code key} itself, so the page's timeline leaves it alone:
     * text fields, spinners and combo boxes every key (space and the arrows edit or choose),
     * sliders and scroll bars the arrows and Home/End (they nudge the value). Clicking the page
     * outside a control gives the keys back to the timeline.
     */
    static boolean focusedControlTakes(Node focused, KeyCode key) {
        if (focused instanceof TextInputControl || focused instanceof Spinner || focused instanceof ComboBoxBase) return true;
        if (focused instanceof Slider || focused instanceof ScrollBar) {
            return switch (key) {
                case LEFT, RIGHT, UP, DOWN, HOME, END -> true;
                default -> false;
            };
        }
        return false;
    }

    /** A press on the page that lands on no control takes the focus from the control that had it. */
    private void focusPageOnPlainClick(MouseEvent e) {
        for (Node n = e.getPickResult().getIntersectedNode(); n != null && n != pageHolder; n = n.getParent()) {
            if (n instanceof Control) return;
        }
        pageHolder.requestFocus();
    }

    private void onKey(KeyEvent e) {
        if (e.getCode() == KeyCode.F11) {
            model.togglePresentation();
            e.consume();
            return;
        }
        if (e.isShortcutDown()) {
            int page = e.getCode().ordinal() - KeyCode.DIGIT1.ordinal();
            if (page >= 0 && page < Page.values().length) model.pageProperty().set(Page.values()[page]);
            else if (e.getCode() == KeyCode.D) model.toggleDark();
            else return;
            e.consume();
            return;
        }
        if (getScene() != null && focusedControlTakes(getScene().getFocusOwner(), e.getCode())) return;
        model.playback().ifPresent(p -> {
            int stride = e.isShiftDown() ? 10 : 1;
            switch (e.getCode()) {
                case SPACE -> p.togglePlay();
                case LEFT -> p.stepBy(-stride);
                case RIGHT -> p.stepBy(stride);
                case HOME -> p.toStart();
                case END -> p.toEnd();
                default -> {
                    return;
                }
            }
            e.consume();
        });
    }
}
