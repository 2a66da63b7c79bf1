package org.diffusionplayground.app.cli;

import java.io.IOException;
import java.util.Locale;
import org.diffusionplayground.model.bench.NetworkBenchmark;
import org.diffusionplayground.model.bench.TransformerBenchmark;
import org.diffusionplayground.model.nn.transformer.Transformer;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.nn.unet.UNetConfig;

/**
 * One network as {@code bench compare} times it: our side (the timing of {@code bench network}) and
 * what the PyTorch peer needs — its script and its "config" line. Both sides build the network from
 * the same config; the command compares their parameter counts before timing anything. The factory
 * checks the preset at once; our network is built on first use.
 */
interface ComparedNetwork {

    /** The peer script, a classpath resource. */
    String script();

    /** The peer's "config" command. */
    String peerConfig();

    /** The network in words, e.g. "U-Net reference (32/64/128, attention, v)". */
    String describe();

    long parameters();

    /** Our median ms per forward pass at batch {@code b}, batch built inside the timing. */
    double forwardMs(int b, int reps);

    /** Our median ms per training step at batch {@code b} through the trainer. */
    double trainStepMs(int b, int reps) throws IOException;

    /** The text transformer (DDiT) preset tiny, small or base, 65 characters. */
    /** Whether {@code --network} names the U-Net ("unet") rather than the text transformer ("ddit"); anything else is refused in one line. */
    static boolean isUnet(String network) {
        return switch (network.toLowerCase(Locale.ROOT)) {
            case "unet" -> true;
            case "ddit" -> false;
            default -> throw new IllegalArgumentException("--network: unknown network \"%s\" (choose ddit or unet)".formatted(network));
        };
    }

    /** {@code --train-batch} if given, else 64 for the U-Net and 32 for the text transformer; checked. */
    static int trainBatch(Integer given, String network) {
        int train = given != null ? given : isUnet(network) ? 64 : 32;
        Arguments.inRange("--train-batch", train, 0, 4096);
        return train;
    }

    /** The network of {@code --network} and {@code --model}; an unknown preset is a one-line {@code --model} error. */
    static ComparedNetwork choose(String network, String model, int threads) {
        return choose(network, model, threads, threads);
    }

    /** As {@link #choose(String, String, int)}, with {@code peerThreads} threads on PyTorch's side. */
    static ComparedNetwork choose(String network, String model, int threads, int peerThreads) {
        boolean unet = isUnet(network);
        try {
            return unet ? unet(model, threads, peerThreads) : ddit(model, threads, peerThreads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage(), e);
        }
    }

    /**
     * The DDiT preset tiny, small or base. With one thread our side uses no second core
     * ({@link Transformer#splitBatches}); with more, it runs as shipped (chunks on two lanes).
     */
    static ComparedNetwork ddit(String preset, int threads, int peerThreads) {
        TransformerConfig config = TransformerConfig.preset(preset, 65);
        boolean split = threads >= 2;
        return new ComparedNetwork() {
            private Transformer net;

            private Transformer net() {
                if (net == null) {
                    net = Transformer.create(config, 0);
                    net.splitBatches(split);
                }
                return net;
            }

            @Override public String script() { return "/assets/peer/ddit_torch.py"; }

            @Override public String peerConfig() { return TransformerBenchmark.peerConfig(config, peerThreads); }

            @Override public String describe() { return "DDiT %s (context %d)".formatted(preset, config.length()); }

            @Override public long parameters() { return net().parameterCount(); }

            @Override public double forwardMs(int b, int reps) { return TransformerBenchmark.forwardMs(net(), b, reps); }

            @Override public double trainStepMs(int b, int reps) throws IOException {
                return TransformerBenchmark.trainStepMs(config, b, reps, split);
            }
        };
    }

    /**
     * The U-Net preset small or reference. With one thread our side uses no second core
     * ({@link UNet#splitBatches}); with more, it runs as shipped (two lanes).
     */
    static ComparedNetwork unet(String preset, int threads, int peerThreads) {
        UNetConfig config = UNetConfig.preset(preset);
        boolean split = threads >= 2;
        return new ComparedNetwork() {
            private UNet net;

            private UNet net() {
                if (net == null) {
                    net = UNet.create(config, 1);
                    net.splitBatches(split);
                }
                return net;
            }

            @Override public String script() { return "/assets/peer/unet_torch.py"; }

            @Override public String peerConfig() { return NetworkBenchmark.peerConfig(config, peerThreads); }

            @Override public String describe() {
                return "U-Net %s (%d/%d/%d%s, %s)".formatted(preset, config.channels1(), config.channels2(), config.channels3(),
                        config.attention() ? ", attention" : "", config.parameterization().name().toLowerCase(Locale.ROOT));
            }

            @Override public long parameters() { return net().parameterCount(); }

            @Override public double forwardMs(int b, int reps) { return NetworkBenchmark.forwardMs(net(), b, reps, false); }

            @Override public double trainStepMs(int b, int reps) throws IOException {
                return NetworkBenchmark.trainStepMs(config, b, reps, split);
            }
        };
    }
}
