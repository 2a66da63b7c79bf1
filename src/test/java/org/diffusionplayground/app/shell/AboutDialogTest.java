package org.diffusionplayground.app.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.diffusionplayground.model.sampling.tokens.RevealOrder;
import org.junit.jupiter.api.Test;

/** About names the paper behind every text algorithm the app runs (no toolkit: the references are plain records). */
class AboutDialogTest {

    private final List<AboutDialog.Reference> refs = AboutDialog.references();

    private String paperOf(String what) {
        return refs.stream().filter(r -> r.paper() != null && r.what().toLowerCase(Locale.ROOT).contains(what))
                .map(AboutDialog.Reference::paper).findFirst().orElse("(none)");
    }

    @Test
    void everyTextAlgorithmNamesItsPaper() {
        assertTrue(refs.stream().anyMatch(r -> r.paper() == null && r.what().startsWith("Text")), "a heading for text");
        String[][] expected = {
                {"masked diffusion", "Sahoo et al. 2024"},
                {"weighted cross-entropy", "Shi et al. 2024"},
                {"uniform diffusion", "Lou, Meng & Ermon 2023"},
                {"remasking", "Wang et al. 2025"},
                {"most confident", "Chang et al. 2022"},
                {"lowest entropy", "Ye et al. 2025"},
                {"semi-autoregressive blocks", "Nie et al. 2025"},
                {"rotary", "Su et al. 2021"},
                {"adaln", "Peebles & Xie 2023"},
                {"tiny shakespeare", "Karpathy"}};
        for (String[] e : expected) assertTrue(paperOf(e[0]).startsWith(e[1]), e[0] + " → " + paperOf(e[0]));
    }

    @Test
    void everyPlannedRevealOrderHasAReference() {
        for (RevealOrder o : RevealOrder.values()) {
            if (o == RevealOrder.RANDOM) continue; // MDLM's own order
            String word = switch (o) {
                case CONFIDENCE -> "confident";
                case MARGIN -> "margin";
                case ENTROPY -> "entropy";
                default -> o.name();
            };
            assertTrue(refs.stream().anyMatch(r -> r.what().startsWith("reveal order") && r.what().contains(word)), o.name());
        }
    }
}
