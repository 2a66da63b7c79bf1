package org.diffusionplayground.app.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.diffusionplayground.app.DirectJobs;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.sampling.tokens.TokenRun.Kind;
import org.diffusionplayground.viz.CharacterGridView.State;
import org.junit.jupiter.api.BeforeAll;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;
import org.junit.jupiter.api.Test;

/** The Text page's view-models without the toolkit: jobs run at once, models are {@link FakeTextModel}s. */
class TextPageModelTest {

    private static TextCorpus corpus;
    private final List<String> errors = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        corpus = TextCorpus.shakespeare();
    }

    private TextPageModel page(boolean withModels) {
        TextNetworks networks = withModels ? FakeTextModel.networks(new FakeTextModel(corpus, true), new FakeTextModel(corpus, false),
                new FakeTextModel(corpus, TokenFamily.AUTOREGRESSIVE))
                : new TextNetworks() {
                    @Override public Optional<TextNetwork> shipped(TokenFamily family) { return Optional.empty(); }

                    @Override public TextNetwork open(java.nio.file.Path file) throws IOException { throw new IOException("none"); }
                };
        TextPageModel page = new TextPageModel(new DirectJobs(), networks, (what, e) -> errors.add(what + ": " + e));
        page.start();
        return page;
    }

    @Test
    void aTrainedModelUsedBeforeThePagesFirstVisitIsKeptAndItsProcessShown() {
        FakeTextModel uniform = new FakeTextModel(corpus, false);
        TextNetworks networks = new TextNetworks() {
            @Override public Optional<TextNetwork> shipped(TokenFamily family) throws IOException {
                return FakeTextModel.networks(new FakeTextModel(corpus, true), uniform).shipped(family);
            }

            @Override public TextNetwork open(java.nio.file.Path file) {
                return new TextNetwork(file.getFileName() + " (step 5)", uniform, FakeTextModel.CONTEXT);
            }
        };
        TextPageModel page = new TextPageModel(new DirectJobs(), networks, (what, e) -> errors.add(what + ": " + e));
        page.modeProperty().set(TextPageModel.Mode.FORWARD);
        page.use(java.nio.file.Path.of("runs", "shakespeare-tiny-uniform")); // the Train page's "Use this model"
        assertEquals(TextProcess.UNIFORM, page.processProperty().get());
        assertEquals(TextPageModel.Mode.REVERSE, page.modeProperty().get());
        page.start(); // the page's first visit loads the shipped models
        assertEquals("shakespeare-tiny-uniform (step 5)", page.models().uniformProperty().get().name(), "the trained model stays");
        assertEquals("fake masked", page.models().maskedProperty().get().name());
        assertTrue(page.reverse().recording().complete(), "and writes at once");
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void theLeftToRightBaselineWritesInAThirdLaneOneCharacterPerStepWithTheSameSeedAndFilter() {
        FakeTextModel masked = new FakeTextModel(corpus, true), leftToRight = new FakeTextModel(corpus, TokenFamily.AUTOREGRESSIVE);
        TextPageModel page = new TextPageModel(new DirectJobs(), FakeTextModel.networks(masked, new FakeTextModel(corpus, false),
                leftToRight), (what, e) -> errors.add(what + ": " + e.getMessage()));
        page.start();
        TextReverseModel r = page.reverse();
        TextLane ar = r.lanes().get(2);
        assertEquals("autoregressive", ar.id());
        assertTrue(ar.shownProperty().get(), "its model is loaded: its lane is shown");
        r.lengthProperty().set(40);
        r.temperatureProperty().set(0.5);
        TextRecording rec = ar.recording();
        assertTrue(rec.complete(), ar.statusProperty().get());
        assertEquals(40, rec.steps(), "one step per character written");
        assertEquals(40, rec.nfe(rec.frames() - 1), "and one network evaluation per step: nothing is skipped");
        assertEquals("done · NFE 40", ar.statusProperty().get().replaceAll(" · [0-9.]+ s$", ""));
        assertEquals(Kind.AUTOREGRESSIVE, ar.settings().recipe().sampler());
        assertEquals(0.5, ar.settings().recipe().filter().temperature(), "the masked lane's filter");
        assertEquals(r.lane(TextProcess.MASKED).settings().seed(), ar.settings().seed(), "and its seed");
        for (int k = 1; k < rec.frames(); k++) { // frame k: the first k characters written, the rest still [M]
            int[] z = rec.tokens(k);
            for (int i = 0; i < z.length; i++) assertEquals(i < k, z[i] != masked.maskToken(), "frame " + k + " position " + i);
        }
        var curve = r.curvesProperty().get().stream().filter(c -> c.name().startsWith("Left to right")).findFirst().orElseThrow();
        assertTrue(curve.name().endsWith("share not yet written"), curve.name());

        r.givenProperty().set(TextRun.Given.TEMPLATE); // a template: only its blanks are written, left to right
        r.textProperty().set("To be, __ not __ be");
        rec = ar.recording();
        assertTrue(rec.complete());
        assertEquals(4, rec.steps(), "one step per blank");
        String written = corpus.decode(rec.tokens(rec.frames() - 1));
        assertEquals("To be, ", written.substring(0, 7));
        assertEquals(" not ", written.substring(9, 14));
        assertEquals(" be", written.substring(16));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void withSideBySideOffOnlyTheLaneInFocusIsShownAndTheOthersKeepTheirRuns() {
        TextPageModel page = page(true);
        TextReverseModel r = page.reverse();
        List<TextLane> lanes = r.lanes();
        assertTrue(lanes.stream().allMatch(l -> l.shownProperty().get()), "three models: three lanes");
        TextRecording arRun = lanes.get(2).recording();
        r.sideBySideProperty().set(false);
        assertEquals(List.of(true, false, false), lanes.stream().map(l -> l.shownProperty().get()).toList());
        assertEquals(List.of("Masked · MDLM: share still masked"), r.curvesProperty().get().stream()
                .map(org.diffusionplayground.viz.Curve::name).toList(), "the chart follows the lanes shown");
        assertEquals(arRun, lanes.get(2).recording(), "hiding a lane does not rerun it");
        page.processProperty().set(TextProcess.UNIFORM);
        assertEquals(List.of(false, true, false), lanes.stream().map(l -> l.shownProperty().get()).toList());
        r.sideBySideProperty().set(true);
        assertTrue(lanes.stream().allMatch(l -> l.shownProperty().get()));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aLeftToRightRunFolderUsedFromTheTrainPageFillsItsLaneAndKeepsTheProcessInFocus() {
        FakeTextModel leftToRight = new FakeTextModel(corpus, TokenFamily.AUTOREGRESSIVE);
        TextNetworks networks = new TextNetworks() {
            @Override public Optional<TextNetwork> shipped(TokenFamily family) throws IOException {
                return FakeTextModel.networks(new FakeTextModel(corpus, true), new FakeTextModel(corpus, false)).shipped(family);
            }

            @Override public TextNetwork open(java.nio.file.Path file) {
                return new TextNetwork("shakespeare-ar (step 5)", leftToRight, FakeTextModel.CONTEXT);
            }
        };
        TextPageModel page = new TextPageModel(new DirectJobs(), networks, (what, e) -> errors.add(what + ": " + e.getMessage()));
        page.start();
        page.processProperty().set(TextProcess.UNIFORM);
        page.modeProperty().set(TextPageModel.Mode.FORWARD);
        assertFalse(page.reverse().lanes().get(2).shownProperty().get(), "no baseline shipped: no third lane");
        page.use(java.nio.file.Path.of("runs", "shakespeare-ar"));
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals("shakespeare-ar (step 5)", page.models().autoregressiveProperty().get().name());
        assertEquals(TextProcess.UNIFORM, page.processProperty().get(), "the baseline is never the lane in focus");
        assertEquals(TextPageModel.Mode.REVERSE, page.modeProperty().get());
        assertTrue(page.reverse().lanes().get(2).recording().complete());
        assertEquals("fake masked", page.models().maskedProperty().get().name());
    }

    @Test
    void bothProcessesWriteSideBySideFromOneSeedEachInItsOwnLane() {
        TextPageModel page = page(true);
        TextReverseModel r = page.reverse();
        TextLane masked = r.lane(TextProcess.MASKED), uniform = r.lane(TextProcess.UNIFORM);
        assertTrue(masked.shownProperty().get() && uniform.shownProperty().get());
        assertEquals("", r.laneNoteProperty().get());
        assertTrue(masked.recording().complete() && uniform.recording().complete());
        assertEquals(masked.settings().seed(), uniform.settings().seed(), "one seed");
        assertEquals(Kind.ANCESTRAL, masked.settings().recipe().sampler());
        assertEquals(Kind.TWEEDIE, uniform.settings().recipe().sampler());
        assertTrue(masked.statusProperty().get().startsWith("done · NFE "), masked.statusProperty().get());
        assertTrue(uniform.statusProperty().get().startsWith("done · NFE "), uniform.statusProperty().get());
        assertEquals(List.of("Masked · MDLM: share still masked", "Uniform · SEDD: share changed by the step",
                "Left to right · AR: share not yet written"),
                r.curvesProperty().get().stream().map(org.diffusionplayground.viz.Curve::name).toList());
        String m = new String(masked.cellsProperty().get().characters()), u = new String(uniform.cellsProperty().get().characters());
        r.newSeed();
        assertNotEquals(m, new String(masked.cellsProperty().get().characters()), "a new seed: both lanes write anew");
        assertNotEquals(u, new String(uniform.cellsProperty().get().characters()));
        r.seedProperty().set(0);
        assertEquals(m, new String(masked.cellsProperty().get().characters()), "the same seed, the same text in each lane");
        assertEquals(u, new String(uniform.cellsProperty().get().characters()));
        r.toStart();
        assertTrue(java.util.Arrays.stream(masked.cellsProperty().get().states()).allMatch(x -> x == State.MASKED),
                "the timeline scrubs every lane: step 0 is all masks");
        assertArrayEquals(uniform.recording().tokens(0), ids(uniform), "and the uniform prior");
        page.processProperty().set(TextProcess.UNIFORM);
        assertEquals(uniform.cellsProperty().get(), r.cellsProperty().get(), "the process picks the lane in focus");
        assertTrue(errors.isEmpty(), errors.toString());
    }

    private static int[] ids(TextLane lane) {
        char[] c = lane.cellsProperty().get().characters();
        int[] out = new int[c.length];
        for (int i = 0; i < c.length; i++) out[i] = corpus.encode(String.valueOf(c[i]))[0];
        return out;
    }

    @Test
    void withOneModelItsLaneWritesAloneAndANoteSaysWhereTheOtherComesFrom() {
        FakeTextModel fake = new FakeTextModel(corpus, true);
        TextNetworks onlyMasked = new TextNetworks() {
            @Override public Optional<TextNetwork> shipped(TokenFamily family) {
                return family == TokenFamily.MASKED ? Optional.of(new TextNetwork("fake masked", fake, FakeTextModel.CONTEXT))
                        : Optional.empty();
            }

            @Override public TextNetwork open(java.nio.file.Path file) throws IOException { throw new IOException("none"); }
        };
        TextPageModel page = new TextPageModel(new DirectJobs(), onlyMasked, (what, e) -> errors.add(what + ": " + e));
        page.start();
        TextReverseModel r = page.reverse();
        assertTrue(r.lane(TextProcess.MASKED).shownProperty().get());
        assertFalse(r.lane(TextProcess.UNIFORM).shownProperty().get());
        String note = r.laneNoteProperty().get();
        assertTrue(note.startsWith("The uniform lane appears beside this one once a uniform model is loaded: train one on the Train page"),
                note);
        assertTrue(note.contains(TextNetworks.UNIFORM_FILE), note);
        assertTrue(note.contains(TextNetworks.AUTOREGRESSIVE_FILE), "and where the left-to-right lane comes from: " + note);
        assertTrue(r.recording().complete());
        page.processProperty().set(TextProcess.UNIFORM);
        assertTrue(r.statusProperty().get().startsWith("No uniform text model yet"), r.statusProperty().get());
        assertEquals(null, r.cellsProperty().get(), "the uniform process in focus has nothing to show");
    }

    @Test
    void eachProcessKeepsItsOwnSampler() {
        TextPageModel page = page(true);
        TextReverseModel r = page.reverse();
        r.samplerProperty().set(Kind.PLANNED);
        page.processProperty().set(TextProcess.UNIFORM);
        assertEquals(Kind.TWEEDIE, r.samplerProperty().get());
        r.samplerProperty().set(Kind.EULER);
        assertEquals(Kind.PLANNED, r.lane(TextProcess.MASKED).settings().recipe().sampler(), "the other lane keeps its own");
        assertEquals(Kind.EULER, r.lane(TextProcess.UNIFORM).settings().recipe().sampler());
        page.processProperty().set(TextProcess.MASKED);
        assertEquals(Kind.PLANNED, r.samplerProperty().get());
    }

    private static long count(TextPageModel page, State s) {
        State[] states = page.forward().cellsProperty().get().states();
        return java.util.Arrays.stream(states).filter(x -> x == s).count();
    }

    @Test
    void scrubbingMasksMoreCharactersAsTGrowsAndKeepsEveryMaskedOneMasked() {
        TextPageModel page = page(false);
        TextForwardModel f = page.forward();
        assertEquals(TextForwardModel.PASSAGE, f.passageProperty().get().length());
        f.stepProperty().set(0);
        assertEquals(TextForwardModel.PASSAGE, count(page, State.CLEAN), "t = 0 is the clean passage");
        boolean[] maskedBefore = new boolean[TextForwardModel.PASSAGE];
        for (int k = 20; k <= 200; k += 20) {
            f.stepProperty().set(k);
            State[] states = f.cellsProperty().get().states();
            for (int i = 0; i < states.length; i++) {
                if (maskedBefore[i]) assertEquals(State.MASKED, states[i], "position " + i + " unmasked again at step " + k);
                maskedBefore[i] = states[i] == State.MASKED;
            }
        }
        assertEquals(TextForwardModel.PASSAGE, count(page, State.MASKED), "t = 1 masks everything");
        f.stepProperty().set(100);
        double actual = Double.parseDouble(f.actualTextProperty().get().replace(" %", "")) / 100;
        assertEquals(0.5, actual, 0.12, "about half masked at t = 0.5 (α_t = 1 − t)");
        assertEquals("50.0 %", f.expectedTextProperty().get());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void theUniformProcessResamplesCharactersAndTheSameDrawsComeBackForTheSameT() {
        TextPageModel page = page(false);
        page.processProperty().set(TextProcess.UNIFORM);
        TextForwardModel f = page.forward();
        f.stepProperty().set(170);
        char[] first = f.cellsProperty().get().characters();
        assertEquals(0, count(page, State.MASKED), "no masks in the uniform process");
        assertTrue(count(page, State.CHANGED) > 150, "most characters resampled at t = 0.85 (σ̄ ≈ 3.2)");
        f.stepProperty().set(30);
        f.stepProperty().set(170);
        assertArrayEquals(first, f.cellsProperty().get().characters(), "same draws at the same t");
        f.newDraws();
        assertFalse(java.util.Arrays.equals(first, f.cellsProperty().get().characters()), "new draws corrupt differently");
    }

    @Test
    void aTypedPassageWithAnUnknownCharacterSaysWhich() {
        TextPageModel page = page(false);
        page.forward().passageProperty().set("Hello — world");
        assertTrue(page.forward().messageProperty().get().contains("U+2014"), page.forward().messageProperty().get());
    }

    @Test
    void withoutAModelTheReversePageSaysHowToTrainOne() {
        TextPageModel page = page(false);
        String status = page.reverse().statusProperty().get();
        assertTrue(status.contains("train --dataset shakespeare --process absorbing"), status);
        assertTrue(status.contains(TextNetworks.MASKED_FILE), status);
    }

    @Test
    void aReverseRunRevealsEveryPositionAndTheTimelineGoesBackToAllMasks() {
        TextPageModel page = page(true);
        TextReverseModel r = page.reverse();
        r.stepsProperty().set(16);
        TextRecording rec = r.recording();
        assertTrue(rec.complete());
        assertEquals(16, r.lastFrameProperty().get());
        assertEquals(16, r.frameProperty().get(), "the timeline follows the run");
        assertFalse(java.util.Arrays.stream(r.cellsProperty().get().states()).anyMatch(s -> s == State.MASKED));
        assertEquals(0.0, rec.fraction(16));
        r.toStart();
        assertTrue(java.util.Arrays.stream(r.cellsProperty().get().states()).allMatch(s -> s == State.MASKED));
        r.stepBy(1);
        assertTrue(java.util.Arrays.stream(r.cellsProperty().get().states()).anyMatch(s -> s == State.NEW), "step 1 reveals some");
        r.hoveredProperty().set(0);
        assertTrue(r.candidatesTextProperty().get().startsWith("Position 0: 'T' 6"), r.candidatesTextProperty().get());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aChangedSettingRestartsFromTheSameSeed() {
        TextPageModel page = page(true);
        TextReverseModel r = page.reverse();
        String first = new String(r.cellsProperty().get().characters());
        r.temperatureProperty().set(0.5);
        String cooler = new String(r.cellsProperty().get().characters());
        r.temperatureProperty().set(1);
        assertEquals(first, new String(r.cellsProperty().get().characters()), "back to the same text: same seed, same draws");
        assertNotEquals(first, cooler, "a lower temperature writes other text");
        r.newSeed();
        assertNotEquals(first, new String(r.cellsProperty().get().characters()), "a new seed writes other text");
    }

    @Test
    void aTemplateKeepsItsTypedCharactersAndFillsOnlyTheBlanks() {
        TextPageModel page = page(true);
        TextReverseModel r = page.reverse();
        String template = "ROMEO:\nWhat ____ is ____?";
        r.givenProperty().set(TextRun.Given.TEMPLATE);
        r.textProperty().set(template);
        char[] out = r.cellsProperty().get().characters();
        State[] states = r.cellsProperty().get().states();
        assertEquals(template.length(), out.length, "a template's length is the text's");
        for (int i = 0; i < out.length; i++) {
            if (template.charAt(i) != '_') {
                assertEquals(template.charAt(i), out[i], "typed character " + i);
                assertEquals(State.GIVEN, states[i]);
            } else {
                assertNotEquals(State.GIVEN, states[i]);
                assertNotEquals(State.MASKED, states[i], "blank " + i + " filled");
            }
        }
    }

    @Test
    void aTemplateWithACharacterTheModelDoesNotKnowIsRefusedWithItsName() {
        TextReverseModel r = page(true).reverse();
        r.givenProperty().set(TextRun.Given.TEMPLATE);
        r.textProperty().set("Caf\u00e9 __");
        assertTrue(r.statusProperty().get().startsWith("The template: character 'é'"), r.statusProperty().get());
        assertTrue(r.laneNoteProperty().get().startsWith("The template: character 'é'"), "said in full under the lanes");
    }

    @Test
    void aTemplateLongerThanTheModelsContextIsRefused() {
        TextReverseModel r = page(true).reverse();
        r.givenProperty().set(TextRun.Given.TEMPLATE);
        r.textProperty().set("_".repeat(FakeTextModel.CONTEXT + 1));
        assertEquals("The template: 65 characters is longer than the model's context of 64", r.statusProperty().get());
    }

    @Test
    void theUniformProcessRunsSeddsSamplerAndCountsChangesPerStep() {
        TextPageModel page = page(true);
        page.processProperty().set(TextProcess.UNIFORM);
        TextReverseModel r = page.reverse();
        assertEquals(org.diffusionplayground.model.sampling.tokens.TokenRun.Kind.TWEEDIE, r.samplerProperty().get());
        TextRecording rec = r.recording();
        assertTrue(rec.complete());
        assertEquals(-1, rec.maskId());
        assertTrue(rec.fraction(1) > 0, "the first step changes characters");
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
