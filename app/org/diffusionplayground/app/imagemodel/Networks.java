package org.diffusionplayground.app.imagemodel;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.schedule.PathFamily;

/**
 * Where the {@link ImageModel} gets its networks: the shipped models (diffusion, and flow matching
 * once trained), or a checkpoint folder or file a user picks. All run as background jobs. The app
 * uses {@link #files()}; tests pass a fake.
 */
public interface Networks {

    /** The shipped diffusion model ({@value ModelLoader#DEFAULT_PRETRAINED}). */
    Network shipped() throws IOException;

    /** A run folder (its model.dpck or newest checkpoint) or a .dpck file. */
    Network open(Path folderOrFile) throws IOException;

    /** Whether the shipped flow model ({@value ModelLoader#FLOW_PRETRAINED}) is there: it may not be trained yet. */
    default boolean shipsFlow() {
        return false;
    }

    /** The shipped flow model; where it is missing, a {@link FileNotFoundException} saying where it comes from. */
    default Network shippedFlow() throws IOException {
        throw new FileNotFoundException(ShippedModels.flowMissing());
    }

    /** The shipped model of {@code family}. */
    default Network shipped(PathFamily family) throws IOException {
        return family == PathFamily.FLOW ? shippedFlow() : shipped();
    }

    /** Whether the shipped model of {@code family} is there (the diffusion model always is). */
    default boolean ships(PathFamily family) {
        return family != PathFamily.FLOW || shipsFlow();
    }

    /** Networks read by {@link ModelLoader} from pretrained/ and the file system. */
    static Networks files() {
        return new Networks() {
            @Override public Network shipped() throws IOException {
                return load(ModelLoader.DEFAULT_PRETRAINED, ShippedModels.label(PathFamily.DIFFUSION));
            }

            @Override public boolean shipsFlow() {
                return ShippedModels.present(PathFamily.FLOW);
            }

            @Override public Network shippedFlow() throws IOException {
                if (!shipsFlow()) throw new FileNotFoundException(ShippedModels.flowMissing());
                return load(ModelLoader.FLOW_PRETRAINED, ShippedModels.label(PathFamily.FLOW));
            }

            @Override public Network open(Path folderOrFile) throws IOException {
                Path named = folderOrFile.getFileName() == null ? folderOrFile : folderOrFile.getFileName();
                return load(folderOrFile.toString(), named.toString());
            }

            private static Network load(String what, String name) throws IOException {
                ModelLoader.Loaded loaded = ModelLoader.open(what, Architecture.UNET);
                return new Network(name, loaded.denoiser(), loaded.step(), loaded.net().parameterCount());
            }
        };
    }
}
