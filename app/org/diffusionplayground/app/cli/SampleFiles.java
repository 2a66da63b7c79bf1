package org.diffusionplayground.app.cli;

import org.diffusionplayground.model.nn.HeapArrays;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.diffusionplayground.model.data.DigitImages;
import org.diffusionplayground.model.data.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The file formats {@code sample} writes, chosen by the extension of {@code --out}. */
enum SampleFiles {
    /** 2-D points: a header line, then one sample per row. */
    CSV,
    /** float32, C order: points [N, d] as sampled; images [N, H, W] in [0, 1]. */
    NPY,
    /** Images: one grey grid, ⌈√N⌉ columns (see {@link DigitImages#grid}). */
    PNG;

    /** The format of {@code out}, checked against the kind of samples; message names --out. */
    static SampleFiles of(Path out, boolean images) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        SampleFiles format = name.endsWith(".csv") ? CSV : name.endsWith(".npy") ? NPY : name.endsWith(".png") ? PNG : null;
        if (format == null) {
            throw new IllegalArgumentException("--out ('%s') must end in %s".formatted(out, images ? ".png or .npy" : ".csv or .npy"));
        }
        if (images && format == CSV) {
            throw new IllegalArgumentException("--out ('%s'): CSV holds 2-D points; an image model writes .png (a grid) or .npy".formatted(out));
        }
        if (!images && format == PNG) {
            throw new IllegalArgumentException("--out ('%s'): PNG is for image models; 2-D points are written as .csv or .npy".formatted(out));
        }
        return format;
    }

    /**
     * @param x      samples [N, d] or images [N, 1, H, W] in [−1, 1]
     * @param scale  PNG: pixels per image pixel
     * @param header CSV: write the header line
     */
    void write(INDArray x, Path file, int scale, boolean header) throws IOException {
        switch (this) {
            case CSV -> writeCsv(x, file, header);
            case NPY -> writeNpy(x, file);
            case PNG -> writePng(x, file, scale);
        }
    }

    /** One row per sample, comma-separated, shortest float representation, '.' decimal point. */
    static void writeCsv(INDArray x, Path file, boolean header) throws IOException {
        long rows = x.size(0), cols = x.size(1);
        float[] values = HeapArrays.floats(x);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); PrintWriter p = new PrintWriter(w)) {
            if (header) p.print(cols == 2 ? "x,y\n" : columnNames(cols));
            StringBuilder line = new StringBuilder();
            for (long r = 0; r < rows; r++) {
                line.setLength(0);
                for (long c = 0; c < cols; c++) {
                    if (c > 0) line.append(',');
                    line.append(values[(int) (r * cols + c)]);
                }
                p.print(line.append('\n'));
            }
        }
    }

    private static String columnNames(long cols) {
        StringBuilder s = new StringBuilder();
        for (long c = 0; c < cols; c++) s.append(c == 0 ? "" : ",").append("x").append(c);
        return s.append('\n').toString();
    }

    /** Points as they are; images [N, 1, H, W] as [N, H, W] mapped to [0, 1] with clipping. */
    static void writeNpy(INDArray x, Path file) throws IOException {
        long[] s = x.shape();
        if (s.length == 4) {
            INDArray unit = DigitImages.toUnit(x);
            Npy.writeFloat32(file, unit.data().asFloat(), s[0], s[2], s[3]);
        } else if (s.length == 2) {
            Npy.writeFloat32(file, HeapArrays.floats(x), s);
        } else {
            throw new IllegalArgumentException("cannot write samples of shape " + Arrays.toString(s));
        }
    }

    /** An 8-bit grey PNG, written to a temporary file and renamed, like the other outputs. */
    static void writePng(INDArray x, Path file, int scale) throws IOException {
        DigitImages.Grid grid = DigitImages.grid(x, scale, Math.max(1, scale));
        BufferedImage image = new BufferedImage(grid.width(), grid.height(), BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, grid.width(), grid.height(), grid.grey());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) throw new IOException("no PNG writer in this Java runtime");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
