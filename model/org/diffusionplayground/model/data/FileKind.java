package org.diffusionplayground.model.data;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a file that is not IDX looks like, from its first bytes, for a message a user can act on
 * ("it looks like text, starting “this is …”" rather than "wrong magic number 1952999795").
 */
final class FileKind {

    private FileKind() {
    }

    /** A few words on what {@code head} (the file's first bytes; {@code magic} = its first four, big-endian) is. */
    static String describe(int magic, byte[] head) {
        String known = signature(head);
        if (known != null) return "it looks like " + known;
        if (head.length > 0 && isText(head)) return "it looks like text, starting “" + firstLine(head) + "”";
        if ((magic >>> 16) == 0 && (magic >>> 8 & 0xFF) >= 0x08 && (magic >>> 8 & 0xFF) <= 0x0E) {
            return "it is an IDX file of another kind (element type 0x%02X, %d dimensions)".formatted(magic >>> 8 & 0xFF, magic & 0xFF);
        }
        return "its first bytes are " + hex(head, 4);
    }

    private static String signature(byte[] h) {
        if (starts(h, 0x89, 'P', 'N', 'G')) return "a PNG image";
        if (starts(h, 0xFF, 0xD8, 0xFF)) return "a JPEG image";
        if (starts(h, 'P', 'K', 3, 4)) return "a ZIP archive";
        if (starts(h, 0x93, 'N', 'U', 'M', 'P', 'Y')) return "a NumPy .npy array";
        if (starts(h, '%', 'P', 'D', 'F')) return "a PDF document";
        if (starts(h, 0x1F, 0x8B)) return "a gzip file (compressed twice?)";
        return null;
    }

    private static boolean starts(byte[] h, int... bytes) {
        if (h.length < bytes.length) return false;
        for (int i = 0; i < bytes.length; i++) if ((h[i] & 0xFF) != bytes[i]) return false;
        return true;
    }

    /** Printable ASCII, tabs and line breaks, or UTF-8's multi-byte characters: no control bytes. */
    private static boolean isText(byte[] h) {
        for (byte b : h) {
            int c = b & 0xFF;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
            if (c == 0x7F) return false;
        }
        return true;
    }

    private static String firstLine(byte[] h) {
        String text = new String(h, StandardCharsets.UTF_8).replace('\uFFFD', ' ');
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).strip();
        return line.length() > 40 ? line.substring(0, 40) + "…" : line;
    }

    private static String hex(byte[] h, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, h.length); i++) s.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", h[i] & 0xFF));
        return s.toString();
    }
}
