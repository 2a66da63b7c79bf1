package org.diffusionplayground.app.shell;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;

/** Names the paper behind every algorithm the app shows. */
public final class AboutDialog {

    /** One row: what, and the paper it comes from. */
    public record Reference(String what, String paper) {
    }

    private AboutDialog() {
    }

    /** Every reference, grouped by heading (null paper = heading). */
    public static List<Reference> references() {
        List<Reference> refs = new ArrayList<>();
        refs.add(new Reference("Forward process", null));
        refs.add(new Reference("xₜ = √ᾱₜ·x₀ + √(1−ᾱₜ)·ε", "Ho, Jain & Abbeel 2020, “Denoising Diffusion Probabilistic Models”, eq. 4"));
        refs.add(new Reference("Noise schedules", null));
        for (ScheduleKind c : ScheduleKind.values()) refs.add(new Reference(c.label(), c.citation()));
        refs.add(new Reference("Timestep spacing", null));
        refs.add(new Reference("linear / leading / trailing", "Lin et al. 2024, “Common Diffusion Noise Schedules and Sample Steps Are Flawed”, Table 2"));
        refs.add(new Reference("log-SNR", "Lu et al. 2022, “DPM-Solver”, §3.4"));
        refs.add(new Reference("Samplers", null));
        for (SamplerKind k : SamplerKind.values()) {
            String citation = k.citation();
            int dash = citation.indexOf(" — ");
            refs.add(dash < 0 ? new Reference(k.cliName(), citation)
                    : new Reference(citation.substring(0, dash), citation.substring(dash + 3)));
        }
        refs.add(new Reference("Guidance and x̂₀", null));
        refs.add(new Reference("classifier-free guidance w", "Ho & Salimans 2022, “Classifier-Free Diffusion Guidance”, eq. 6"));
        refs.add(new Reference("x̂₀ clipped to [−1, 1]", "Ho, Jain & Abbeel 2020, as their released sampler does (clip_denoised)"));
        refs.add(new Reference("dynamic thresholding", "Saharia et al. 2022, “Photorealistic Text-to-Image Diffusion Models with Deep Language Understanding” (Imagen), §2.3"));
        refs.add(new Reference("Training and measuring", null));
        refs.add(new Reference("v-prediction", "Salimans & Ho 2022, “Progressive Distillation for Fast Sampling of Diffusion Models”, §4"));
        refs.add(new Reference("FID-lite (Fréchet distance of classifier features)", "Heusel et al. 2017, “GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium”, eq. 6"));
        refs.add(new Reference("± of FID-lite (bootstrap)", "Efron 1979, “Bootstrap Methods: Another Look at the Jackknife”"));
                refs.add(new Reference("2-D lab", null));
        refs.add(new Reference("exact denoiser of a Gaussian mixture", "E[ε | xₜ] by Bayes' rule and Tweedie's formula (Efron 2011; Song et al. 2021, eq. 5)"));
        refs.add(new Reference("sliced Wasserstein distance", "Rabin et al. 2011; Bonneel et al. 2015, “Sliced and Radon Wasserstein barycenters of measures”"));
        refs.add(new Reference("Text (discrete diffusion)", null));
        refs.addAll(textReferences());
        refs.add(new Reference("Data", null));
        refs.add(new Reference("MNIST", "LeCun, Cortes & Burges; LeCun et al. 1998, “Gradient-based learning applied to document recognition”"));
        refs.add(new Reference("Fashion-MNIST", "Xiao, Rasul & Vollgraf 2017, “Fashion-MNIST”"));
        refs.add(new Reference("tiny Shakespeare", "Karpathy 2015, char-rnn (“The Unreasonable Effectiveness of Recurrent Neural Networks”)"));
        return refs;
    }

    /** The papers behind the text page, its samplers, its network and the Train page's text runs. */
    static List<Reference> textReferences() {
        return List.of(
                new Reference("masked diffusion: αₜ = 1 − t, SUBS, the ancestral sampler, the bound in bits/char",
                        "Sahoo et al. 2024, “Simple and Effective Masked Diffusion Language Models” (MDLM), §3, eq. 10"),
                new Reference("the masked bound as a weighted cross-entropy", "Shi et al. 2024, “Simplified and Generalized Masked Diffusion"
                        + " for Discrete Data” (MD4), eq. 5"),
                new Reference("uniform diffusion: geometric noise, score entropy, Tweedie and Euler τ-leaping",
                        "Lou, Meng & Ermon 2023, “Discrete Diffusion Modeling by Estimating the Ratios of the Data Distribution” (SEDD),"
                                + " §3.3, Theorem 4.2, eq. 14"),
                new Reference("remasking η", "Wang et al. 2025, “Remasking Discrete Diffusion Models with Inference-Time Scaling” (ReMDM)"),
                new Reference("reveal order: most confident first", "Chang et al. 2022, “MaskGIT: Masked Generative Image Transformer”, §3.2"),
                new Reference("reveal order: largest margin", "Kim et al. 2025, “Train for the Worst, Plan for the Best”, §4"),
                new Reference("reveal order: lowest entropy", "Ye et al. 2025, “Dream 7B” (the entropy remasking strategy)"),
                new Reference("semi-autoregressive blocks", "Nie et al. 2025, “Large Language Diffusion Models” (LLaDA), §2.4"),
                new Reference("the network: DDiT, a transformer read at the noise level", "Lou, Meng & Ermon 2023 (SEDD), App. C"),
                new Reference("rotary position embeddings", "Su et al. 2021, “RoFormer: Enhanced Transformer with Rotary Position Embedding”, eq. 34"),
                new Reference("adaLN-Zero conditioning on t", "Peebles & Xie 2023, “Scalable Diffusion Models with Transformers” (DiT), §3.2"));
    }

    public static void show(Window owner, boolean dark, boolean presentation, String backend) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("about-grid");
        int row = 0;
        for (Reference r : references()) {
            if (r.paper() == null) {
                Label heading = new Label(r.what());
                heading.getStyleClass().add("section-title");
                grid.add(heading, 0, row++, 2, 1);
            } else {
                Label what = new Label(r.what());
                what.setWrapText(true);
                Label paper = new Label(r.paper());
                paper.setWrapText(true);
                grid.addRow(row++, what, paper);
            }
        }
        ColumnConstraints whatColumn = new ColumnConstraints();
        whatColumn.setPercentWidth(38);
        ColumnConstraints paperColumn = new ColumnConstraints();
        paperColumn.setPercentWidth(62);
        grid.getColumnConstraints().addAll(whatColumn, paperColumn);
        Label intro = new Label("Diffusion Playground shows diffusion models at work. Every algorithm comes from a paper:");
        intro.setWrapText(true);
        Label footer = new Label("Backend: " + backend);
        footer.getStyleClass().add("field-note");
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(420);
        VBox content = new VBox(12, intro, scroll, footer);
        content.setPrefWidth(760);

        Alert alert = new Alert(Alert.AlertType.NONE, "", ButtonType.CLOSE);
        alert.initOwner(owner);
        alert.setTitle("About Diffusion Playground");
        alert.setHeaderText("Diffusion Playground 0.1");
        alert.getDialogPane().setContent(content);
        alert.getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
        alert.getDialogPane().getStyleClass().add("about");
        if (dark) alert.getDialogPane().getStyleClass().add("dark");
        if (presentation) alert.getDialogPane().getStyleClass().add("presentation");
        alert.show();
    }
}
