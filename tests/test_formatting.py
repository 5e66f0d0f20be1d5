"""How sources are named on screen: a user's file by its name, never the machine's path."""

import pytest

from takeoff.formatting import source_name


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("/home/someone/runs/my returns.csv", "my returns.csv"),
        ("results/FIT.NC", "FIT.NC"),
        ("relative/dir/post.nc", "post.nc"),
        ("metr_horizons", "metr_horizons"),  # a shipped data set: as it is
        ("software_returns", "software_returns"),  # a shipped posterior
        ("a/path/without/an/extension", "a/path/without/an/extension"),
    ],
)
def test_source_name(source, shown):
    assert source_name(source) == shown


def test_a_posterior_source_from_a_users_file_is_described_by_its_name():
    from takeoff.forecast.sources import FromPosterior

    text = FromPosterior("/tmp/somewhere/deep/post.nc", "beta").describe()
    assert "post.nc:beta" in text and "/tmp" not in text
