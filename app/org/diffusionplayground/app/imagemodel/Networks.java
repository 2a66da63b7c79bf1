package org.diffusionplayground.app.imagemodel;

import org.diffusionplayground.model.nn.Architecture;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusionplayground.model.checkpoint.ModelLoader;

/**
 * Where the {@link ImageModel} gets its networks: the shipped model, or a checkpoint folder or file a
 * user picks. Both run as background jobs. The app uses {@link #files()}; tests pass a fake.
 */
public interface Networks {

    /** The shipped model ({@value ModelLoader#DEFAULT_PRETRAINED}). */
    Network shipped() throws IOException;

    /** A run folder (its model.dpck or newest checkpoint) or a .dpck file. */
    Network open(Path folderOrFile) throws IOException;

    /** Networks read by {@link ModelLoader} from pretrained/ and the file system. */
    static Networks files() {
        return new Networks() {
            @Override public Network shipped() throws IOException {
                ModelLoader.Loaded loaded = ModelLoader.open(ModelLoader.DEFAULT_PRETRAINED, Architecture.UNET);
                return new Network(ModelLoader.DEFAULT_PRETRAINED + " (shipped)", loaded.denoiser(), loaded.step(),
                        loaded.net().parameterCount());
            }

            @Override public Network open(Path folderOrFile) throws IOException {
                ModelLoader.Loaded loaded = ModelLoader.open(folderOrFile.toString(), Architecture.UNET);
                Path named = folderOrFile.getFileName() == null ? folderOrFile : folderOrFile.getFileName();
                return new Network(named.toString(), loaded.denoiser(), loaded.step(), loaded.net().parameterCount());
            }
        };
    }
}
