package org.diffusionplayground.model.nn.unet;

import java.util.ArrayList;
import java.util.List;

/**
 * The U-Net of a {@link UNetConfig} as one list of blocks in forward order: the single
 * description that {@link UNetGraph} (the SameDiff graph, owner of the weights),
 * {@link UNetInference} (the fast forward pass) and {@link UNetBackward} (the same list in
 * reverse) all walk. DDPM's U-Net (Ho et al. 2020, "Denoising diffusion probabilistic models",
 * App. B) cut down to one residual block per level; with channels c1, c2, c3 and S =
 * {@link UNetConfig#SIZE}:
 * <pre>
 *   in          conv3×3 1 → c1                                           S×S
 *   down1       res c1 → c1 ───────────────────────────────── skip ─┐    S×S
 *   down1.pool  conv3×3 stride 2                                    │    → S/2
 *   down2       res c1 → c2 ───────────────────────── skip ─┐       │    S/2
 *   down2.pool  conv3×3 stride 2                            │       │    → S/4
 *   mid1        res c2 → c3                                 │       │    S/4
 *   mid.attn    self-attention (if the config asks for it)  │       │    S/4
 *   mid2        res c3 → c3                                 │       │    S/4
 *   up2.cat     up×2, concat(output of down2) ──────────────┘       │    → S/2
 *   up2         res c3+c2 → c2                                      │    S/2
 *   up1.cat     up×2, concat(output of down1) ──────────────────────┘    → S
 *   up1         res c2+c1 → c1                                           S×S
 *   out         GroupNorm → SiLU → conv3×3 c1 → 1                        S×S
 * </pre>
 * A block's name prefixes its weights ("down1.conv1.w", …; checkpoints match weights by name) and
 * names its output: the passes keep each block's output by that name, and a skip connection
 * ({@link Upsample#skip}) names the block whose output it concatenates.
 */
record UNetLayout(List<Block> blocks) {

    /** Channels of the images the network reads and writes. */
    static final int IMAGE_CHANNELS = 1;

    UNetLayout {
        blocks = List.copyOf(blocks);
    }

    /** One step of the network: its output is the next block's input. */
    sealed interface Block permits Input, Residual, Downsample, Attention, Upsample, Output {
        /** The prefix of this block's weights and the name of its output. */
        String name();
    }

    /** conv3×3, in → out channels, at size×size. */
    record Input(String name, int in, int out, int size) implements Block {
    }

    /**
     * h = conv1(SiLU(GN1(x))) + shift(emb); y = conv2(SiLU(GN2(h))) + skip(x), skip a 1×1 conv
     * ("name.skip") when in ≠ out, else the identity; at size×size. The time/class shift is
     * the dense layer "name.emb" of the embedding.
     */
    record Residual(String name, int in, int out, int size) implements Block {
    }

    /** conv3×3 with stride 2 (padding 1), channels kept: size×size → {@link #outSize()}². */
    record Downsample(String name, int channels, int size) implements Block {
        static final int STRIDE = 2;

        int outSize() {
            return (size + 2 * 1 - 3) / STRIDE + 1;
        }
    }

    /** Single-head self-attention over the size² positions, with a residual connection. */
    record Attention(String name, int channels, int size) implements Block {
    }

    /**
     * Nearest ×2 upsampling of [B, channels, size, size], concatenated along channels with the
     * output of block {@code skip} [B, skipChannels, 2·size, 2·size].
     */
    record Upsample(String name, int channels, String skip, int skipChannels, int size) implements Block {
    }

    /** GroupNorm ("name.norm") → SiLU → conv3×3, in → out channels, at size×size. */
    record Output(String name, int in, int out, int size) implements Block {
        String norm() {
            return name + ".norm";
        }
    }

    /**
     * The blocks of {@code config}: a residual block and a stride-2 conv per level but the last,
     * the middle (residual, optional attention, residual) at the last, then back up, each level
     * concatenating the output of its way down.
     */
    static UNetLayout of(UNetConfig config) {
        int[] channels = {config.channels1(), config.channels2(), config.channels3()};
        int deepest = channels.length - 1;
        List<Block> blocks = new ArrayList<>();
        int c = channels[0], size = UNetConfig.SIZE;
        blocks.add(new Input("in", IMAGE_CHANNELS, c, size));
        int[] sizes = new int[channels.length];
        for (int level = 0; level < deepest; level++) {
            String name = "down" + (level + 1);
            sizes[level] = size;
            blocks.add(new Residual(name, c, channels[level], size));
            c = channels[level];
            Downsample pool = new Downsample(name + ".pool", c, size);
            blocks.add(pool);
            size = pool.outSize();
        }
        sizes[deepest] = size;
        blocks.add(new Residual("mid1", c, channels[deepest], size));
        c = channels[deepest];
        if (config.attention()) blocks.add(new Attention("mid.attn", c, size));
        blocks.add(new Residual("mid2", c, c, size));
        for (int level = deepest - 1; level >= 0; level--) {
            String name = "up" + (level + 1);
            if (2 * size != sizes[level]) throw new IllegalStateException(
                    "upsampling %d×%d gives %d×%d, the skip from down%d is %d×%d"
                            .formatted(size, size, 2 * size, 2 * size, level + 1, sizes[level], sizes[level]));
            blocks.add(new Upsample(name + ".cat", c, "down" + (level + 1), channels[level], size));
            size = sizes[level];
            blocks.add(new Residual(name, c + channels[level], channels[level], size));
            c = channels[level];
        }
        blocks.add(new Output("out", c, IMAGE_CHANNELS, size));
        return new UNetLayout(blocks);
    }

    /** The residual blocks in forward order (each has its own time/class shift). */
    List<Residual> residuals() {
        return blocks.stream().filter(b -> b instanceof Residual).map(b -> (Residual) b).toList();
    }
}
