"""Terminal tables (rich): styled on a terminal, plain text in a pipe or under NO_COLOR; the
main job prints the headline first, --quiet prints only the headline."""

import io

import pytest

from takeoff.cli import main
from takeoff.cli.console import print_tables
from takeoff.formatting import Table

TABLE = Table("Title", ("scenario", "P"), (("foom", "83%"), ("keyhole", "0%")), note="a note")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_when_not_a_terminal():
    out = io.StringIO()
    print_tables([TABLE], file=out, heading="Headline")
    text = out.getvalue()
    assert "\x1b[" not in text
    assert text.splitlines()[:6] == [
        "Headline",
        "",
        "Title",
        "",
        "| scenario | P   |",
        "|----------|-----|",
    ]
    assert "| foom     | 83% |" in text and "a note" in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_styled_on_a_terminal_and_plain_under_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    styled = Terminal()
    print_tables([TABLE], file=styled)
    assert "\x1b[1m" in styled.getvalue()  # bold header
    monkeypatch.setenv("NO_COLOR", "1")
    plain = Terminal()
    print_tables([TABLE], file=plain)
    assert "\x1b[" not in plain.getvalue() and "foom" in plain.getvalue()


@pytest.fixture(scope="module")
def main_job(tmp_path_factory):
    """The main job (no scenario named: every built-in) at few draws."""
    import contextlib

    out = tmp_path_factory.mktemp("main") / "results"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["forecast", "--draws", "300", "--out", str(out)]) == 0
    return printed.getvalue(), out


def test_main_job_prints_the_headline_first_and_writes_the_report(main_job):
    from takeoff.forecast.scenario import builtin_names

    text, out = main_job
    names = builtin_names()
    assert text.startswith(f"Headline: {len(names)} scenarios, 300 draws each, seed 0\n")
    headline, details = text.split("\n== ", 1)
    for name in names:
        assert f"| {name} " in headline
    assert "== " not in headline and "foom: Yudkowsky's FOOM" in details
    assert (out / "report.html").is_file() and (out / "summary.csv").is_file()
    assert f"wrote {out / 'report.html'} (" in text and "MB, self-contained)" in text


def test_quiet_prints_the_headline_only(capsys, tmp_path):
    out = tmp_path / "run"

    assert (
        main(["forecast", "foom", "sie_published", "--draws", "300", "-q", "--out", str(out)]) == 0
    )
    text = capsys.readouterr().out
    assert text.startswith("Headline: 2 scenarios")
    assert "| foom " in text and "| sie_published " in text
    assert "== foom" not in text and "wrote" not in text
    assert not (out / "report.html").exists()  # named scenarios: no report unless --report
    assert (out / "summary.csv").is_file()
