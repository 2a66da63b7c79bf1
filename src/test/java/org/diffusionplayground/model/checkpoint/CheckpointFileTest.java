package org.diffusionplayground.model.checkpoint;

import org.diffusionplayground.model.train.RunFolder;
import org.diffusionplayground.model.train.TrainConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointFileTest {

    static final UNetConfig TINY = new UNetConfig(4, 8, 8, 2, true, 10, Parameterization.V, "cosine");

    @TempDir Path dir;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    /** A checkpoint with random weights (no zeros, so outputs depend on every tensor). */
    static Checkpoint randomCheckpoint(int step) {
        Noise noise = new Noise(step);
        Map<String, INDArray> w = new HashMap<>(UNet.create(TINY, 1).weights());
        w.replaceAll((k, a) -> noise.normal(a.shape()).muli(0.2));
        Map<String, INDArray> ema = new HashMap<>(w);
        ema.replaceAll((k, a) -> a.mul(0.5));
        Map<String, INDArray> m = new HashMap<>(w);
        m.replaceAll((k, a) -> a.mul(0.1));
        return new Checkpoint(TINY, TrainConfig.defaults(100), step, 0.25, w, ema, Map.of("M", m, "V", m));
    }

    @Test
    void roundTripReproducesOutputsBitForBit() throws IOException {
        Checkpoint c = randomCheckpoint(3);
        Path file = dir.resolve("c.dpck");
        CheckpointFile.write(c, file);
        Checkpoint back = CheckpointFile.read(file);
        assertEquals(c.model(), back.model());
        assertEquals(c.train(), back.train());
        assertEquals(3, back.step());
        assertEquals(0.25, back.loss());
        INDArray x = new Noise(9).normal(2, 1, 28, 28);
        INDArray labels = Nd4j.createFromArray(4, 10);
        INDArray expected = UNet.withWeights(TINY, c.weights()).predict(x, 0.6, labels);
        assertEquals(expected, UNet.withWeights((UNetConfig) back.model(), back.weights()).predict(x, 0.6, labels));
        assertEquals(UNet.withWeights(TINY, c.ema()).predict(x, 0.6, labels),
                UNet.withWeights((UNetConfig) back.model(), back.samplingWeights()).predict(x, 0.6, labels));
        assertEquals(c.optimizer().get("V").get("in.w"), back.optimizer().get("V").get("in.w"));
    }

    @Test
    void truncatedNewestCheckpointGivesAClearErrorAndThePreviousOneSurvives() throws IOException {
        RunFolder run = new RunFolder(dir);
        CheckpointFile.write(randomCheckpoint(200), run.checkpointFile(200));
        CheckpointFile.write(randomCheckpoint(400), run.checkpointFile(400));
        byte[] full = Files.readAllBytes(run.checkpointFile(400));
        Files.write(run.checkpointFile(400), java.util.Arrays.copyOf(full, full.length / 2));

        var e = assertThrows(CheckpointException.class, run::latest);
        assertTrue(e.getMessage().contains("ckpt-0000400.dpck") && e.getMessage().contains("truncated")
                && e.getMessage().contains("ckpt-0000200.dpck"), e.getMessage());
        assertEquals(200, CheckpointFile.read(run.checkpointFile(200)).step());
    }

    @Test
    void flippedByteIsCaughtByTheChecksum() throws IOException {
        Path file = dir.resolve("c.dpck");
        CheckpointFile.write(randomCheckpoint(5), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 0x10; // inside the last tensor's floats
        Files.write(file, bytes);
        var e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void otherFilesAndMismatchedModelsAreRejectedWithMessages() throws IOException {
        Path junk = dir.resolve("junk.dpck");
        Files.writeString(junk, "{\"not\": \"a checkpoint\"}");
        var e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(junk));
        assertTrue(e.getMessage().contains("not a Diffusion Playground checkpoint"), e.getMessage());

        Checkpoint c = randomCheckpoint(1);
        var wrong = assertThrows(IllegalArgumentException.class,
                () -> UNet.withWeights(UNetConfig.small(), c.weights()));
        assertTrue(wrong.getMessage().contains("16/32/64 model"), wrong.getMessage());
    }

    /** The file with its JSON header rewritten by {@code edit} (and its checksum made right again). */
    private static void rewriteHeader(Path file, java.util.function.UnaryOperator<String> edit) throws IOException {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(Files.readAllBytes(file));
        byte[] magic = new byte[8];
        in.get(magic);
        byte[] json = new byte[in.getInt()];
        in.get(json);
        byte[] data = new byte[in.remaining() - 8];
        in.get(data);
        byte[] header = edit.apply(new String(json, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + 4 + header.length + data.length + 8);
        out.put(magic).putInt(header.length).put(header).put(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        Files.write(file, out.array());
    }

    @Test
    void theHeaderNamesTheArchitectureAndOldNewerAndUnknownOnesGetClearAnswers() throws IOException {
        Path file = dir.resolve("c.dpck");
        Checkpoint c = randomCheckpoint(1);
        CheckpointFile.write(c, file);
        String json = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"format\":2") && json.contains("\"architecture\":\"unet\""), "the header names it");

        // format 1, written before there was more than one architecture, is a U-Net
        rewriteHeader(file, h -> h.replace("\"format\":2", "\"format\":1").replace("\"architecture\":\"unet\",", ""));
        assertEquals(TINY, CheckpointFile.read(file).model());

        CheckpointFile.write(c, file);
        rewriteHeader(file, h -> h.replace("\"format\":2", "\"format\":3"));
        var newer = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(newer.getMessage().contains("newer") && newer.getMessage().contains("format 3"), newer.getMessage());

        CheckpointFile.write(c, file);
        rewriteHeader(file, h -> h.replace("\"architecture\":\"unet\"", "\"architecture\":\"transformer\""));
        var unknown = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(unknown.getMessage().contains("'transformer'") && unknown.getMessage().contains("unet, mlp"),
                unknown.getMessage());
    }

    @Test
    void aFailedWriteLeavesTheExistingFileAlone() throws IOException {
        Path file = dir.resolve("c.dpck");
        CheckpointFile.write(randomCheckpoint(1), file);
        byte[] before = Files.readAllBytes(file);
        Map<String, INDArray> bad = new HashMap<>(randomCheckpoint(2).weights());
        bad.put("broken", null); // fails while the temporary file is being written
        Checkpoint broken = new Checkpoint(TINY, null, 2, 0, bad, Map.of(), Map.of());
        assertThrows(NullPointerException.class, () -> CheckpointFile.write(broken, file));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), Files.list(dir).filter(p -> !p.getFileName().toString().startsWith(".")).toList());
    }
}
