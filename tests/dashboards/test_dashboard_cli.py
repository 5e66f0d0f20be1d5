"""``takeoff dashboard [--port P]``: the command it runs, and one-line errors for a bad port."""

import socket
import sys
from pathlib import Path

import pytest

from takeoff.cli import main


@pytest.mark.parametrize("port", ["0", "70000", "abc", "-5"])
def test_bad_port_is_a_one_line_error(capsys, port):
    assert main(["dashboard", "--port", port]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error:") and err.count("\n") == 1


def test_port_in_use_is_a_one_line_error(capsys):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"port {port} is in use" in err and err.count("\n") == 1


def test_dashboard_runs_streamlit_headless_on_localhost(capsys, monkeypatch):
    calls = []

    def fake_execv(path, argv):
        calls.append((path, argv))
        raise SystemExit(0)

    monkeypatch.setattr("os.execv", fake_execv)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SystemExit):
        main(["dashboard", "--port", str(port)])
    ((path, argv),) = calls
    assert path == sys.executable
    app = Path(argv[4])
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert app.name == "app.py" and app.parent.name == "dashboards" and app.is_file()
    assert argv[5:] == [
        "--server.port", str(port), "--server.headless", "true",
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--runner.postScriptGC", "false",
    ]  # fmt: skip
    assert f"http://127.0.0.1:{port}" in capsys.readouterr().out
