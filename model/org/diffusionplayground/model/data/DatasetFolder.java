package org.diffusionplayground.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the IDX files of a split in a folder. Accepts the names MNIST and Fashion-MNIST publish
 * ({@code train-images-idx3-ubyte.gz}; Debian's {@code dataset-fashion-mnist} installs exactly
 * these in /usr/share/datasets/fashion-mnist), the unpacked names without {@code .gz}, and the
 * dotted variant some archives use ({@code train-images.idx3-ubyte}).
 */
public final class DatasetFolder {

    /** A split's two files. */
    public record Split(String name, Path images, Path labels) {
    }

    private static final List<String> PREFIXES = List.of("train", "t10k", "test");

    private DatasetFolder() {
    }

    /** The first split (train, then t10k/test) with both files present. */
    public static Split find(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IdxFormatException(folder.toString(), "not a folder");
        }
        for (String prefix : PREFIXES) {
            Path images = first(folder, prefix, "images", "idx3-ubyte");
            Path labels = first(folder, prefix, "labels", "idx1-ubyte");
            if (images != null && labels != null) {
                return new Split(prefix.equals("train") ? "train" : "test", images, labels);
            }
            if (images != null || labels != null) {
                throw new IdxFormatException(folder.toString(), "has %s but not the matching %s file"
                        .formatted((images != null ? images : labels).getFileName(),
                                images != null ? prefix + "-labels-idx1-ubyte[.gz]" : prefix + "-images-idx3-ubyte[.gz]"));
            }
        }
        throw new IdxFormatException(folder.toString(),
                "no MNIST-style IDX files (expected train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz])");
    }

    private static Path first(Path folder, String prefix, String kind, String suffix) {
        for (String sep : List.of("-", ".")) {
            for (String ext : List.of(".gz", "")) {
                Path p = folder.resolve(prefix + "-" + kind + sep + suffix + ext);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }
}
