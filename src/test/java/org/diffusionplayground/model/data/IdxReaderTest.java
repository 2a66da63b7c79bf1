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

        Path junk = write(dir.resolve("readme.txt"), "this is not IDX\nbut a note".getBytes());
        var e2 = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(junk));
        assertEquals(junk + ": not an IDX file: it looks like text, starting “this is not IDX”; expected MNIST-style"
                + " IDX1 labels (00 00 08 01)", e2.getMessage());
    }

    @Test
    void aFileThatIsNotIdxIsSaidWhatItLooksLike() throws Exception {
        // "this" read as a big-endian int is 1952999795: the number the old message gave
        Path text = writeGz(dir.resolve("train-images-idx3-ubyte.gz"), "this file was saved from a browser".getBytes());
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(text));
        assertEquals(text + ": a gzip file whose content is not IDX: it looks like text, starting “this file was saved"
                + " from a browser”; expected MNIST-style IDX3 images (00 00 08 03)", e.getMessage());
        Path png = write(dir.resolve("digit.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(png)).getMessage()
                .contains("not an IDX file: it looks like a PNG image"));
        Path floats = write(dir.resolve("floats"), images(0x0000_0D03, 1, 2, 2, 16));
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(floats)).getMessage()
                .contains("not an IDX file: it is an IDX file of another kind (element type 0x0D, 3 dimensions)"));
        Path binary = write(dir.resolve("blob"), new byte[] {1, 2, 3, 4, 0, 0, 0, 0});
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(binary)).getMessage()
                .contains("not an IDX file: its first bytes are 01 02 03 04"));
        byte[] gz = IdxFiles.gzip(images(50, 28, 28));
        gz[12] ^= 0x5A; // the first bytes of the deflate stream
        Path broken = write(dir.resolve("broken.gz"), gz);
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(broken)).getMessage()
                .contains("a gzip file that does not decompress"));
    }

    @Test
    void aSetTooLargeForTheHeapIsRefusedFromItsHeaderNamingTheFileAndTheMemory() throws Exception {
        // the header promises 1.2 million images; there is no body to read: the refusal comes first
        Path file = writeGz(dir.resolve("train-images-idx3-ubyte.gz"), images(IdxReader.IMAGES_MAGIC, 1_200_000, 28, 28, 0));
        var heap = new HeapCheck.Heap(2L << 30, 400L << 20); // -Xmx2g, 400 MB in use
        var e = assertThrows(HeapCheck.TooLarge.class, () -> IdxReader.readImages(java.nio.file.Files.newInputStream(file),
                file.toString(), HeapCheck.TO_TRAIN, heap, IdxReader.Reading.NONE));
        assertEquals(file + ": 1,200,000 images of 28×28 need 4.4 GB of Java heap to train on (5 bytes a pixel), but only"
                + " 1.6 GB of the 2.0 GB maximum is free: start Java with -Xmx7g or more, or use a smaller IDX file", e.getMessage());
        // only looking at them takes a byte a pixel: 0.9 GB fits
        var truncated = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(java.nio.file.Files.newInputStream(file),
                file.toString(), HeapCheck.TO_SHOW, heap, IdxReader.Reading.NONE));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        // a real heap: a header promising 100 million 28×28 images (78 GB) is refused before reading
        Path huge = write(dir.resolve("huge"), images(IdxReader.IMAGES_MAGIC, 100_000_000, 28, 28, 0));
        assertThrows(HeapCheck.TooLarge.class, () -> IdxReader.readImages(huge, HeapCheck.TO_SHOW, IdxReader.Reading.NONE));
    }

    @Test
    void readingReportsItsProgressAndStopsWhenCancelled() throws Exception {
        Path file = write(dir.resolve("big"), images(3000, 28, 28)); // 2.35 MB: three chunks
        java.util.List<Double> seen = new java.util.ArrayList<>();
        IdxReader.readImages(file, HeapCheck.TO_SHOW, new IdxReader.Reading(seen::add, () -> false));
        assertEquals(3, seen.size(), seen.toString());
        assertEquals(1.0, seen.get(2), 0);
        int[] checks = {0};
        assertThrows(java.util.concurrent.CancellationException.class, () -> IdxReader.readImages(file, HeapCheck.TO_SHOW,
                new IdxReader.Reading(f -> { }, () -> ++checks[0] > 1)));
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
