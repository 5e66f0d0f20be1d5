"""One small report of every built-in scenario, built once for the report tests."""

import pytest

DRAWS = 500


@pytest.fixture(scope="session")
def builtin_results():
    from takeoff.forecast import forecast
    from takeoff.forecast.scenario import builtin_names

    return [forecast(name, draws=DRAWS, seed=3) for name in builtin_names()]


@pytest.fixture(scope="session")
def report_file(builtin_results, tmp_path_factory):
    from takeoff.report import report_html

    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(report_html(builtin_results, command="takeoff report", sobol_n=16))
    return path
