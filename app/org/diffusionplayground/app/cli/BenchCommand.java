package org.diffusionplayground.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionplayground.model.eval.SamplerConvergence;
import org.diffusionplayground.model.eval.SamplerConvergence.Config;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.ScheduleKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: benchmarks: {@code bench samplers} (2-D oracles), {@code bench quality} (MNIST models). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Samplers.class, BenchQualityCommand.class, BenchNetworkCommand.class, BenchCompareCommand.class,
                BenchTextPageCommand.class, BenchProfileCommand.class})
final class BenchCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "bench needs a subcommand: samplers, quality, network, compare, profile or text-page");
    }

    /** {@code bench samplers}: sampler × steps on a toy dataset's exact denoiser. */
    @Command(name = "samplers", mixinStandardHelpOptions = true, description = "Sampler x steps on the exact denoiser of a toy dataset: NFE, "
            + "sliced-Wasserstein distance (SW-2) of the samples to the true mixture, and wall time. "
            + "The 'exact' row is the floor: exact mixture samples scored the same way.")
    static final class Samplers implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(names = "--dataset", defaultValue = "ring8", description = "Toy dataset (default ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--samplers", paramLabel = "A,B,..", completionCandidates = SampleCommand.SamplerNames.class,
                description = "Samplers to run, from ${COMPLETION-CANDIDATES} (default: all).")
        String samplers;

        @Option(names = "--steps", paramLabel = "N,M,..",
                description = "Step counts (default 5,10,20,50,100; ddpm also 1000).")
        String steps;

        @Option(names = "--spacing", description = "Spacing for every case (default logsnr; trailing, uniform in t, for --process flow).")
        String spacing;

        @Option(names = "--schedule", description = "Noise schedule of --process diffusion (default ddpm).")
        String schedule;

        @Option(names = "--process", defaultValue = "diffusion", paramLabel = "diffusion|flow", description = {
                "diffusion: the exact ε on --schedule; flow: the exact velocity on the linear interpolant, with the flow",
                "integrators and DDIM/DPM-Solver++ on the same path by default (default ${DEFAULT-VALUE})."})
        String process;

        @Option(names = "--ode-error", description = "Also print each deterministic sampler's RMS distance to the exact ODE "
                + "solution from the same x_T (the lab's convergence chart; costs ~1,500 NFE per start time).")
        boolean odeError;

        @Option(names = "--eta", defaultValue = "0", description = "DDIM η in [0, 1] (default ${DEFAULT-VALUE}).")
        double eta;

        @Option(names = "--order", defaultValue = "2", description = "DPM-Solver order 1-3 (default ${DEFAULT-VALUE}).")
        int order;

        @Option(names = "--n", defaultValue = "2000", description = "Samples per case, 2..100000 (default ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--reference", defaultValue = "20000",
                description = "Exact mixture samples to compare with, 2..1000000 (default ${DEFAULT-VALUE}).")
        int reference;

        @Option(names = "--projections", defaultValue = "256",
                description = "Random directions of SW-2, 1..10000 (default ${DEFAULT-VALUE}).")
        int projections;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            ToyDataset data = Arguments.dataset(dataset);
            PathFamily family = Arguments.process(process);
            if (family == PathFamily.FLOW && schedule != null) throw new IllegalArgumentException(
                    "--schedule applies to --process diffusion; a flow runs on the linear interpolant");
            ScheduleKind scheduleKind = Arguments.schedule(schedule == null ? "ddpm" : schedule);
            int maxSteps = family.path(scheduleKind).steps();
            List<SamplerKind> kinds = samplers == null ? family == PathFamily.FLOW ? SamplerKind.FLOW : SamplerKind.DIFFUSION
                    : List.of(samplers.split(",")).stream().map(s -> Arguments.sampler("--samplers", s)).toList();
            List<Integer> stepList = steps == null ? SamplerConvergence.DEFAULT_STEPS
                    : Arguments.intList("--steps", steps, 1, maxSteps);
            Arguments.inRange("--eta", eta, 0, 1);
            Arguments.inRange("--order", order, 1, 3);
            Arguments.inRange("--n", n, 2, SampleCommand.MAX_N);
            Arguments.inRange("--reference", reference, 2, 1_000_000);
            Arguments.inRange("--projections", projections, 1, 10_000);
            var cases = steps == null ? SamplerConvergence.grid(kinds, stepList)
                    : kinds.stream().flatMap(k -> stepList.stream().map(s -> new SamplerConvergence.Case(k, s))).toList();
            Config config = new Config(data, scheduleKind, spacing == null ? family.defaultSpacing() : Arguments.spacing(spacing),
                    new SamplerOptions(eta, order, false), cases, n, reference, projections, seed, odeError, family);

            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s, %s, %s spacing, %d samples vs %d exact, SW-2 over %d directions%n",
                    data.cliName(), family == PathFamily.FLOW ? "flow on the linear interpolant" : scheduleKind.cliName() + " schedule",
                    config.spacing().name().toLowerCase(Locale.ROOT), n, reference, projections);
            out.printf("%-16s %6s %6s %10s %11s%s%n", "sampler", "steps", "NFE", "SW-2", "time (ms)", odeError ? "    ODE RMS" : "");
            List<SamplerConvergence.Row> rows = SamplerConvergence.run(config, row -> {
                out.printf(Locale.ROOT, "%-16s %6s %6d %10.4f %11s%s%n", row.sampler(),
                        row.steps() == 0 ? "-" : Integer.toString(row.steps()), row.nfe(), row.slicedWasserstein(),
                        row.steps() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", row.millis()),
                        odeError && row.steps() > 0 ? String.format(Locale.ROOT, " %11.3e", row.odeRms()) : "");
                out.flush();
            }, () -> false);
            if (odeError) out.printf(Locale.ROOT, "ODE reference's own error (RMS, half its steps): %.1e%n", rows.get(0).odeRms());
            return 0;
        }
    }
}
