package org.diffusionplayground.app.scenario;

/**
 * What a shipped lesson (or any scenario with a title and a note) shows beside the page.
 *
 * @param title e.g. "What guidance trades away"
 * @param note  a few sentences: what to look at, what it shows
 */
public record Lesson(String title, String note) {
}
