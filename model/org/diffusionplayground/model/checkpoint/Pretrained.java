package org.diffusionplayground.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where shipped weights are found: {@code pretrained/<file>} in the working directory (a
 * checkout, or files next to the jar), else {@code /pretrained/<file>} on the class path (the
 * pom packs {@code pretrained/} into the jar). A class-path file is copied once per process to a
 * temporary file, because the readers (SameDiff, {@code CheckpointFile}) take paths.
 */
public final class Pretrained {

    /** The folder, relative to the working directory and to the class-path root. */
    public static final String FOLDER = "pretrained";
    /** Plain file names only: no separators, no "..", so a name can never leave the folder. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    private Pretrained() {
    }

    /** Whether {@code fileName} is a plain file name a pretrained file could have. */
    public static boolean isPlainName(String fileName) {
        return NAME.matcher(fileName).matches() && !fileName.contains("..");
    }

    /** The file {@code pretrained/<fileName>}, from the working directory or the class path. */
    public static Optional<Path> locate(String fileName) {
        if (!isPlainName(fileName)) return Optional.empty();
        Path local = Path.of(FOLDER, fileName);
        if (Files.isRegularFile(local)) return Optional.of(local);
        return Optional.ofNullable(EXTRACTED.computeIfAbsent(fileName, Pretrained::extract));
    }

    /** Where {@link #locate} looks, for messages. */
    public static String searched(String fileName) {
        return "%s or /%s/%s on the class path".formatted(Path.of(FOLDER, fileName).toAbsolutePath(), FOLDER, fileName);
    }

    private static Path extract(String fileName) {
        try (InputStream in = Pretrained.class.getResourceAsStream("/" + FOLDER + "/" + fileName)) {
            if (in == null) return null;
            Path tmp = Files.createTempFile("pretrained-", "-" + fileName);
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract /%s/%s from the class path: %s"
                    .formatted(FOLDER, fileName, e.getMessage()), e);
        }
    }
}
