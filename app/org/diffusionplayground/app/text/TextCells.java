package org.diffusionplayground.app.text;

import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.viz.CharacterGridView.Cells;
import org.diffusionplayground.viz.CharacterGridView.State;

/** Ids as the character grid's cells: the states of the forward scrub and of a recorded reverse frame. */
final class TextCells {

    private TextCells() {
    }

    /** The forward process at scrub step k: clean, masked, or corrupted (resampled to another character). */
    static Cells forward(TextCorpus corpus, TextCorruption c, int k) {
        int[] clean = c.clean(), z = c.at(k);
        char[] chars = new char[z.length];
        State[] states = new State[z.length];
        for (int i = 0; i < z.length; i++) {
            chars[i] = z[i] == c.maskId() ? ' ' : corpus.character(z[i]);
            states[i] = z[i] == c.maskId() ? State.MASKED : z[i] == clean[i] ? State.CLEAN : State.CHANGED;
        }
        return new Cells(chars, states, new float[z.length]);
    }

    /**
     * Frame k of a reverse run: given (clamped) positions, masks, positions revealed by this step,
     * changed by it (uniform, remasking), and those revealed earlier shaded by their confidence then.
     */
    static Cells reverse(TextCorpus corpus, TextRecording r, int k, int[] fixed) {
        int n = r.length(), mask = r.maskId();
        int[] z = r.tokens(k), before = k > 0 ? r.tokens(k - 1) : z, at = r.changedAt(k);
        float[] conf = r.confidence(k);
        char[] chars = new char[n];
        State[] states = new State[n];
        float[] shade = new float[n];
        for (int i = 0; i < n; i++) {
            chars[i] = z[i] == mask ? ' ' : corpus.character(z[i]);
            if (fixed[i] >= 0) states[i] = State.GIVEN;
            else if (z[i] == mask) states[i] = State.MASKED;
            else if (k > 0 && z[i] != before[i]) states[i] = before[i] == mask ? State.NEW : State.CHANGED;
            else {
                states[i] = State.EARLIER;
                shade[i] = at[i] > 0 ? conf[i] : 0;
            }
        }
        return new Cells(chars, states, shade);
    }

    /** Per position, when it was last revealed (or changed) by frame k, as a share of the run: NaN if not yet. */
    static double[] revealOrder(TextRecording r, int k, int[] fixed) {
        int[] at = r.changedAt(k);
        double[] v = new double[r.length()];
        for (int i = 0; i < v.length; i++) v[i] = at[i] == 0 || fixed[i] >= 0 ? Double.NaN : (at[i] - 1.0) / Math.max(1, r.steps() - 1);
        return v;
    }
}
