"""The Chinchilla scaling law and its compute-optimal allocation, written once.

    L(N, D) = E + A N^−alpha + B D^−beta                       (Hoffmann et al. 2022, eq. 2)

Under compute-optimal allocation at training compute C = 6 N D (their eq. 4),
N_opt = G (C/6)^a, D_opt = (C/6)^b / G with a = beta/(alpha+beta), b = alpha/(alpha+beta) and
G = (alpha A / (beta B))^(1/(alpha+beta)), and both terms fall as C^−gamma:

    L − E = K (C/6)^−gamma,   K = A G^−alpha + B G^beta,   gamma = alpha beta / (alpha + beta).

Fits sample the centred form (each term by its value at the mean ln N, ln D, which decorrelates
A from alpha): ln(A N^−alpha) = term_n − alpha (ln N − mean ln N). Elementwise over numpy arrays
or PyTensor tensors.
"""

from __future__ import annotations

from takeoff.models.arrays import namespace_of


def loss_centred(log_n_c, log_d_c, E, log_term_n, log_term_d, alpha, beta):
    """L at centred ln N and ln D, the terms given by their ln values at the means."""
    xp = namespace_of(log_n_c, log_d_c, E, log_term_n, log_term_d, alpha, beta)
    return E + xp.exp(log_term_n - alpha * log_n_c) + xp.exp(log_term_d - beta * log_d_c)


def coefficient(log_term, exponent, mean_log):
    """A (or B) from the term's ln value at the mean ln N (or ln D): A = e^(term + alpha mean)."""
    return namespace_of(log_term, exponent).exp(log_term + exponent * mean_log)


def compute_exponent(alpha, beta):
    """gamma = alpha beta / (alpha + beta): L − E ∝ C^−gamma under compute-optimal allocation."""
    return alpha * beta / (alpha + beta)


def allocation_exponents(alpha, beta):
    """(a, b) = (beta, alpha) / (alpha + beta): N_opt ∝ C^a, D_opt ∝ C^b."""
    return beta / (alpha + beta), alpha / (alpha + beta)


def allocation_constant(A, B, alpha, beta):
    """G = (alpha A / (beta B))^(1 / (alpha + beta))."""
    return (alpha * A / (beta * B)) ** (1.0 / (alpha + beta))


def compute_optimal(compute, G, a, b):
    """(N_opt, D_opt) at training compute C [FLOP]: G (C/6)^a and (C/6)^b / G (broadcasting)."""
    c6 = compute / 6.0
    return G * c6**a, c6**b / G


def reducible_constant(A, B, alpha, beta, G):
    """K in L − E = K (C/6)^−gamma: K = A G^−alpha + B G^beta."""
    return A * G**-alpha + B * G**beta


def reducible_loss(compute, A, B, alpha, beta, G):
    """L − E at training compute C [FLOP] under compute-optimal allocation: K (C/6)^−gamma.
    Parameters broadcast (e.g. posterior draws as a column against a row of compute)."""
    gamma = compute_exponent(alpha, beta)
    return reducible_constant(A, B, alpha, beta, G) * (compute / 6.0) ** -gamma
