#!/usr/bin/env python3
"""Golden numbers for SamplerGoldenTest, computed independently of the Java code.

Plain Python floats (no numpy), written from the papers' formulas in forms that differ from the
Java ones where there is a choice:
  schedule  DDPM linear beta_i = 1e-4 + (0.02 - 1e-4) i/999, T = 1000; step i at t = (i+1)/T;
            log alphaBar linear in t between the knots j/T (log alphaBar(0) = 0)
  model     the dummy eps_hat(x, t) = 0.5 x + 0.1 t, elementwise
  times     [1.0, 0.501, 0.001] then the final step to t = 0 (Spacing.LINEAR, n = 3)
  DDIM      eta = 0, Song et al. 2021 eq. 12 with alphaBar (not alpha/sigma)
  DDPM      sigma^2 = beta-tilde, Ho et al. 2020 eq. 11 form of the mean, generalised to
            non-adjacent steps: mu = (x - (1 - abar_t/abar_s)/sqrt(1 - abar_t) eps)/sqrt(abar_t/abar_s);
            z = the first two draws of Noise(42, DOUBLE).normal(2, 2), pasted below
  DPM-Solver++(2M)  diffusers' multistep_dpm_solver_second_order_update form (D0, D1 = (m0 - m1)/r0)
  DPM-Solver-3      Lu et al. 2022 Algorithm 2 with (r1, r2) = (1/3, 2/3); intermediate times by
            bisection on lambda
  Heun      Karras et al. 2022 Algorithm 1 in sigma-tilde = sigma/alpha, x-tilde = x/alpha

Run: python3 samplers_golden.py   (prints the arrays pasted into SamplerGoldenTest)
"""
import math

T = 1000
BETAS = [1e-4 + (0.02 - 1e-4) * i / (T - 1) for i in range(T)]
KNOTS = [0.0]
for b in BETAS:
    KNOTS.append(KNOTS[-1] + math.log(1.0 - b))

TIMES = [1.0, 0.501, 0.001, 0.0]
X_T = [0.5, -1.0, 1.5, 0.25]
Z = [[0.49295065581737485, -0.6940056672160174, -1.2810773478777024, -0.901557193497174],
     [-0.6018779810957331, 0.6425676289796471, -1.5423606818352653, 1.1416459469338724]]


def log_abar(t):
    u = t * T
    j = min(int(math.floor(u)), T - 1)
    return KNOTS[j] + (u - j) * (KNOTS[j + 1] - KNOTS[j])


def abar(t):
    return math.exp(log_abar(t))


def alpha(t):
    return math.sqrt(abar(t))


def sigma(t):
    return math.sqrt(1.0 - abar(t))


def lam(t):  # log(alpha/sigma)
    return 0.5 * (log_abar(t) - math.log(1.0 - abar(t)))


def t_of_lam(target):
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if lam(mid) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def eps_hat(x, t):
    return [0.5 * v + 0.1 * t for v in x]


def x0_hat(x, t):
    return [(v - sigma(t) * e) / alpha(t) for v, e in zip(x, eps_hat(x, t))]


def ddim(x):
    for t, s in zip(TIMES, TIMES[1:]):
        e, x0 = eps_hat(x, t), x0_hat(x, t)
        x = [math.sqrt(abar(s)) * a + math.sqrt(1.0 - abar(s)) * b for a, b in zip(x0, e)]
    return x


def ddpm(x):
    for k, (t, s) in enumerate(zip(TIMES, TIMES[1:])):
        e = eps_hat(x, t)
        ratio = abar(t) / abar(s)
        mu = [(v - (1.0 - ratio) / math.sqrt(1.0 - abar(t)) * ei) / math.sqrt(ratio) for v, ei in zip(x, e)]
        if s == 0.0:
            x = mu
        else:
            var = (1.0 - abar(s)) / (1.0 - abar(t)) * (1.0 - ratio)
            x = [m + math.sqrt(var) * z for m, z in zip(mu, Z[k])]
    return x


def dpm_solver_pp_2m(x):
    m1 = None
    for k, (s0, t) in enumerate(zip(TIMES, TIMES[1:])):
        m0 = x0_hat(x, s0)
        if t == 0.0:
            x = m0
        elif m1 is None:  # first step: first order
            h = lam(t) - lam(s0)
            x = [sigma(t) / sigma(s0) * v - alpha(t) * (math.exp(-h) - 1.0) * d for v, d in zip(x, m0)]
        else:
            s1 = TIMES[k - 1]
            h, h0 = lam(t) - lam(s0), lam(s0) - lam(s1)
            r0 = h0 / h
            d1 = [(a - b) / r0 for a, b in zip(m0, m1)]
            x = [sigma(t) / sigma(s0) * v - alpha(t) * (math.exp(-h) - 1.0) * a
                 - 0.5 * alpha(t) * (math.exp(-h) - 1.0) * b for v, a, b in zip(x, m0, d1)]
        m1 = m0
    return x


def dpm_solver_3(x):
    r1, r2 = 1.0 / 3.0, 2.0 / 3.0
    for t, s in zip(TIMES, TIMES[1:]):
        e = eps_hat(x, t)
        if s == 0.0:
            x = x0_hat(x, t)
            continue
        h = lam(s) - lam(t)
        s1, s2 = t_of_lam(lam(t) + r1 * h), t_of_lam(lam(t) + r2 * h)
        u1 = [alpha(s1) / alpha(t) * v - sigma(s1) * (math.exp(r1 * h) - 1.0) * ei for v, ei in zip(x, e)]
        d1 = [a - b for a, b in zip(eps_hat(u1, s1), e)]
        u2 = [alpha(s2) / alpha(t) * v - sigma(s2) * (math.exp(r2 * h) - 1.0) * ei
              - sigma(s2) * r2 / r1 * ((math.exp(r2 * h) - 1.0) / (r2 * h) - 1.0) * di
              for v, ei, di in zip(x, e, d1)]
        d2 = [a - b for a, b in zip(eps_hat(u2, s2), e)]
        x = [alpha(s) / alpha(t) * v - sigma(s) * (math.exp(h) - 1.0) * ei
             - sigma(s) / r2 * ((math.exp(h) - 1.0) / h - 1.0) * di for v, ei, di in zip(x, e, d2)]
    return x


def heun(x):
    for t, s in zip(TIMES, TIMES[1:]):
        st_t, st_s = sigma(t) / alpha(t), sigma(s) / alpha(s)
        xt = [v / alpha(t) for v in x]
        d = eps_hat(x, t)
        xe = [a + (st_s - st_t) * b for a, b in zip(xt, d)]
        if s == 0.0:
            x = xe
            continue
        d2 = eps_hat([v * alpha(s) for v in xe], s)
        x = [alpha(s) * (a + (st_s - st_t) * 0.5 * (b + c)) for a, b, c in zip(xt, d, d2)]
    return x


if __name__ == "__main__":
    for name, fn in [("DDIM", ddim), ("DDPM", ddpm), ("DPM_SOLVER_PP_2M", dpm_solver_pp_2m),
                     ("DPM_SOLVER_3", dpm_solver_3), ("HEUN", heun)]:
        print("%s = {%s};" % (name, ", ".join(repr(v) for v in fn(list(X_T)))))
