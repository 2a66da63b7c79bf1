package org.diffusionplayground.viz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import javafx.css.CssMetaData;
import javafx.css.SimpleStyleableObjectProperty;
import javafx.css.StyleConverter;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * The colours and sizes of the drawn (canvas) components, as CSS properties so that the one
 * stylesheet themes them like everything else (colours as variables under .root):
 * {@code -dp-chart-background}, {@code -dp-chart-foreground} (text), {@code -dp-chart-grid},
 * {@code -dp-chart-accent} (cursor, bars), {@code -dp-chart-font-size},
 * {@code -dp-chart-line-width} and the palette {@code -dp-series-0} … {@code -dp-series-7}.
 */
public final class ChartStyle {

    /** A component that carries a ChartStyle. */
    public interface Owner extends Styleable {
        ChartStyle chartStyle();
    }

    public static final int PALETTE_SIZE = 8;
    private static final String[] DEFAULT_PALETTE = {
        "#3b6fd8", "#e0782f", "#2f9e6a", "#c8435a", "#8458c9", "#9a7b1e", "#1d9bb0", "#d45fb0"};

    private static final CssMetaData<Styleable, Color> BACKGROUND = color("-dp-chart-background", Color.WHITE, s -> s.background);
    private static final CssMetaData<Styleable, Color> FOREGROUND = color("-dp-chart-foreground", Color.web("#333"), s -> s.foreground);
    private static final CssMetaData<Styleable, Color> GRID = color("-dp-chart-grid", Color.web("#e3e3e3"), s -> s.grid);
    private static final CssMetaData<Styleable, Color> ACCENT = color("-dp-chart-accent", Color.web("#3b6fd8"), s -> s.accent);
    private static final CssMetaData<Styleable, Number> FONT_SIZE = number("-dp-chart-font-size", 12, s -> s.fontSize);
    private static final CssMetaData<Styleable, Number> LINE_WIDTH = number("-dp-chart-line-width", 2, s -> s.lineWidth);
    private static final List<CssMetaData<Styleable, Color>> PALETTE = new ArrayList<>();

    static {
        for (int i = 0; i < PALETTE_SIZE; i++) {
            int k = i;
            PALETTE.add(color("-dp-series-" + i, Color.web(DEFAULT_PALETTE[i]), s -> s.palette.get(k)));
        }
    }

    /** Region's CSS properties plus ours. */
    public static final List<CssMetaData<? extends Styleable, ?>> CSS;

    static {
        List<CssMetaData<? extends Styleable, ?>> all = new ArrayList<>(Region.getClassCssMetaData());
        all.addAll(List.of(BACKGROUND, FOREGROUND, GRID, ACCENT, FONT_SIZE, LINE_WIDTH));
        all.addAll(PALETTE);
        CSS = Collections.unmodifiableList(all);
    }

    private final StyleableObjectProperty<Color> background;
    private final StyleableObjectProperty<Color> foreground;
    private final StyleableObjectProperty<Color> grid;
    private final StyleableObjectProperty<Color> accent;
    private final StyleableObjectProperty<Number> fontSize;
    private final StyleableObjectProperty<Number> lineWidth;
    private final List<StyleableObjectProperty<Color>> palette = new ArrayList<>();
    private final List<Runnable> listeners = new ArrayList<>();

    ChartStyle(Object bean) {
        background = property(BACKGROUND, bean, "background");
        foreground = property(FOREGROUND, bean, "foreground");
        grid = property(GRID, bean, "grid");
        accent = property(ACCENT, bean, "accent");
        fontSize = property(FONT_SIZE, bean, "fontSize");
        lineWidth = property(LINE_WIDTH, bean, "lineWidth");
        for (int i = 0; i < PALETTE_SIZE; i++) palette.add(property(PALETTE.get(i), bean, "series" + i));
    }

    private <T> StyleableObjectProperty<T> property(CssMetaData<Styleable, T> meta, Object bean, String name) {
        var p = new SimpleStyleableObjectProperty<>(meta, bean, name, meta.getInitialValue(null));
        p.addListener(o -> listeners.forEach(Runnable::run));
        return p;
    }

    /** Runs {@code listener} whenever a styled value changes. */
    public void addListener(Runnable listener) { listeners.add(listener); }

    public Color background() { return background.get(); }
    public Color foreground() { return foreground.get(); }
    public Color grid() { return grid.get(); }
    public Color accent() { return accent.get(); }
    public double fontSize() { return fontSize.get().doubleValue(); }
    public double lineWidth() { return lineWidth.get().doubleValue(); }

    /** Palette colour {@code index} (cycling). */
    public Color series(int index) { return palette.get(Math.floorMod(index, PALETTE_SIZE)).get(); }

    static java.awt.Color awt(Color c) {
        return new java.awt.Color((float) c.getRed(), (float) c.getGreen(), (float) c.getBlue(), (float) c.getOpacity());
    }

    private static CssMetaData<Styleable, Color> color(String property, Color initial,
                                                      Function<ChartStyle, StyleableObjectProperty<Color>> get) {
        return new CssMetaData<>(property, StyleConverter.getColorConverter(), initial) {
            @Override public boolean isSettable(Styleable s) { return !get.apply(of(s)).isBound(); }
            @Override public StyleableObjectProperty<Color> getStyleableProperty(Styleable s) { return get.apply(of(s)); }
        };
    }

    private static CssMetaData<Styleable, Number> number(String property, double initial,
                                                        Function<ChartStyle, StyleableObjectProperty<Number>> get) {
        return new CssMetaData<>(property, StyleConverter.getSizeConverter(), initial) {
            @Override public boolean isSettable(Styleable s) { return !get.apply(of(s)).isBound(); }
            @Override public StyleableObjectProperty<Number> getStyleableProperty(Styleable s) { return get.apply(of(s)); }
        };
    }

    private static ChartStyle of(Styleable s) { return ((Owner) s).chartStyle(); }
}
