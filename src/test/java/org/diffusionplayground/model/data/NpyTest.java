package org.diffusionplayground.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @Test
    void fileFollowsTheNpyVersion1Layout(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.npy");
        float[] data = {0f, 0.5f, 1f, -2f, 3.25f, 7f};
        Npy.writeFloat32(file, data, 2, 1, 3);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, bytes[6]);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64, "data must start 64-byte aligned");
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 3), }", header.strip());
        assertTrue(header.endsWith("\n"));
        ByteBuffer payload = ByteBuffer.wrap(bytes, 10 + headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
        for (float expected : data) assertEquals(expected, payload.getFloat());
        assertEquals(10 + headerLength + 24, bytes.length);
    }

    @Test
    void oneDimensionalShapeIsAPythonOneTuple() {
        String header = new String(Npy.header("<f4", 5), 10, 54, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (5,)"), header);
    }

    @Test
    void shapeThatDoesNotFitTheDataIsRejected(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Npy.writeFloat32(dir.resolve("y.npy"), new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"));
    }

    @Test
    void readGivesBackTheShapeAndValuesThatWereWritten(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("z.npy");
        float[] data = {1.5f, -0.25f, 3e-8f, Float.MAX_VALUE, 0f, -7f};
        Npy.writeFloat32(file, data, 3, 2);
        Npy.Float32 read = Npy.readFloat32(file);
        assertArrayEquals(new long[] {3, 2}, read.shape());
        assertArrayEquals(data, read.data());
    }

    @Test
    void readRejectsATruncatedFileNamingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cut.npy");
        Npy.writeFloat32(file, new float[6], 6);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        var e = assertThrows(IOException.class, () -> Npy.readFloat32(file));
        assertTrue(e.getMessage().startsWith(file + ": shape [6] needs 24 bytes"), e.getMessage());
    }
}
