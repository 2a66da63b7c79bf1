package org.diffusionplayground.app;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.imagemodel.Networks;
import org.diffusionplayground.app.imagemodel.ShippedModels;
import org.diffusionplayground.model.checkpoint.CheckpointException;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fake flow model for the app's tests: the known-x̂0 fake of {@link ReverseModelTest} as a
 * velocity model of the linear interpolant, so the pages see a flow-family network. It answers
 * û = ε̂ − x̂0 with ε̂ = (x_t − (1 − t)·x̂0)/t, from which the samplers recover x̂0 = x_t − t·û
 * exactly (and a guided mix of û the same mix of x̂0); at t = 0, where x_t alone is x0, ε̂ = 0.
 * Under Euler, which on the interpolant is DDIM with η = 0, the last step returns x̂0, as the
 * diffusion fake's does.
 */
public final class FlowFakes {

    private FlowFakes() {
    }

    /** {@code x0}'s answers as a model of the linear interpolant (T = 1000). */
    public static Denoiser flow(KnownX0Denoiser x0) {
        return new Denoiser() {
            @Override public INDArray predict(INDArray x, double t, INDArray cond) {
                INDArray predX0 = x0.predict(x, t, cond);
                if (t == 0) return predX0.neg();
                INDArray eps = x.sub(predX0.mul(1 - t)).divi(t);
                return eps.subi(predX0);
            }

            @Override public Parameterization parameterization() { return Parameterization.U; }

            @Override public GaussianPath schedule() { return LinearInterpolant.defaults(); }

            @Override public int nullClass() { return x0.nullClass(); }

            @Override public int numClasses() { return x0.numClasses(); }
        };
    }

    /**
     * The diffusion fake as the shipped model, the flow fake as the shipped flow model when
     * {@code shipsFlow} (else the missing-model message); a path named "…flow…" opens the flow
     * fake, "bad.dpck" fails, any other the diffusion fake.
     */
    public static Networks networks(KnownX0Denoiser diffusion, Denoiser flow, boolean shipsFlow) {
        return networks(diffusion, flow, () -> shipsFlow);
    }

    /** As above, asking {@code shipsFlow} each time (a test can take the flow model away after the window is up). */
    public static Networks networks(KnownX0Denoiser diffusion, Denoiser flow, BooleanSupplier shipsFlow) {
        return new Networks() {
            @Override public Network shipped() { return new Network("fake (shipped)", diffusion, 1234, 5678); }

            @Override public boolean shipsFlow() { return shipsFlow.getAsBoolean(); }

            @Override public Network shippedFlow() throws IOException {
                if (!shipsFlow()) throw new FileNotFoundException(ShippedModels.flowMissing());
                return new Network("fake-flow (shipped flow model)", flow, 321, 5678);
            }

            @Override public Network open(Path p) throws IOException {
                String name = p.getFileName().toString();
                if (name.equals("bad.dpck")) throw new CheckpointException(p + ": not a checkpoint (truncated header)");
                return name.contains("flow") ? new Network(name, flow, 77, 5678) : new Network(name, diffusion, 99, 5678);
            }
        };
    }
}
