package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A denoiser bound to one run's conditioning, as samplers see it: evaluate at (x, t) and get
 * ε̂ and x̂0 back. Counts network function evaluations (NFE): one per call, whatever the batch.
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
        NoiseSchedule schedule = denoiser.schedule();
        double alpha = schedule.alpha(t), sigma = schedule.sigma(t);
        INDArray output = denoiser.predict(x, t, cond);
        var kind = denoiser.parameterization();
        return new Prediction(output, kind.toEps(output, x, alpha, sigma),
                kind.toX0(output, x, alpha, sigma));
    }

    public NoiseSchedule schedule() {
        return denoiser.schedule();
    }

    public int nfe() {
        return nfe;
    }
}
