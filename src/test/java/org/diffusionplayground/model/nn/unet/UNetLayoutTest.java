package org.diffusionplayground.model.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.diffusionplayground.model.nn.unet.UNetLayout.Attention;
import org.diffusionplayground.model.nn.unet.UNetLayout.Block;
import org.diffusionplayground.model.nn.unet.UNetLayout.Downsample;
import org.diffusionplayground.model.nn.unet.UNetLayout.Input;
import org.diffusionplayground.model.nn.unet.UNetLayout.Output;
import org.diffusionplayground.model.nn.unet.UNetLayout.Residual;
import org.diffusionplayground.model.nn.unet.UNetLayout.Upsample;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The block list every pass walks, against the U-Net drawn in {@link UNetLayout}'s comment. */
class UNetLayoutTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Test
    void referenceLayoutIsTheDrawnUNetAt28And14And7Pixels() {
        List<Block> expected = List.of(
                new Input("in", 1, 32, 28),
                new Residual("down1", 32, 32, 28),
                new Downsample("down1.pool", 32, 28),
                new Residual("down2", 32, 64, 14),
                new Downsample("down2.pool", 64, 14),
                new Residual("mid1", 64, 128, 7),
                new Attention("mid.attn", 128, 7),
                new Residual("mid2", 128, 128, 7),
                new Upsample("up2.cat", 128, "down2", 64, 7),
                new Residual("up2", 192, 64, 14),
                new Upsample("up1.cat", 64, "down1", 32, 14),
                new Residual("up1", 96, 32, 28),
                new Output("out", 32, 1, 28));
        assertEquals(expected, UNetLayout.of(UNetConfig.reference()).blocks());
    }

    @Test
    void withoutAttentionOnlyTheAttentionBlockIsMissing() {
        List<Block> small = UNetLayout.of(UNetConfig.small()).blocks();
        assertEquals(12, small.size());
        assertTrue(small.stream().noneMatch(b -> b instanceof Attention), small.toString());
    }

    /** Checkpoints load weights by name: each is a block's or the embedding's; every block but a concat has some. */
    @Test
    void weightsOfTheGraphAreNamedByTheirBlocks() {
        UNetConfig config = UNetConfig.reference();
        List<Block> blocks = UNetLayout.of(config).blocks();
        Set<String> weights = UNet.create(config, 0).weights().keySet();
        for (String weight : weights) {
            assertTrue(weight.startsWith("emb.") || blocks.stream().anyMatch(b -> weight.startsWith(b.name() + ".")),
                    weight + " is no block's");
        }
        for (Block b : blocks) {
            boolean has = weights.stream().anyMatch(w -> w.startsWith(b.name() + "."));
            assertEquals(!(b instanceof Upsample), has, b.name() + " has weights");
        }
    }
}
