package org.diffusionplayground.app.compare;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.label;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.diffusionplayground.app.imagemodel.SamplerNotes;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.viz.ImageGridView;

/** One column of the Compare page: its contender's final images, x̂0 filmstrip, NFE and time, citation and caveat. */
final class CompareColumn {

    private CompareColumn() {
    }

    /** Column {@code i} of the page's current lineup, bound to its lane. */
    static VBox of(CompareModel model, int i, Contender col) {
        ObjectBinding<CompareModel.Lane> lane = Bindings.createObjectBinding(() -> {
            var lanes = model.lanesProperty().get();
            return i < lanes.size() && lanes.get(i).contender().equals(col) ? lanes.get(i) : null;
        }, model.lanesProperty());
        ImageGridView images = new ImageGridView();
        images.setId("compare-images-" + i);
        images.columnsProperty().set(CompareModel.GRID);
        images.imagesProperty().bind(Bindings.createObjectBinding(() -> lane.get() == null ? null : lane.get().images(), lane));
        ImageGridView film = new ImageGridView();
        film.setId("compare-film-" + i);
        film.columnsProperty().set(CompareModel.FILM);
        film.imagesProperty().bind(Bindings.createObjectBinding(() -> lane.get() == null ? null : lane.get().filmstrip(), lane));
        Label summary = label("", "readout");
        summary.setId("compare-summary-" + i);
        summary.textProperty().bind(Bindings.createStringBinding(() -> lane.get() != null ? lane.get().summary()
                : !model.computingProperty().get() ? ""
                : model.quality().computingProperty().get() ? "waits for FID-lite (one job at a time)" : "sampling…",
                lane, model.computingProperty(), model.quality().computingProperty()));
        Label filmLabel = label("x̂₀ along the run", "field-note");
        filmLabel.setTooltip(new Tooltip("The model's guess x̂₀ at evenly spaced steps of the run, from x_T (left) to the end (right)"));
        images.setMinHeight(80); // on a short window the images shrink before anything is pushed off screen
        film.setMinHeight(50);
        images.setPrefHeight(230);
        images.setMaxHeight(260);
        images.setMinWidth(0);
        film.setPrefHeight(150); // 6 frames side by side: about 1× in a fifth of the page
        film.setMinWidth(0);
        film.setMaxHeight(170);
        wrap(filmLabel);
        wrap(summary); // "NFE 20 · 1.09 s" on two lines rather than cut in a column of a 1024-pixel window
        summary.setMinHeight(Region.USE_PREF_SIZE);
        VBox box = new VBox(8, summary, images, filmLabel, film);
        // beside the flow model the title is the sampler and a line under it the model: "diffusion · dpm-solver++" does not fit
        // a column of a 1024-pixel window
        boolean bothModels = !col.name().equals(col.sampler().cliName());
        if (bothModels) {
            Label family = label(col.family() == PathFamily.FLOW ? "flow model" : "diffusion model", "field-label");
            family.setId("compare-family-" + i);
            family.getStyleClass().add("compare-family");
            box.getChildren().add(0, family);
        }
        VBox card = card(col.sampler().cliName(), box);
        Label cite = label(col.sampler().citation(), "field-note");
        cite.setTooltip(new Tooltip(col.sampler().citation())); // a narrow column (a 1024-pixel window) cuts it
        wrap(cite);
        box.getChildren().add(cite);
        Label caveat = label("", "field-note");
        caveat.setId("compare-note-" + i);
        caveat.getStyleClass().add("caveat");
        wrap(caveat);
        caveat.setMinHeight(Region.USE_PREF_SIZE); // all of its two lines, at the images' expense
        caveat.textProperty().bind(Bindings.createStringBinding(() -> SamplerNotes.fewStepsShort(col.sampler(), steps(model, col)),
                model.stepsProperty(), model.comparisonProperty()));
        Tooltip why = new Tooltip();
        why.setWrapText(true);
        why.setMaxWidth(420);
        why.textProperty().bind(Bindings.createStringBinding(() -> SamplerNotes.fewSteps(col.sampler(), steps(model, col)),
                model.stepsProperty(), model.comparisonProperty()));
        caveat.setTooltip(why);
        caveat.visibleProperty().bind(caveat.textProperty().isNotEmpty());
        caveat.managedProperty().bind(caveat.visibleProperty());
        cite.visibleProperty().bind(caveat.visibleProperty().not()); // the column's room goes to the note
        cite.managedProperty().bind(cite.visibleProperty());
        box.getChildren().add(caveat);
        return card;
    }

    /** The steps the column takes: the page's, or those that spend the page's NFE beside the flow model. */
    private static int steps(CompareModel model, Contender col) {
        int n = model.stepsProperty().get();
        return model.comparisonProperty().get() == Comparison.DIFFUSION_VS_FLOW ? col.stepsFor(n) : n;
    }

    private static void wrap(Label l) {
        l.setWrapText(true);
        l.setMinWidth(0);
        l.setPrefWidth(100);
        l.setMaxWidth(Double.MAX_VALUE);
    }
}
