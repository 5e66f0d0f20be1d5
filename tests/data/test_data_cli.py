"""`takeoff data list` and `takeoff data show NAME` as a user meets them."""

import pytest

from takeoff.cli import main
from takeoff.data import DATASETS


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_prints_one_line_per_data_set(capsys):
    code, out, err = run(capsys, "data", "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["name", "rows", "columns", "title", "source"]
    assert len(lines) == 1 + len(DATASETS)
    for line, info in zip(lines[1:], DATASETS.values(), strict=True):
        name, rows, columns = line.split()[:3]
        assert (name, int(rows), int(columns)) == (info.name, info.rows, len(info.columns))
        assert info.title in line and line.endswith(info.source)


@pytest.mark.parametrize("name", list(DATASETS))
def test_show_prints_source_units_and_first_rows(capsys, name):
    info = DATASETS[name]
    code, out, err = run(capsys, "data", "show", name)
    assert code == 0 and err == ""
    assert out.startswith(f"{name}: {info.title}\n")
    assert info.description in out
    assert f"source: {info.source}" in out and f"citation: {info.citation}" in out
    assert f"rows: {info.rows}" in out
    for c in info.columns:
        assert f"  {c.describe()}\n" in out
    assert "first 5 rows:" in out
    table = out.split("first 5 rows:\n")[1].splitlines()
    assert table[0].split() == list(info.column_names)
    assert len(table) == 6


def test_show_units_for_chinchilla(capsys):
    _, out, _ = run(capsys, "data", "show", "chinchilla", "--rows", "2")
    assert "  loss [nats/token]: final training loss" in out
    assert "  D [tokens]: training tokens, derived D = C / (6 N) (positive)" in out
    assert "first 2 rows:" in out


def test_show_unknown_name_is_one_line_and_exit_2(capsys):
    code, out, err = run(capsys, "data", "show", "gwp")
    assert code == 2 and out == ""
    assert err == (
        "error: unknown data set 'gwp'; choose one of: chinchilla, metr_horizons, "
        "epoch_models, epoch_chips, eci, roodman_gwp, aifutures_progress, "
        "lm_algorithmic_progress, nanogpt_speedrun, returns_domains\n"
    )


def test_show_without_a_name(capsys):
    code, _, err = run(capsys, "data", "show")
    assert code == 2
    assert err == "error: Missing argument 'NAME'; see 'takeoff data show --help'\n"


def test_negative_rows(capsys):
    code, _, err = run(capsys, "data", "show", "eci", "--rows", "-1")
    assert code == 2 and err == "error: --rows must be 0 or more; got -1\n"


def test_data_alone_prints_help(capsys):
    code, out, _ = run(capsys, "data")
    assert code == 0
    assert "list" in out and "show" in out
