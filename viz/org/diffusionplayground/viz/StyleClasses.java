package org.diffusionplayground.viz;

/** Style-class names shared by the viz components and the stylesheet, as constants rather than inline styles. */
public final class StyleClasses {

    public static final String NOISE_GRID = "noise-grid";
    public static final String IMAGE_GRID = "image-grid";
    public static final String CURVE_CHART = "curve-chart";
    public static final String HISTOGRAM = "histogram";
    public static final String POINT_CLOUD = "point-cloud";
    public static final String READOUT = "readout";
    public static final String CHARACTER_GRID = "character-grid";
    public static final String HEAT_STRIP = "heat-strip";

    private StyleClasses() {
    }
}
