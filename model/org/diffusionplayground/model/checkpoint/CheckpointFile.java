package org.diffusionplayground.model.checkpoint;

import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.train.TrainConfig;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import com.google.gson.JsonElement;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The on-disk form of a {@link Checkpoint}: plain data only, so loading never executes anything
 * from the file (no Java or Jackson polymorphic deserialisation, no stored graph — the graph is
 * rebuilt from the config by our own code and only arrays are read).
 * <pre>
 *   "DPCKPT01" · int32 n · n bytes of UTF-8 JSON (format, architecture, its config, the training
 *   config, step, tensor table: group, name, shape)
 *   · float32 data of each tensor in table order (big-endian) · int64 CRC-32 of all bytes before it
 * </pre>
 * Writes are atomic: a temporary file in the same folder is written, forced to disk, and renamed
 * over the target, so a crash leaves either the old file or the new one, never half of one.
 */
public final class CheckpointFile {

    /** The header format written; 1 (U-Net only, no architecture field) is still read. */
    static final int FORMAT = 2;
    static final byte[] MAGIC = "DPCKPT01".getBytes(StandardCharsets.US_ASCII);
    static final String WEIGHTS = "weights", EMA = "ema", OPT = "opt.";
    private static final int MAX_HEADER = 4 << 20;
    private static final Gson GSON = new GsonBuilder().create();

    private record Tensor(String group, String name, long[] shape) {
    }

    /** Format 2 names the architecture; format 1 (before there was more than one) is a U-Net. */
    private record Header(int format, String architecture, JsonElement model, TrainConfig train, int step, Double loss,
                          List<Tensor> tensors) {
    }

    private CheckpointFile() {
    }

    public static void write(Checkpoint c, Path file) throws IOException {
        List<Tensor> table = new ArrayList<>();
        List<INDArray> arrays = new ArrayList<>();
        addGroup(WEIGHTS, c.weights(), table, arrays);
        addGroup(EMA, c.ema(), table, arrays);
        for (Map.Entry<String, Map<String, INDArray>> e : c.optimizer().entrySet()) {
            addGroup(OPT + e.getKey(), e.getValue(), table, arrays);
        }
        Double loss = Double.isFinite(c.loss()) ? c.loss() : null;
        Header header = new Header(FORMAT, c.model().architecture().id(), GSON.toJsonTree(c.model()), c.train(), c.step(),
                loss, table);
        byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + json.length);
            head.put(MAGIC).putInt(json.length).put(json).flip();
            writeAll(ch, head, crc);
            for (INDArray a : arrays) {
                float[] values = HeapArrays.floats(a);
                ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
                buf.asFloatBuffer().put(values);
                writeAll(ch, buf, crc);
            }
            ByteBuffer tail = ByteBuffer.allocate(8).putLong(crc.getValue());
            tail.flip();
            while (tail.hasRemaining()) ch.write(tail);
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
    }

    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new CheckpointException("no checkpoint file " + file);
        long size = Files.size(file);
        String where = file.toString();
        CRC32 crc = new CRC32();
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
            byte[] magic = readExactly(in, MAGIC.length, crc, where);
            if (!Arrays.equals(magic, MAGIC)) throw new CheckpointException(where + " is not a Diffusion Playground checkpoint (bad magic)");
            int jsonLength = ByteBuffer.wrap(readExactly(in, 4, crc, where)).getInt();
            if (jsonLength <= 0 || jsonLength > MAX_HEADER || jsonLength > size) {
                throw new CheckpointException(where + " is corrupt: header length " + jsonLength);
            }
            Header h = parseHeader(readExactly(in, jsonLength, crc, where), where);
            long floats = 0;
            for (Tensor t : h.tensors()) floats += count(t, where);
            long expected = MAGIC.length + 4L + jsonLength + 4 * floats + 8;
            if (size != expected) throw new CheckpointException("%s is %s: %d bytes, its header describes %d"
                    .formatted(where, size < expected ? "truncated" : "corrupt", size, expected));
            Map<String, INDArray> weights = new LinkedHashMap<>(), ema = new LinkedHashMap<>();
            Map<String, Map<String, INDArray>> opt = new LinkedHashMap<>();
            for (Tensor t : h.tensors()) {
                byte[] bytes = readExactly(in, Math.toIntExact(4 * count(t, where)), crc, where);
                float[] values = new float[bytes.length / 4];
                ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
                INDArray array = Nd4j.create(values, t.shape(), 'c');
                Map<String, INDArray> group = switch (t.group()) {
                    case WEIGHTS -> weights;
                    case EMA -> ema;
                    default -> {
                        if (!t.group().startsWith(OPT)) throw new CheckpointException(where + " has an unknown tensor group " + t.group());
                        yield opt.computeIfAbsent(t.group().substring(OPT.length()), k -> new LinkedHashMap<>());
                    }
                };
                if (group.put(t.name(), array) != null) throw new CheckpointException(where + " repeats tensor " + t.name());
            }
            long stored = ByteBuffer.wrap(in.readNBytes(8)).getLong();
            if (stored != crc.getValue()) throw new CheckpointException(where + " is corrupt: checksum mismatch");
            return new Checkpoint(config(h, where), h.train(), h.step(), h.loss() == null ? Double.NaN : h.loss(), weights, ema, opt);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + " is not a usable checkpoint: " + e.getMessage(), e);
        }
    }

    private static Header parseHeader(byte[] json, String where) throws CheckpointException {
        try {
            Header h = GSON.fromJson(new String(json, StandardCharsets.UTF_8), Header.class);
            if (h != null && h.format() > FORMAT) throw new CheckpointException(
                    "%s was written by a newer Diffusion Playground (checkpoint format %d; this version reads 1–%d)"
                            .formatted(where, h.format(), FORMAT));
            if (h == null || h.format() < 1 || h.model() == null || h.tensors() == null) {
                throw new CheckpointException(where + " has an unsupported or incomplete header");
            }
            return h;
        } catch (JsonParseException e) {
            throw new CheckpointException(where + " has a corrupt header: " + e.getMessage(), e);
        }
    }

    /** The network config of a header, read as its architecture's config record. */
    private static NetworkConfig config(Header h, String where) throws CheckpointException {
        String id = h.format() == 1 ? Architecture.UNET.id() : h.architecture();
        if (id == null) throw new CheckpointException(where + " does not name its architecture");
        Architecture architecture;
        try {
            architecture = Architecture.parse(id);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + " holds a network this version does not know: " + e.getMessage(), e);
        }
        try {
            NetworkConfig config = GSON.fromJson(h.model(), architecture.configType());
            if (config == null) throw new CheckpointException(where + " has an empty " + id + " config");
            return config;
        } catch (JsonParseException e) {
            throw new CheckpointException("%s has a malformed %s config: %s".formatted(where, id, e.getMessage()), e);
        }
    }

    private static long count(Tensor t, String where) throws CheckpointException {
        if (t.name() == null || t.group() == null || t.shape() == null || t.shape().length > 8) {
            throw new CheckpointException(where + " has a malformed tensor entry");
        }
        long n = 1;
        for (long d : t.shape()) {
            if (d < 1 || d > 1 << 24) throw new CheckpointException(where + " tensor " + t.name() + " has bad shape "
                    + Arrays.toString(t.shape()));
            n *= d;
            if (n > 1 << 28) throw new CheckpointException(where + " tensor " + t.name() + " is implausibly large");
        }
        return n;
    }

    private static void addGroup(String group, Map<String, INDArray> arrays, List<Tensor> table, List<INDArray> out) {
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            table.add(new Tensor(group, e.getKey(), e.getValue().shape()));
            out.add(e.getValue());
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf, CRC32 crc) throws IOException {
        crc.update(buf.duplicate());
        while (buf.hasRemaining()) ch.write(buf);
    }

    private static byte[] readExactly(InputStream in, int n, CRC32 crc, String where) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new CheckpointException(where + " is truncated");
        crc.update(b);
        return b;
    }

    /** Makes the rename durable (POSIX); a no-op where directories cannot be opened (Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the file itself is already forced
        }
    }
}
