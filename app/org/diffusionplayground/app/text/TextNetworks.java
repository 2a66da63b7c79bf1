package org.diffusionplayground.app.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.checkpoint.Pretrained;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;

/**
 * Where the text page's models come from: the shipped {@code pretrained/shakespeare-masked.dpck},
 * {@code shakespeare-uniform.dpck} and the left-to-right baseline {@code shakespeare-ar.dpck} when
 * they exist, or a checkpoint the user opens. Both run as jobs, off the UI thread; tests pass fakes.
 */
public interface TextNetworks {

    String MASKED_FILE = "shakespeare-masked.dpck";
    String UNIFORM_FILE = "shakespeare-uniform.dpck";
    String AUTOREGRESSIVE_FILE = "shakespeare-ar.dpck";

    /** The shipped model of that family, or empty when there is none. */
    Optional<TextNetwork> shipped(TokenFamily family) throws IOException;

    /** The file name a shipped model of {@code family} has in pretrained/. */
    static String file(TokenFamily family) {
        return switch (family) {
            case MASKED -> MASKED_FILE;
            case UNIFORM -> UNIFORM_FILE;
            case AUTOREGRESSIVE -> AUTOREGRESSIVE_FILE;
        };
    }

    /** The text model in {@code file} (a .dpck file or a run folder). */
    TextNetwork open(Path file) throws IOException;

    /** Checkpoint files, read with {@link ModelLoader}. */
    static TextNetworks files() {
        return new TextNetworks() {
            @Override public Optional<TextNetwork> shipped(TokenFamily family) throws IOException {
                Optional<Path> file = Pretrained.locate(file(family));
                return file.isEmpty() ? Optional.empty() : Optional.of(load(file.get(), file.get().getFileName().toString()));
            }

            @Override public TextNetwork open(Path file) throws IOException {
                return load(ModelLoader.resolve(file.toString()).orElseThrow(() -> new IOException(
                        "%s: %s".formatted(file, ModelLoader.searched(file.toString())))), file.getFileName().toString());
            }
        };
    }

    private static TextNetwork load(Path file, String name) throws IOException {
        ModelLoader.Loaded loaded = ModelLoader.load(file);
        if (!(loaded.net().config() instanceof TransformerConfig config)) throw new IOException(
                "%s holds a %s network, not a text model".formatted(file, loaded.net().config().architecture().id()));
        return new TextNetwork("%s (step %,d)".formatted(name, loaded.step()), loaded.tokenModel(), config.length());
    }
}
