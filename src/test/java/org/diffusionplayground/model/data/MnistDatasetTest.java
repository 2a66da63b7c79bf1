package org.diffusionplayground.model.data;

import static org.diffusionplayground.model.data.IdxFiles.images;
import static org.diffusionplayground.model.data.IdxFiles.labels;
import static org.diffusionplayground.model.data.IdxFiles.write;
import static org.diffusionplayground.model.data.IdxFiles.writeGz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDatasetTest {

    @TempDir
    Path dir;

    @Test
    void bundledSubsetHas9000DigitsOfEveryClassScaledToMinusOneOne() throws Exception {
        MnistDataset data = MnistDataset.bundled();
        assertEquals(9000, data.size());
        assertEquals(28, data.rows());
        assertEquals(28, data.cols());
        int total = 0;
        for (int c = 0; c < 10; c++) {
            int n = data.indicesOf(c).length;
            assertTrue(n > 500, "class " + c + " has only " + n);
            total += n;
        }
        assertEquals(9000, total);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            for (float v : data.image(i)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertEquals(-1f, min, 1e-6); // MNIST background is byte 0
        assertEquals(1f, max, 1e-6);  // and strokes saturate at 255
    }

    @Test
    void folderWithStandardGzNamesLoadsTheTrainSplit() throws Exception {
        writeGz(dir.resolve("train-images-idx3-ubyte.gz"), images(4, 28, 28));
        writeGz(dir.resolve("train-labels-idx1-ubyte.gz"), labels(IdxReader.LABELS_MAGIC, 4, 3, 1, 4, 1));
        writeGz(dir.resolve("t10k-images-idx3-ubyte.gz"), images(1, 28, 28));
        writeGz(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels(IdxReader.LABELS_MAGIC, 1, 5));
        MnistDataset data = MnistDataset.fromFolder(dir);
        assertEquals(4, data.size());
        assertEquals("MNIST train", data.name());
        assertEquals(2, data.indicesOf(1).length);
    }

    @Test
    void unpackedDottedNamesAndTestSplitAreFound() throws Exception {
        write(dir.resolve("t10k-images.idx3-ubyte"), images(2, 28, 28));
        write(dir.resolve("t10k-labels.idx1-ubyte"), labels(IdxReader.LABELS_MAGIC, 2, 0, 9));
        MnistDataset data = MnistDataset.fromFolder(dir);
        assertEquals("MNIST test", data.name());
        assertEquals(9, data.label(1));
    }

    @Test
    void folderNamedFashionGetsFashionClassNames() throws Exception {
        Path fashion = Files.createDirectory(dir.resolve("fashion-mnist"));
        writeGz(fashion.resolve("train-images-idx3-ubyte.gz"), images(1, 28, 28));
        writeGz(fashion.resolve("train-labels-idx1-ubyte.gz"), labels(IdxReader.LABELS_MAGIC, 1, 9));
        MnistDataset data = MnistDataset.fromFolder(fashion);
        assertEquals("Ankle boot", data.classNames().get(data.label(0)));
    }

    @Test
    void mismatchedCountsNameBothFiles() throws Exception {
        writeGz(dir.resolve("train-images-idx3-ubyte.gz"), images(3, 28, 28));
        writeGz(dir.resolve("train-labels-idx1-ubyte.gz"), labels(IdxReader.LABELS_MAGIC, 2, 1, 2));
        var e = assertThrows(IdxFormatException.class, () -> MnistDataset.fromFolder(dir));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz: has 2 labels but"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz has 3 images"), e.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsReported() throws Exception {
        writeGz(dir.resolve("train-images-idx3-ubyte.gz"), images(2, 28, 28));
        writeGz(dir.resolve("train-labels-idx1-ubyte.gz"), labels(IdxReader.LABELS_MAGIC, 2, 1, 12));
        var e = assertThrows(IdxFormatException.class, () -> MnistDataset.fromFolder(dir));
        assertTrue(e.getMessage().contains("label 12 of item 1 is outside 0…9"), e.getMessage());
    }

    @Test
    void folderWithoutIdxFilesOrWithHalfASplitSaysWhatIsMissing() throws Exception {
        var empty = assertThrows(IdxFormatException.class, () -> MnistDataset.fromFolder(dir));
        assertTrue(empty.getMessage().contains("no MNIST-style IDX files"), empty.getMessage());
        writeGz(dir.resolve("train-images-idx3-ubyte.gz"), images(1, 28, 28));
        var half = assertThrows(IdxFormatException.class, () -> MnistDataset.fromFolder(dir));
        assertTrue(half.getMessage().contains("but not the matching train-labels-idx1-ubyte[.gz]"), half.getMessage());
        var notDir = assertThrows(IdxFormatException.class,
                () -> MnistDataset.fromFolder(dir.resolve("train-images-idx3-ubyte.gz")));
        assertTrue(notDir.getMessage().endsWith("not a folder"), notDir.getMessage());
    }

    @Test
    void debianFashionMnistPackageLoadsWhenInstalled() throws Exception {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(debian), "dataset-fashion-mnist not installed");
        MnistDataset data = MnistDataset.fromFolder(debian);
        assertEquals(60000, data.size());
        assertEquals("Fashion-MNIST train", data.name());
        assertEquals(6000, data.indicesOf(9).length); // Fashion-MNIST is balanced: 6,000 per class
    }
}
