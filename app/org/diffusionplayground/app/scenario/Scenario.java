package org.diffusionplayground.app.scenario;

import org.diffusionplayground.app.Page;

/**
 * The whole state of the pages a teacher prepares, as saved in a scenario file: the page shown,
 * the image model, and each page's settings. Read with {@link ScenarioJson}; a section that is
 * null leaves that page as it is. The Train page is not part of a scenario (a run is a folder).
 *
 * @param page   the page shown when the scenario opens
 * @param lesson a title and note shown beside the page, or null
 * @param model  {@link #SHIPPED}, {@link #SHIPPED_FLOW} or an absolute path to a run folder or a .dpck file
 */
public record Scenario(Page page, Lesson lesson, String model, ForwardSection forward, ReverseSection reverse,
                       CompareSection compare, SchedulesSection schedules, LabSection lab, TextSection text) {

    /** The value of the file's "format" field. */
    public static final String FORMAT = "diffusion-playground-scenario";
    /** The newest version this app reads and the one it writes. */
    public static final int VERSION = 1;
    /** The model field naming the shipped model. */
    public static final String SHIPPED = "shipped";
    /** The model field naming the shipped flow-matching model. */
    public static final String SHIPPED_FLOW = "shipped-flow";

    Scenario withLesson(Lesson l) { return new Scenario(page, l, model, forward, reverse, compare, schedules, lab, text); }
}
