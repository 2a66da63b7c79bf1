package org.diffusionplayground.model.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes and reads NumPy {@code .npy} files (format version 1.0: magic "\x93NUMPY", a
 * little-endian header length, a Python-literal header padded with spaces to a multiple of 64
 * bytes, then the raw little-endian data in C order), so samples open with {@code numpy.load}.
 */
public final class Npy {

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A float32 array as read: its shape and its values in C order. */
    public record Float32(long[] shape, float[] data) {
    }

    /**
     * Reads a version-1.0 file of little-endian float32 in C order, as {@link #writeFloat32}
     * writes it; anything else is rejected with the file named.
     */
    public static Float32 readFloat32(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 10 || in.get(0) != (byte) 0x93 || in.get(6) != 1) {
            throw new IOException(file + ": not a version-1.0 .npy file");
        }
        int headerLength = Short.toUnsignedInt(in.getShort(8));
        String header = new String(in.array(), 10, headerLength, StandardCharsets.US_ASCII);
        Matcher shape = SHAPE.matcher(header);
        if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False") || !shape.find()) {
            throw new IOException(file + ": not little-endian float32 in C order: " + header.strip());
        }
        long[] dims = Arrays.stream(shape.group(1).split(",")).map(String::strip).filter(d -> !d.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        if (in.capacity() - 10 - headerLength != 4 * count) {
            throw new IOException("%s: shape %s needs %d bytes of data, the file has %d".formatted(file,
                    Arrays.toString(dims), 4 * count, in.capacity() - 10 - headerLength));
        }
        float[] data = new float[Math.toIntExact(count)];
        in.position(10 + headerLength);
        in.asFloatBuffer().get(data);
        return new Float32(dims, data);
    }

    /** Writes float32 data of the given shape, atomically (temp file, then rename). */
    public static void writeFloat32(Path file, float[] data, long... shape) throws IOException {
        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (count != data.length) {
            throw new IllegalArgumentException("shape %s holds %d values, data has %d"
                    .formatted(Arrays.toString(shape), count, data.length));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(header("<f4", shape));
            ByteBuffer buffer = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(data);
            out.write(buffer.array());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static byte[] header(String descr, long... shape) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        if (shape.length == 1) dims += ",";
        String dict = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }".formatted(descr, dims);
        int unpadded = 10 + dict.length() + 1; // magic(6) + version(2) + length(2) + dict + '\n'
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        out.putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
        return out.array();
    }
}
