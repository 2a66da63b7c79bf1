package org.diffusionplayground;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** STYLE rule 1: app → viz → model, and model never sees JavaFX; pages share through app packages, not each other. */
class ArchitectureTest {

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
    void theReverseAndComparePagesShareTheImageModelButNotEachOthersClasses() {
        noClasses().that().resideInAPackage("org.diffusionplayground.app.compare..")
                .should().dependOnClassesThat().resideInAPackage("org.diffusionplayground.app.reverse..")
                .check(classes);
        noClasses().that().resideInAPackage("org.diffusionplayground.app.reverse..")
                .should().dependOnClassesThat().resideInAPackage("org.diffusionplayground.app.compare..")
                .check(classes);
    }

    @Test
    void theTrainPageReachesTheOtherPagesOnlyThroughTheImageModel() {
        noClasses().that().resideInAPackage("org.diffusionplayground.app.train..")
                .should().dependOnClassesThat().resideInAnyPackage("org.diffusionplayground.app.reverse..",
                        "org.diffusionplayground.app.compare..", "org.diffusionplayground.app.forward..",
                        "org.diffusionplayground.app.lab..", "org.diffusionplayground.app.schedules..")
                .check(classes);
    }

    @Test
    void modelClassesExist() {
        // guards against the rules passing vacuously because nothing was imported
        org.junit.jupiter.api.Assertions.assertTrue(classes.containPackage("org.diffusionplayground.model.schedule"));
    }
}
