package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root view-model with jobs run at once, without the JavaFX toolkit. */
class AppModelTest {

    private final DirectJobs jobs = new DirectJobs();

    @Test
    void startLoadsTheBundledDataThenReportsTheBackend() {
        AppModel model = new AppModel(jobs, () -> "CPU · test build · 2 cores");
        assertEquals("Loading ND4J…", model.backendProperty().get());
        model.start();
        assertEquals(java.util.List.of("Loading MNIST subset", "Loading ND4J"), jobs.titles);
        assertEquals("CPU · test build · 2 cores", model.backendProperty().get());
        assertEquals(9000, model.datasetProperty().get().size());
        assertEquals(16 * 784, model.forward().noisedProperty().get().length);
        assertEquals("", model.busyProperty().get());
        assertEquals("", model.errorProperty().get());
    }

    @Test
    void aBadDatasetFolderShowsWhatWasWrongAndKeepsTheCurrentData(@TempDir Path dir) throws Exception {
        AppModel model = new AppModel(jobs, () -> "cpu");
        model.start();
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        model.openDataset(dir);
        String error = model.errorProperty().get();
        assertTrue(error.startsWith("Loading the dataset in " + dir + " failed: "), error);
        assertTrue(error.contains("train-images-idx3-ubyte.gz: truncated"), error);
        assertEquals(9000, model.datasetProperty().get().size());
        model.dismissError();
        assertEquals("", model.errorProperty().get());
    }

    @Test
    void aDatasetTooLargeForTheHeapIsRefusedNamingTheFileAndTheMemory(@TempDir Path dir) throws Exception {
        AppModel model = new AppModel(jobs, () -> "cpu");
        model.start();
        try (var o = new java.io.DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")))) {
            for (int v : new int[] {2051, 100_000_000, 28, 28}) o.writeInt(v); // 78 GB of pixels promised
        }
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        model.openDataset(dir);
        String error = model.errorProperty().get();
        assertTrue(error.startsWith("Loading the dataset in " + dir + " failed: " + dir.resolve("train-images-idx3-ubyte")
                + ": 100,000,000 images of 28×28 need 73.0 GB of Java heap to load"), error);
        assertTrue(error.contains("start Java with -Xmx"), error);
        assertEquals(9000, model.datasetProperty().get().size(), "the data shown stays");
        assertEquals("", model.datasetLoadingProperty().get());
    }

    @Test
    void blankImagesAreSaidToBeBlank(@TempDir Path dir) throws Exception {
        AppModel model = new AppModel(jobs, () -> "cpu");
        model.start();
        assertEquals("", model.forward().blankNoteProperty().get());
        try (var o = new java.io.DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")))) {
            for (int v : new int[] {2051, 20, 28, 28}) o.writeInt(v);
            o.write(new byte[20 * 784]); // every pixel 0
        }
        try (var o = new java.io.DataOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
            for (int v : new int[] {2049, 20}) o.writeInt(v);
            o.write(new byte[20]);
        }
        model.openDataset(dir);
        assertEquals("", model.errorProperty().get());
        assertEquals(20, model.datasetProperty().get().size());
        assertTrue(model.forward().blankNoteProperty().get().startsWith("All 16 images shown from MNIST train are blank: every"
                + " pixel is 0 of 255."), model.forward().blankNoteProperty().get());
    }

    @Test
    void aBackendThatFailsToLoadSaysSo() {
        AppModel model = new AppModel(jobs, () -> {
            throw new UnsatisfiedLinkError("no jnind4jcpu in java.library.path");
        });
        model.start();
        assertEquals("ND4J unavailable", model.backendProperty().get());
        assertEquals("Loading ND4J failed: UnsatisfiedLinkError: no jnind4jcpu in java.library.path",
                model.errorProperty().get());
    }

    @Test
    void keyboardPlaybackBelongsToTheForwardPageOnly() {
        AppModel model = new AppModel(jobs, () -> "cpu");
        assertTrue(model.playback().isPresent());
        model.pageProperty().set(Page.SCHEDULES);
        assertTrue(model.playback().isEmpty());
    }

    @Test
    void themeAndPresentationToggle() {
        AppModel model = new AppModel(jobs, () -> "cpu");
        model.toggleDark();
        model.togglePresentation();
        assertTrue(model.darkProperty().get() && model.presentationProperty().get());
        model.toggleDark();
        assertTrue(!model.darkProperty().get());
    }
}
