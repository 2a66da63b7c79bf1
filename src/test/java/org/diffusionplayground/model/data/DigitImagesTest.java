package org.diffusionplayground.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DigitImagesTest {

    @Test
    void toUnitMapsMinusOneToZeroAndOneToOneAndClipsBeyond() {
        INDArray x = Nd4j.createFromArray(-2f, -1f, 0f, 0.5f, 1f, 3f, Float.NaN);
        assertArrayEquals(new float[] {0f, 0f, 0.5f, 0.75f, 1f, 1f, 0f}, DigitImages.toUnit(x).toFloatVector(), 0f);
    }

    @Test
    void gridHasCeilSqrtColumnsAndScaledTilesWithGaps() {
        // 5 images of 2×3 → 3 columns, 2 rows; scale 2, gap 1: width 3·6 + 2 = 20, height 2·4 + 1 = 9
        DigitImages.Grid g = DigitImages.grid(Nd4j.zeros(DataType.FLOAT, 5, 1, 2, 3), 2, 1);
        assertEquals(3, g.columns());
        assertEquals(2, g.rows());
        assertEquals(20, g.width());
        assertEquals(9, g.height());
        assertEquals(20 * 9, g.grey().length);
        assertEquals(DigitImages.GAP_GREY, g.at(6, 0), "column gap");
        assertEquals(DigitImages.GAP_GREY, g.at(0, 4), "row gap");
        assertEquals(DigitImages.GAP_GREY, g.at(19, 8), "the empty sixth tile");
        assertEquals(128, g.at(0, 0), "x = 0 → round(127.5) = 128");
    }

    @Test
    void eachSourcePixelBecomesAScaledBlockAtItsTile() {
        // two 2×2 images: image 1 has x = 1 at (row 1, col 0), everything else −1; scale 3, gap 2
        float[] v = new float[8];
        java.util.Arrays.fill(v, -1f);
        v[4 + 2] = 1f;
        DigitImages.Grid g = DigitImages.grid(Nd4j.create(v, new long[] {2, 2, 2}, 'c'), 3, 2);
        assertEquals(2, g.columns());
        int left = 6 + 2; // second tile starts after one 6-pixel tile and a 2-pixel gap
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                int expected = (y >= 3 && x < 3) ? 255 : 0;
                assertEquals(expected, g.at(left + x, y), "tile 1 pixel (" + x + ", " + y + ")");
                assertEquals(0, g.at(x, y), "tile 0 pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void gridRejectsNonImageShapes() {
        assertThrows(IllegalArgumentException.class, () -> DigitImages.grid(Nd4j.zeros(DataType.FLOAT, 4, 2), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> DigitImages.grid(Nd4j.zeros(DataType.FLOAT, 4, 3, 2, 2), 1, 0));
    }
}
