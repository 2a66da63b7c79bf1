package org.diffusionplayground;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers: app → viz and app → model; model never sees JavaFX, viz draws plain data and never
 * sees the model; pages share through app packages, not each other. Inside model, the engine
 * (trainer, checkpoints, objectives, sampling, schedules) names no network: each network is a
 * package of its own under {@code nn}, known by name only to {@code nn.Architecture}.
 */
class ArchitectureTest {

    /** Every network's package; the engine must name none of them. */
    private static final String[] NETWORKS = {"org.diffusionplayground.model.nn.unet..",
            "org.diffusionplayground.model.nn.mlp..", "org.diffusionplayground.model.nn.transformer.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.diffusionplayground");
    }

    @Test
    void modelDependsOnNeitherJavaFxNorVizNorApp() {
        noClasses().that().resideInAPackage("org.diffusionplayground.model..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..",
                        "org.diffusionplayground.viz..", "org.diffusionplayground.app..")
                .check(classes);
    }

    @Test
    void vizDoesNotDependOnApp() {
        noClasses().that().resideInAPackage("org.diffusionplayground.viz..")
                .should().dependOnClassesThat().resideInAPackage("org.diffusionplayground.app..")
                .check(classes);
    }

    @Test
    void vizDrawsPlainDataAndImportsNothingFromTheModel() {
        noClasses().that().resideInAPackage("org.diffusionplayground.viz..")
                .should().dependOnClassesThat().resideInAPackage("org.diffusionplayground.model..")
                .check(classes);
    }

    @Test
    void theTrainerCheckpointsObjectivesAndSamplersNameNoNetwork() {
        noClasses().that().resideInAnyPackage("org.diffusionplayground.model.train..",
                        "org.diffusionplayground.model.checkpoint..", "org.diffusionplayground.model.objective..",
                        "org.diffusionplayground.model.sampling..", "org.diffusionplayground.model.schedule..")
                .should().dependOnClassesThat().resideInAnyPackage(NETWORKS)
                .check(classes);
    }

    @Test
    void networksAreIndependentOfOneAnother() {
        for (String network : NETWORKS) {
            String[] others = java.util.Arrays.stream(NETWORKS).filter(n -> !n.equals(network)).toArray(String[]::new);
            noClasses().that().resideInAPackage(network).should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(classes);
        }
    }

    @Test
    void theReverseAndComparePagesShareTheImageModelButNotEachOthersClasses() {
        noClasses().that().resideInAPackage("org.diffusionplayground.app.compare..")
                .should().dependOnClassesThat().resideInAPackage("org.diffusionplayground.app.reverse..")
                .check(classes);
        noClasses().that().resideInAPackage("org.diffusionplayground.app.reverse..")
                .should().dependOnClassesThat().resideInAPackage("org.diffusionplayground.app.compare..")
                .check(classes);
    }

    @Test
    void theTrainPageReachesTheOtherPagesOnlyThroughTheImageModelAndTheTextCallback() {
        noClasses().that().resideInAPackage("org.diffusionplayground.app.train..")
                .should().dependOnClassesThat().resideInAnyPackage("org.diffusionplayground.app.reverse..",
                        "org.diffusionplayground.app.compare..", "org.diffusionplayground.app.forward..",
                        "org.diffusionplayground.app.lab..", "org.diffusionplayground.app.schedules..",
                        "org.diffusionplayground.app.text..")
                .check(classes);
    }

    @Test
    void modelClassesExist() {
        // guards against the rules passing vacuously because nothing was imported
        org.junit.jupiter.api.Assertions.assertTrue(classes.containPackage("org.diffusionplayground.model.schedule"));
    }
}
