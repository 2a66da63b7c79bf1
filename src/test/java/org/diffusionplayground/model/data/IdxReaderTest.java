package org.diffusionplayground.model.data;

import static org.diffusionplayground.model.data.IdxFiles.images;
import static org.diffusionplayground.model.data.IdxFiles.labels;
import static org.diffusionplayground.model.data.IdxFiles.write;
import static org.diffusionplayground.model.data.IdxFiles.writeGz;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsPlainImagesBigEndianWithPixelsInOrder() throws Exception {
        Path file = write(dir.resolve("a-images-idx3-ubyte"), images(3, 2, 4));
        IdxImages read = IdxReader.readImages(file);
        assertEquals(3, read.count());
        assertEquals(2, read.rows());
        assertEquals(4, read.cols());
        // pixel k = 7k mod 256, k = (i·rows + r)·cols + c: image 2, row 1, col 3 → k = 23 → 161
        assertEquals(161, read.pixel(2, 1, 3));
    }

    @Test
    void readsGzippedFilesWhateverTheirName() throws Exception {
        byte[] raw = images(5, 3, 3);
        IdxImages plain = IdxReader.readImages(write(dir.resolve("plain"), raw));
        IdxImages zipped = IdxReader.readImages(writeGz(dir.resolve("zipped-without-extension"), raw));
        assertArrayEquals(plain.pixels(), zipped.pixels());
        byte[] l = IdxReader.readLabels(writeGz(dir.resolve("l.gz"), labels(IdxReader.LABELS_MAGIC, 3, 9, 0, 4)));
        assertArrayEquals(new byte[] {9, 0, 4}, l);
    }

    @Test
    void wrongMagicNamesTheFileAndWhatItFound() throws Exception {
        Path labelsFile = write(dir.resolve("swapped.idx"), labels(IdxReader.LABELS_MAGIC, 2, 1, 2));
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(labelsFile));
        assertTrue(e.getMessage().startsWith(labelsFile.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number 2049 (an IDX label file), expected 2051"), e.getMessage());

        Path junk = write(dir.resolve("readme.txt"), "hello, this is not IDX".getBytes());
        var e2 = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(junk));
        assertTrue(e2.getMessage().contains("readme.txt: wrong magic number"), e2.getMessage());
    }

    @Test
    void truncatedBodyIsReportedWithByteCounts() throws Exception {
        Path file = write(dir.resolve("short-images"), images(IdxReader.IMAGES_MAGIC, 4, 2, 2, 10));
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("short-images: truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("16 bytes") && e.getMessage().contains("after 10 bytes"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReportedAsTruncated() throws Exception {
        byte[] gz = IdxFiles.gzip(images(200, 28, 28));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("cut.gz: truncated"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws Exception {
        Path file = write(dir.resolve("header-only"), Arrays.copyOf(images(1, 2, 2), 9));
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("header-only: truncated: the file ends inside its header"), e.getMessage());
    }

    @Test
    void corruptGzipDataIsReported() throws Exception {
        byte[] gz = IdxFiles.gzip(images(50, 28, 28));
        for (int k = 20; k < 60; k++) gz[k] ^= 0x5A;
        Path file = write(dir.resolve("bitrot.gz"), gz);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void negativeOrAbsurdDimensionsAreACorruptHeader() throws Exception {
        Path file = write(dir.resolve("neg"), images(IdxReader.IMAGES_MAGIC, 3, -28, 28, 0));
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("neg: corrupt header: 3 images of -28 × 28"), e.getMessage());
    }

    @Test
    void bytesAfterTheDeclaredDataAreReported() throws Exception {
        Path file = write(dir.resolve("long"), images(IdxReader.IMAGES_MAGIC, 1, 2, 2, 7));
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("long: 3 unexpected bytes"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope-images-idx3-ubyte.gz");
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertEquals(file + ": no such file", e.getMessage());
    }
}
