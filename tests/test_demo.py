from takeoff.demo import CASES, run_demo


def test_demo_prints_every_case_and_writes_figures(tmp_path):
    report, written = run_demo(tmp_path)
    lines = report.splitlines()
    assert len(lines) == 2 + len(CASES)
    foom = next(line for line in lines if line.startswith("FOOM"))
    assert "t* = 4 yr" in foom and "blew up" in foom
    keyhole = next(line for line in lines if line.startswith("keyhole"))
    assert "exponential" in keyhole and "never" in keyhole
    assert {p.name for p in written} == {
        "keyhole_trajectories.png",
        "keyhole_doubling_times.png",
        "regime_map.png",
        "families.png",
    }
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
