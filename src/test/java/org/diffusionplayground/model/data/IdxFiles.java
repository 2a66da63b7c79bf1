package org.diffusionplayground.model.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files byte by byte for the loader tests. */
final class IdxFiles {

    private IdxFiles() {
    }

    /** IDX3 bytes: magic, count, rows, cols, then pixel k of the body = (k * 7) mod 256. */
    static byte[] images(int magic, int count, int rows, int cols, int bodyBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int k = 0; k < bodyBytes; k++) out.writeByte((k * 7) & 0xFF);
        return bytes.toByteArray();
    }

    static byte[] images(int count, int rows, int cols) throws IOException {
        return images(IdxReader.IMAGES_MAGIC, count, rows, cols, count * rows * cols);
    }

    /** IDX1 bytes: magic, count, then the given labels. */
    static byte[] labels(int magic, int count, int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        for (int label : labels) out.writeByte(label);
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        return Files.write(file, content);
    }

    static Path writeGz(Path file, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
        return file;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
