package org.diffusionplayground.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.DirectJobs;
import org.diffusionplayground.app.Page;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.imagemodel.Networks;
import org.diffusionplayground.app.lab.Convergence;
import org.diffusionplayground.app.lab.LabModel;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.toy.ToyDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Scenario files without the toolkit: every page's state out and back, and bad files refused whole with the field named. */
class ScenarioFilesTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure(); // the lab samples with ND4J
    }

    static AppModel app() {
        return app(new DirectJobs());
    }

    static AppModel app(org.diffusionplayground.app.Jobs jobs) {
        KnownX0Denoiser fake = new KnownX0Denoiser(label -> {
            float[] x0 = new float[784];
            Arrays.fill(x0, label < 0 ? 0 : label / 10f - 0.5f);
            return x0;
        });
        Networks networks = new Networks() {
            @Override public Network shipped() { return new Network("fake (shipped)", fake, 1, 2); }

            @Override public Network open(Path p) { return new Network(p.getFileName().toString(), fake, 3, 2); }
        };
        return new AppModel(new WithoutConvergence(jobs), () -> "cpu", networks);
    }

    /** Changes every setting a scenario holds away from its default, and runs the Reverse page and the lab. */
    static void changeEverything(AppModel app, Path model) {
        var f = app.forward();
        f.scheduleKindProperty().set(ScheduleKind.COSINE_LOGSNR);
        f.shiftProperty().set(1.5);
        f.stepProperty().set(321);
        f.gridSizeProperty().set(3);
        f.chosenClassProperty().set(7);
        f.newNoise();
        f.newImages();
        var s = app.schedules();
        s.selectedProperty(ScheduleKind.DDPM).set(false);
        s.selectedProperty(ScheduleKind.VP).set(true);
        s.stepCountProperty().set(17);
        s.spacingProperty().set(Spacing.TRAILING);
        s.shiftProperty().set(-2);
        var c = app.compare();
        c.comparisonProperty().set(org.diffusionplayground.app.compare.Comparison.DIFFUSION_VS_FLOW);
        c.stepsProperty().set(13);
        c.guidanceProperty().set(1.5);
        c.labelProperty().set(5);
        c.seedProperty().set(9);
        c.qualityDigitsProperty().set(250);
        if (model != null) app.images().open(model);
        var r = app.reverse();
        r.samplerProperty().set(SamplerKind.DDIM);
        r.stepsProperty().set(7);
        r.etaProperty().set(0.4);
        r.clipProperty().set(X0Clip.DYNAMIC);
        r.guidanceProperty().set(2.5);
        r.labelProperty().set(3);
        r.seedProperty().set(11);
        r.gridProperty().set(2);
        r.start();
        r.frameProperty().set(3);
        var l = app.lab();
        l.datasetProperty().set(ToyDataset.MOONS);
        l.stepsProperty().set(6);
        l.samplerProperty(0).set(SamplerKind.EULER);
        l.samplerProperty(1).set(null);
        l.samplerProperty(3).set(SamplerKind.DDIM);
        l.seedProperty().set(4);
        l.orderProperty().set(3);
        l.showPathsProperty().set(false);
        l.forwardStepProperty().set(40);
        l.convergence().measureProperty().set(Convergence.Measure.ODE);
        l.start();
        l.playingProperty().set(false);
        l.frameProperty().set(2);
        var t = app.text();
        t.modeProperty().set(org.diffusionplayground.app.text.TextPageModel.Mode.FORWARD);
        t.processProperty().set(org.diffusionplayground.app.text.TextProcess.UNIFORM);
        t.forward().passageProperty().set("To be, or not to be, that is the question");
        t.forward().drawsProperty().set(3);
        t.forward().stepProperty().set(150);
        var tr = t.reverse();
        tr.samplerProperty().set(org.diffusionplayground.model.sampling.tokens.TokenRun.Kind.EULER);
        tr.stepsProperty().set(32);
        tr.orderProperty().set(org.diffusionplayground.model.sampling.tokens.RevealOrder.MARGIN);
        tr.temperatureProperty().set(0.8);
        tr.topKProperty().set(5);
        tr.topPProperty().set(0.7);
        tr.thresholdProperty().set(0.3);
        tr.blockProperty().set(64);
        tr.remaskProperty().set(0.2);
        tr.seedProperty().set(12);
        tr.lengthProperty().set(128);
        tr.givenProperty().set(org.diffusionplayground.app.text.TextRun.Given.TEMPLATE);
        tr.textProperty().set("ROMEO:\n____ ____");
        tr.sideBySideProperty().set(false);
        app.pageProperty().set(Page.LAB);
    }

    @Test
    void theShippedFlowModelIsSavedByNameAndOpenedAgain() throws IOException {
        KnownX0Denoiser fake = new KnownX0Denoiser(label -> new float[784]);
        Networks networks = org.diffusionplayground.app.FlowFakes.networks(fake, org.diffusionplayground.app.FlowFakes.flow(fake), true);
        AppModel before = new AppModel(new WithoutConvergence(new DirectJobs()), () -> "cpu", networks);
        before.images().openShipped(org.diffusionplayground.model.schedule.PathFamily.FLOW);
        Path file = dir.resolve("flow.json");
        Scenarios.save(before, file);
        assertTrue(Files.readString(file).contains("\"model\": \"shipped-flow\""), Files.readString(file));

        AppModel after = new AppModel(new WithoutConvergence(new DirectJobs()), () -> "cpu", networks);
        after.images().ensureLoaded();
        Scenarios.open(after, file);
        assertEquals("", after.errorProperty().get());
        assertEquals("fake-flow (shipped flow model)", after.images().networkProperty().get().name());
        assertEquals(Scenarios.capture(before), Scenarios.capture(after));
    }

    @Test
    void savingAndReopeningRestoresEveryPageExactly() throws IOException {
        AppModel before = app();
        Path run = Files.createDirectory(dir.resolve("my-run"));
        changeEverything(before, run);
        Scenario saved = Scenarios.capture(before);
        Path file = dir.resolve("lesson.json");
        Scenarios.save(before, file);
        assertEquals("", before.errorProperty().get());

        AppModel after = app();
        after.reverse().start();
        after.lab().start();
        Scenarios.open(after, file);
        assertEquals("", after.errorProperty().get());
        assertEquals(saved, Scenarios.capture(after));
        assertEquals(3, after.reverse().frameProperty().get(), "the timeline is back on frame 3 after the run");
        assertEquals(2, after.lab().frameProperty().get());
        assertFalse(after.lab().playingProperty().get(), "the lab stays on the saved frame");
        assertEquals(before.forward().noise().length, after.forward().noise().length);
        assertTrue(Arrays.equals(before.forward().noisedProperty().get(), after.forward().noisedProperty().get())
                || before.forward().noisedProperty().get() == null, "the same images under the same noise");
        assertEquals("my-run", after.images().networkProperty().get().name());
    }

    @Test
    void theFileIsSmallReadableJsonWithAVersion() throws IOException {
        AppModel app = app();
        changeEverything(app, null);
        Path file = dir.resolve("s.json");
        Scenarios.save(app, file);
        String text = Files.readString(file);
        for (String expected : List.of("\"format\": \"diffusion-playground-scenario\"", "\"version\": 1", "\"page\": \"lab\"",
                "\"model\": \"shipped\"", "\"sampler\": \"ddim\"", "\"spacing\": \"trailing\"", "\"lanes\": [",
                "\"off\"", "\"class\": 3", "\"clip\": \"dynamic\"", "\"process\": \"uniform\"", "\"sampler\": \"euler\"",
                "\"given\": \"template\"", "\"text\": \"ROMEO:\\n____ ____\"")) {
            assertTrue(text.contains(expected), expected + " in\n" + text);
        }
        assertTrue(text.length() < 3000, "small: " + text.length() + " characters");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file left behind");
        }
    }

    static Stream<Arguments> badFiles() {
        String head = "{ \"format\": \"diffusion-playground-scenario\", \"version\": 1, ";
        return Stream.of(
                Arguments.of("{ \"format\": \"diffusion-playground-scenario\", \"version\": 3 }", "newer Diffusion Playground: scenario version 3"),
                Arguments.of(head + "\"reverse\": { \"steps\": \"many\" } }", "reverse.steps: expected a number, found \"many\""),
                Arguments.of(head + "\"reverse\": { \"steps\": 5000 } }", "reverse.steps: 5000 is outside 1–1000"),
                Arguments.of(head + "\"reverse\": { \"sampler\": \"magic\" } }", "reverse.sampler: \"magic\" is not one of ddpm, ddim"),
                Arguments.of(head + "\"forward\": { \"t\": 500 }, \"lab\": { \"lanes\": [\"ddim\", \"warp\", \"off\", \"off\"] } }",
                        "lab.lanes: lane 2: \"warp\" is not \"off\" or a sampler"),
                Arguments.of(head + "\"model\": \"no-such-run\" }", "no-such-run does not exist"),
                Arguments.of(head + "\"page\": \"kitchen\" }", "page: \"kitchen\" is not one of forward, reverse"),
                Arguments.of(head + "\"text\": { \"process\": \"uniform\", \"sampler\": \"ancestral\" } }",
                        "text.sampler: \"ancestral\" does not sample the uniform process (tweedie or euler does)"),
                Arguments.of(head + "\"text\": { \"steps\": 0 } }", "text.steps: 0 is outside 1–1000"),
                Arguments.of(head + "\"text\": { \"given\": \"all\" } }", "text.given: \"all\" is not one of none, prompt, template"),
                Arguments.of(head + "\"forward\": { \"class\": \"cats\" } }", "forward.class: \"cats\" is not \"any\" or a digit"),
                Arguments.of("{ \"format\": \"diffusion-playground-scenario\", \"version\": 1, ", "not valid JSON"),
                Arguments.of("{ \"version\": 1 }", "not a Diffusion Playground scenario"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void aBadFileIsRefusedWholeWithTheFieldNamed(String text, String expected) throws IOException {
        AppModel app = app(); // the pages as they start, t and the Reverse steps moved
        app.forward().stepProperty().set(250);
        app.reverse().stepsProperty().set(33);
        Scenario shown = Scenarios.capture(app);
        Path file = Files.writeString(dir.resolve("bad.json"), text);
        Scenarios.open(app, file);
        String error = app.errorProperty().get();
        assertTrue(error.startsWith("Opening the scenario bad.json failed: "), error);
        assertTrue(error.contains(expected), error + "\n  should contain: " + expected);
        assertEquals(shown, Scenarios.capture(app), "nothing on screen changed");
    }

    /** A file that is not text at all (a PNG dropped by mistake, a UTF-16 export) says so instead of "Input length = 1". */
    @Test
    void aFileThatIsNotUtf8TextIsRefusedWithThatReason() throws IOException {
        AppModel app = app();
        Scenario shown = Scenarios.capture(app);
        Path file = Files.write(dir.resolve("picture.json"), new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xff, (byte) 0xfe, 0, 1});
        Scenarios.open(app, file);
        String error = app.errorProperty().get();
        assertTrue(error.startsWith("Opening the scenario picture.json failed: ") && error.contains("picture.json is not UTF-8 text"), error);
        assertEquals(shown, Scenarios.capture(app), "nothing on screen changed");
    }

    @Test
    void aFieldLeftOutKeepsWhatIsShown() throws IOException {
        AppModel app = app();
        changeEverything(app, null);
        Path file = Files.writeString(dir.resolve("partial.json"),
                "{ \"format\": \"diffusion-playground-scenario\", \"version\": 1, \"reverse\": { \"steps\": 9 } }");
        Scenario before = Scenarios.capture(app);
        Scenarios.open(app, file);
        assertEquals("", app.errorProperty().get());
        Scenario after = Scenarios.capture(app);
        assertEquals(9, after.reverse().steps());
        assertEquals(before.reverse().sampler(), after.reverse().sampler());
        assertEquals(before.lab(), after.lab());
        assertEquals(before.forward(), after.forward());
    }

    @Test
    void everyShippedLessonOpensWithItsTitleAndNote() {
        List<Lessons.Entry> lessons = Lessons.shipped();
        assertEquals(List.of("Why 1,000 steps? (DDPM vs DDIM vs DPM-Solver at 10 steps)", "What guidance trades away",
                "Where the schedule spends its steps", "The sampler's error, not the network's (2-D oracle)",
                "Two ways to corrupt text (masked vs uniform)"),
                lessons.stream().map(Lessons.Entry::title).toList());
        for (Lessons.Entry lesson : lessons) {
            AppModel app = app();
            Lessons.open(app, lesson);
            assertEquals("", app.errorProperty().get(), lesson.file());
            Lesson shown = app.lessonProperty().get();
            assertEquals(lesson.title(), shown.title());
            assertTrue(shown.note().split("\\. ").length >= 3, "a few sentences: " + shown.note());
            assertNotEquals(Page.FORWARD, app.pageProperty().get(), lesson.file() + " opens its own page");
        }
        AppModel lab = app();
        Lessons.open(lab, lessons.get(3));
        assertEquals(List.of(SamplerKind.DDPM, SamplerKind.DDIM, SamplerKind.DPM_SOLVER_PP, SamplerKind.HEUN), lab.lab().activeSamplers());
        assertEquals(10, lab.lab().stepsProperty().get());
        assertEquals(LabModel.Mode.REVERSE, lab.lab().modeProperty().get());
        AppModel text = app();
        text.text().processProperty().set(org.diffusionplayground.app.text.TextProcess.UNIFORM);
        Lessons.open(text, lessons.get(4));
        assertEquals(Page.TEXT, text.pageProperty().get());
        assertEquals(org.diffusionplayground.app.text.TextProcess.MASKED, text.text().processProperty().get());
        assertEquals(org.diffusionplayground.model.sampling.tokens.TokenRun.Kind.ANCESTRAL, text.text().reverse().samplerProperty().get());
        assertEquals(3, text.text().reverse().seedProperty().get());
    }
}
