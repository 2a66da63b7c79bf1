package org.diffusionplayground.model.train;

import java.util.SplittableRandom;

/**
 * The order in which a run visits its examples: epoch after epoch, each a permutation seeded by
 * (seed, epoch) (Fisher–Yates), so example j of batch k is a pure function of (seed, k, j).
 */
public final class ExampleOrder {

    private final long seed;
    private final int size;
    private int epoch = -1;
    private int[] permutation;

    public ExampleOrder(long seed, int size) {
        if (size < 1) throw new IllegalArgumentException("no examples to order");
        this.seed = seed;
        this.size = size;
    }

    /** The example at {@code position} = k·batch + j of the run. */
    public int at(long position) {
        int e = (int) (position / size);
        if (e != epoch) {
            SplittableRandom random = new SplittableRandom(seed * 31 + e);
            permutation = new int[size];
            for (int i = 0; i < size; i++) permutation[i] = i;
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1), tmp = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = tmp;
            }
            epoch = e;
        }
        return permutation[(int) (position % size)];
    }
}
