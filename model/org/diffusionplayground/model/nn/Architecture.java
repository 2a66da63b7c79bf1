package org.diffusionplayground.model.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.diffusionplayground.model.nn.mlp.MlpConfig;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.nn.unet.UNetConfig;

/**
 * Every network family, by the name checkpoints store, and the config record that rebuilds it.
 * A new network is a new package under {@code nn} and one line here.
 */
public enum Architecture {
    /** The class-conditional U-Net for 28×28 images ({@code nn.unet}). */
    UNET("unet", UNetConfig.class),
    /** A small MLP denoiser for low-dimensional points ({@code nn.mlp}). */
    MLP("mlp", MlpConfig.class),
    /** The DDiT transformer for token sequences ({@code nn.transformer}). */
    TRANSFORMER("ddit", TransformerConfig.class);

    private final String id;
    private final Class<? extends NetworkConfig> configType;

    Architecture(String id, Class<? extends NetworkConfig> configType) {
        this.id = id;
        this.configType = configType;
    }

    /** The name in checkpoint headers. */
    public String id() {
        return id;
    }

    /** The config record of this architecture (for reading it back from JSON). */
    public Class<? extends NetworkConfig> configType() {
        return configType;
    }

    public static Architecture parse(String id) {
        for (Architecture a : values()) if (a.id.equals(id.toLowerCase(Locale.ROOT))) return a;
        throw new IllegalArgumentException("unknown architecture '%s' (known: %s)".formatted(id,
                Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", "))));
    }
}
