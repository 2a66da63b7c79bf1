package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A denoiser bound to one run's conditioning, as samplers see it: evaluate at (x, t) and get
 * ε̂ and x̂0 back, converted from whatever the model predicts (ε̂, v̂, x̂0, û) by {@link
 * org.diffusionplayground.model.schedule.Parameterization} at the path's α, σ, α', σ'. Counts
 * network function evaluations (NFE): one per call, whatever the batch.
 */
public final class ModelFn {

    private final Denoiser denoiser;
    private final INDArray cond;
    private int nfe;

    public ModelFn(Denoiser denoiser, INDArray cond) {
        this.denoiser = denoiser;
        this.cond = cond;
    }

    public static ModelFn unconditional(Denoiser denoiser) {
        return new ModelFn(denoiser, null);
    }

    public Prediction at(INDArray x, double t) {
        nfe++;
        Coefficients c = denoiser.schedule().coefficients(t);
        INDArray output = denoiser.predict(x, t, cond);
        var kind = denoiser.parameterization();
        return new Prediction(output, kind.toEps(output, x, c), kind.toX0(output, x, c));
    }

    public GaussianPath schedule() {
        return denoiser.schedule();
    }

    public int nfe() {
        return nfe;
    }
}
