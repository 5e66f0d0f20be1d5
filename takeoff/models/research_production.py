"""Research production: the research input R made of research labour L and experiment compute C.

    R = (a L^p + (1 - a) C^p)^(1/p),   p = (sigma - 1) / sigma          (CES)

with ``a`` the weight of labour and ``sigma`` the elasticity of substitution between labour and
compute: sigma -> 0 is Leontief (R = min(L, C): strong complements), sigma = 1 Cobb-Douglas
R = L^a C^(1-a) (the nested case, handled exactly), sigma -> inf perfect substitutes. With both
inputs normalised to 1 at the same date, R = 1 there and ``a`` is labour's share of the factor
payments at that date (normalised CES, Klump, McAdam & Willman 2012).

Written once over the array namespace (:mod:`takeoff.models.arrays`): the fits call it on
PyTensor tensors, figures and tests on numpy arrays. Numerically, with d = ln C - ln L,

    ln R = ln L + (1/p) ln(1 + (1 - a)(e^(p d) - 1)),

taken about whichever input makes p d <= 0 (so no exponential overflows for any sigma), and
(1/p) ln(1 + w (e^x - 1)) = w d (e^x - 1)/x * ln(1 + z)/z with x = p d, z = w (e^x - 1): each
ratio has its series near 0, so sigma = 1 (p = 0) gives a ln L + (1 - a) ln C exactly, with no
division by p.
"""

from __future__ import annotations

from takeoff.models.arrays import namespace_of
from takeoff.models.bernoulli import expm1_ratio, log1p_ratio


def log_ces(log_l, log_c, a, sigma):
    """ln R of the CES R = (a L^p + (1 - a) C^p)^(1/p), p = 1 - 1/sigma, from ln L and ln C;
    elementwise over broadcasting arguments, numpy or PyTensor; exact at sigma = 1."""
    xp = namespace_of(log_l, log_c, a, sigma)
    p = 1.0 - 1.0 / sigma
    d = log_c - log_l
    flip = p * d > 0  # factor out C instead, so that the exponent p * gap is never positive
    base = xp.where(flip, log_c, log_l)
    share = xp.where(flip, a, 1.0 - a)  # the other input's weight
    gap = xp.where(flip, -d, d)
    ratio = expm1_ratio(p * gap, xp)  # (e^x - 1) / x, x = p gap <= 0
    return base + share * gap * ratio * log1p_ratio(share * p * gap * ratio, xp)


def log_cobb_douglas(log_l, log_c, a):
    """ln R of R = L^a C^(1-a): the CES at sigma = 1."""
    return a * log_l + (1.0 - a) * log_c
