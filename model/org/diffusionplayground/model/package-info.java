/**
 * Pure ND4J diffusion: schedules, forward processes, samplers, networks, training and datasets.
 * Never imports JavaFX (an ArchUnit test keeps it so).
 *
 * <h2>Glossary (names follow the papers)</h2>
 * <ul>
 *   <li>{@code t} — continuous time in [0, 1]; 0 is clean data, 1 is (almost) pure noise.
 *       Discrete step i of T sits at t = (i+1)/T.</li>
 *   <li>{@code tPrev} — the time a reverse step moves to (tPrev &lt; t); 0 at the final step.</li>
 *   <li>{@code alpha} α_t, {@code sigma} σ_t — signal and noise coefficients of a Gaussian
 *       path, x_t = α_t·x0 + σ_t·ε; {@code alphaPrime} α', {@code sigmaPrime} σ' — their time
 *       derivatives. VP schedules: α_t = √ᾱ_t, σ_t = √(1−ᾱ_t); the linear interpolant of flow
 *       matching: α_t = 1 − t, σ_t = t.</li>
 *   <li>{@code alphaBar} ᾱ_t — cumulative signal variance of a VP schedule.</li>
 *   <li>{@code beta} β_i — per-step variance of DDPM; {@code betaRate} β(t) = −d log ᾱ/dt.</li>
 *   <li>{@code logSnr} λ_t = log(α_t²/σ_t²) (DPM-Solver's λ is half of it).</li>
 *   <li>{@code eps} ε — standard normal noise; {@code predX0} x̂0 — the model's clean estimate;
 *       {@code v} = α·ε − σ·x0; {@code u} = α'·x0 + σ'·ε — the flow velocity dx_t/dt (ε − x0
 *       on the linear interpolant).</li>
 *   <li>{@code eta} η — DDIM's stochasticity; {@code nfe} — network function evaluations.</li>
 * </ul>
 * Shapes are written as comments, e.g. {@code // [B, C, H, W]}.
 */
package org.diffusionplayground.model;
