package org.diffusionplayground.app.shell;

import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Tooltip;
import javafx.scene.shape.SVGPath;

/** Small vector icons (16-unit box), filled by the stylesheet's {@code .icon} rule. */
public final class Icons {

    public static final String PLAY = "M4 2 L14 8 L4 14 Z";
    public static final String PAUSE = "M3 2 H7 V14 H3 Z M9 2 H13 V14 H9 Z";
    public static final String STEP_BACK = "M3 2 H5 V14 H3 Z M14 2 L6 8 L14 14 Z";
    public static final String STEP_FORWARD = "M11 2 H13 V14 H11 Z M2 2 L10 8 L2 14 Z";
    public static final String TO_START = "M1 2 H3 V14 H1 Z M9 2 L3 8 L9 14 Z M15 2 L9 8 L15 14 Z";
    public static final String TO_END = "M13 2 H15 V14 H13 Z M7 2 L13 8 L7 14 Z M1 2 L7 8 L1 14 Z";
    public static final String FORWARD_PAGE = "M1 3 H6 V8 H1 Z M1 9 H6 V14 H1 Z M8 3 H15 V14 H8 Z M9 4 V13 H14 V4 Z";
    /** Noise squares turning into a solid block: the reverse process. */
    public static final String REVERSE_PAGE = "M1 3 H3 V5 H1 Z M4 6 H6 V8 H4 Z M1 9 H3 V11 H1 Z M4 12 H6 V14 H4 Z M8 7 L10 8.5 L8 10 Z M11 3 H15 V14 H11 Z";
    /** Three columns side by side. */
    public static final String COMPARE_PAGE = "M1 2 H4.5 V14 H1 Z M6.25 2 H9.75 V14 H6.25 Z M11.5 2 H15 V14 H11.5 Z";
    public static final String SCHEDULE_PAGE = "M1 1 H2.5 V13.5 H15 V15 H1 Z M3.5 3 C7 3.2 8.5 10 14.5 11.5 L14.3 12.6 C7.5 11 6.3 4.6 3.5 4.4 Z";
    public static final String LAB_PAGE = "M3 3 A1.6 1.6 0 1 0 3.01 3 Z M8 2 A1.6 1.6 0 1 0 8.01 2 Z M13 4 A1.6 1.6 0 1 0 13.01 4 Z M5 8 A1.6 1.6 0 1 0 5.01 8 Z M11 9 A1.6 1.6 0 1 0 11.01 9 Z M3 13 A1.6 1.6 0 1 0 3.01 13 Z M8 13 A1.6 1.6 0 1 0 8.01 13 Z M13 13 A1.6 1.6 0 1 0 13.01 13 Z";
    /** Falling bars: a loss going down. */
    public static final String TRAIN_PAGE = "M1 2 H4.2 V15 H1 Z M6 6.5 H9.2 V15 H6 Z M11 10.5 H14.2 V15 H11 Z";
    public static final String TEXT_PAGE = "M1 2 H15 V4.5 H9.3 V15 H6.7 V4.5 H1 Z";
    public static final String STOP = "M3 3 H13 V13 H3 Z";
    public static final String MOON = "M10 1.5 A6.5 6.5 0 1 0 14.5 11 A5.2 5.2 0 0 1 10 1.5 Z";
    public static final String SCREEN = "M1 2 H15 V11 H1 Z M2.5 3.5 V9.5 H13.5 V3.5 Z M5 13 H11 V14.5 H5 Z";
    public static final String INFO = "M8 1 A7 7 0 1 0 8.01 1 Z M7 7 H9 V12 H7 Z M7 4 H9 V6 H7 Z";
    public static final String FOLDER = "M1 3 H6 L7.5 4.5 H15 V14 H1 Z";
    public static final String DICE = "M2 2 H14 V14 H2 Z M5 4 A1.2 1.2 0 1 0 5.01 4 Z M11 10 A1.2 1.2 0 1 0 11.01 10 Z M8 7 A1.2 1.2 0 1 0 8.01 7 Z";
    public static final String NOISE = "M1 1 H4 V4 H1 Z M6 1 H9 V4 H6 Z M11 3 H14 V6 H11 Z M3 6 H6 V9 H3 Z M8 6 H11 V9 H8 Z M1 11 H4 V14 H1 Z M6 11 H9 V14 H6 Z M11 9 H14 V12 H11 Z";
    public static final String SAVE = "M2 1 H12 L15 4 V15 H2 Z M4 2.5 V6 H11 V2.5 Z M4.5 9 V13.5 H12.5 V9 Z";

    private Icons() {
    }

    /** The icon in a Group, so that scaling it in CSS (presentation mode) also grows its layout box. */
    public static Node icon(String path) {
        SVGPath svg = new SVGPath();
        svg.setContent(path);
        svg.getStyleClass().add("icon");
        return new Group(svg);
    }

    /** Puts the icon on a button and uses {@code tip} as its tooltip. */
    public static <B extends ButtonBase> B decorate(B button, String path, String tip) {
        button.setGraphic(icon(path));
        if (tip != null) button.setTooltip(new Tooltip(tip));
        return button;
    }
}
