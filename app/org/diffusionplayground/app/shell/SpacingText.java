package org.diffusionplayground.app.shell;

import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import org.diffusionplayground.model.schedule.Spacing;

/**
 * What every page calls a {@link Spacing} and the tooltip that says what it does: one place, so
 * the Reverse page, the lab and the Schedules page describe a spacing the same way (Lin et al.
 * 2024, "Common diffusion noise schedules and sample steps are flawed", Table 2; Lu et al. 2022,
 * DPM-Solver, §3.4).
 */
public final class SpacingText {

    private SpacingText() {
    }

    /** "linear", "leading", "trailing", "log-SNR". */
    public static String name(Spacing s) {
        return switch (s) {
            case LINEAR -> "linear";
            case LEADING -> "leading";
            case TRAILING -> "trailing";
            case LOGSNR -> "log-SNR";
        };
    }

    /** One line for a side panel. */
    public static String note(Spacing s) {
        return switch (s) {
            case LINEAR -> "evenly from T−1 down to 0";
            case LEADING -> "multiples of T/n: never starts at T−1";
            case TRAILING -> "even strides ending at T−1";
            case LOGSNR -> "uniform in λ (DPM-Solver)";
        };
    }

    /** What the spacing picks, and where it comes from. */
    public static String tooltip(Spacing s) {
        return switch (s) {
            case LINEAR -> "Linear: grid steps round(linspace(T−1, 0, n)), evenly spaced from pure noise (T−1) to the"
                    + " cleanest step 0 (diffusers' \"linspace\"; Lin et al. 2024, Table 2).";
            case LEADING -> "Leading: steps (T div n)·k, the DDIM / Stable Diffusion default. It never visits T−1, so"
                    + " sampling starts short of pure noise (Lin et al. 2024).";
            case TRAILING -> "Trailing: steps round(T − k·T/n) − 1, even strides that start at T−1, pure noise"
                    + " (Lin et al. 2024's fix for leading).";
            case LOGSNR -> "log-SNR: times uniform in λ = log(α²/σ²) from t = 1 to the first grid step (Lu et al. 2022,"
                    + " DPM-Solver §3.4): many steps where λ changes fast. No two share a grid step: where λ falls"
                    + " by more than one gap within a step (the cosine schedule's last step), they take successive steps.";
        };
    }

    /** Tooltips on a spacing combo box: the chosen one's on the box, each one's on its list row. */
    public static void install(ComboBox<Spacing> box) {
        Tooltip tip = new Tooltip(box.getValue() == null ? "" : tooltip(box.getValue()));
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        box.setTooltip(tip);
        box.valueProperty().addListener((o, was, is) -> tip.setText(is == null ? "" : tooltip(is)));
        box.setCellFactory(list -> new ListCell<>() {
            @Override protected void updateItem(Spacing item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : name(item));
                setTooltip(empty || item == null ? null : wrapped(tooltip(item)));
            }
        });
    }

    /** A tooltip that wraps at 420 px. */
    public static Tooltip wrapped(String text) {
        Tooltip tip = new Tooltip(text);
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        return tip;
    }
}
