"""The nutpie-c route's quick C compilation (takeoff.models.fits.quick_c): gcc at -O1 with the
modules' common headers precompiled. The precompiled header must be one gcc accepts for
PyTensor's own module flags (else it is silently parsed again and the speed-up is lost), and
the compiled functions must compute what the default ones compute."""

import numpy as np
import pytest

pytest.importorskip("pytensor")


def test_pytensor_modules_compile_with_the_precompiled_header_accepted():
    """A new C module (a constant no cache holds) compiles with gcc told to fail on a
    precompiled header it cannot use (-Werror=invalid-pch), inside quick_compile."""
    import pytensor
    import pytensor.tensor as pt

    from takeoff.models.fits.quick_c import quick_compile

    if "g++" not in pytensor.config.cxx:
        pytest.skip("no g++: PyTensor runs without a precompiled header")
    constant = float(np.random.default_rng().uniform(1, 2))  # a module no cache holds
    x = pt.dvector("x")
    y = pt.exp(x * constant) + pt.log1p(x**2) / constant
    strict = " ".join(f for f in (pytensor.config.gcc__cxxflags, "-Werror=invalid-pch") if f)
    with pytensor.config.change_flags(gcc__cxxflags=strict), quick_compile():
        flags = pytensor.config.gcc__cxxflags.split()
        fn = pytensor.function([x], y, mode="FAST_RUN")
    header = flags[flags.index("-include") + 1]
    assert "-O1" in flags and header.endswith("prelude.h")
    assert (pytensor.config.compiledir / "takeoff_pch").exists()
    assert str(header).startswith(str(pytensor.config.compiledir))
    values = np.linspace(-1, 1, 7)
    expected = np.exp(values * constant) + np.log1p(values**2) / constant
    np.testing.assert_allclose(fn(values), expected, rtol=1e-14)


def test_quick_compile_changes_the_flags_only_inside():
    import pytensor

    from takeoff.models.fits.quick_c import quick_compile

    before = pytensor.config.gcc__cxxflags
    with quick_compile():
        assert "-O1" in pytensor.config.gcc__cxxflags.split()
    assert pytensor.config.gcc__cxxflags == before


def test_the_check_fails_on_a_header_built_with_other_flags(monkeypatch):
    """The accepted-header test above can fail: a header precompiled without one of
    PyTensor's macro-changing flags (-fno-math-errno) is refused under -Werror=invalid-pch."""
    import pytensor
    import pytensor.tensor as pt
    from pytensor.link.c.exceptions import CompileError

    from takeoff.models.fits import quick_c

    if "g++" not in pytensor.config.cxx:
        pytest.skip("no g++: PyTensor runs without a precompiled header")
    flags = [f for f in quick_c.CLINKER_FLAGS if f != "-fno-math-errno"]
    monkeypatch.setattr(quick_c, "CLINKER_FLAGS", flags)
    x = pt.dvector("x")
    y = pt.exp(x * float(np.random.default_rng().uniform(1, 2)))
    strict = " ".join(f for f in (pytensor.config.gcc__cxxflags, "-Werror=invalid-pch") if f)
    with pytensor.config.change_flags(gcc__cxxflags=strict), quick_c.quick_compile():
        with pytest.raises(CompileError):
            pytensor.function([x], y, mode="FAST_RUN")
