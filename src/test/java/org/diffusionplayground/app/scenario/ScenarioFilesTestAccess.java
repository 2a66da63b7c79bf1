package org.diffusionplayground.app.scenario;

import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.Jobs;

/** The scenario tests' app (fake image model, no convergence sweep) for UI tests in other packages. */
public final class ScenarioFilesTestAccess {

    private ScenarioFilesTestAccess() {
    }

    public static AppModel app(Jobs jobs) {
        return ScenarioFilesTest.app(jobs);
    }
}
