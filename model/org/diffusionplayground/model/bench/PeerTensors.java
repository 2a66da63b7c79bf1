package org.diffusionplayground.model.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named float tensors in the file format the PyTorch peers read and write ({@code weights FILE},
 * {@code output IN OUT} of {@code assets/peer/unet_torch.py}): per tensor a UTF-8 line
 * "NAME RANK D0 D1 …", then its values, row-major, as little-endian float32. Shapes are ND4J's
 * (a conv weight [k, k, in, out]); the peer converts. Integer tensors (labels) travel as floats,
 * exact below 2²⁴.
 */
public final class PeerTensors {

    private PeerTensors() {
    }

    public static void write(Map<String, INDArray> tensors, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
                INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
                String dims = Arrays.stream(a.shape()).mapToObj(Long::toString).collect(Collectors.joining(" "));
                out.write("%s %d %s\n".formatted(e.getKey(), a.rank(), dims).getBytes(StandardCharsets.UTF_8));
                ByteBuffer bytes = ByteBuffer.allocate(4 * (int) a.length()).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(a.data().asFloat());
                out.write(bytes.array());
            }
        }
    }

    /** The tensors of {@code file} in file order. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (String header = line(in); header != null; header = line(in)) {
                String[] parts = header.strip().split(" ");
                int rank = Integer.parseInt(parts[1]);
                long[] shape = new long[rank];
                for (int i = 0; i < rank; i++) shape[i] = Long.parseLong(parts[2 + i]);
                byte[] raw = new byte[4 * (int) Arrays.stream(shape).reduce(1, Math::multiplyExact)];
                in.readFully(raw);
                float[] values = new float[raw.length / 4];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                tensors.put(parts[0], Nd4j.create(values, shape, 'c'));
            }
        } catch (EOFException | RuntimeException e) {
            throw new IOException("%s is not a tensor file: %s".formatted(file, e.getMessage()), e);
        }
        return tensors;
    }

    /** The next header line without its newline, or null at the end of the file. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (bytes.size() == 0) return null;
                throw new EOFException("the file ends inside a header");
            }
            bytes.write(c);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
