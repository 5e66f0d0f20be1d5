"""The bundled AI-uplift readings: forecaster anchors and model outputs never measurements,
every reading tied to a row of the copied source table, and bad tables rejected with one line."""

import pytest

from takeoff.data.ai_uplift import comparisons, load_uplift, measurements, read_uplift
from takeoff.errors import TakeoffError

HEADER = "id,date,kind,uplift,uplift_low,uplift_high,role,reason\n"


def test_bundled_readings():
    frame = load_uplift()
    assert len(frame) == 15
    fitted = measurements(frame)
    assert set(fitted["kind"]) <= {"rct", "self_report", "telemetry", "task_eval"}
    # the 2025 trial's slowdown is in, with its interval
    rct = fitted.set_index("id").loc["rct2025"]
    assert rct["uplift"] == pytest.approx(0.84) and rct["uplift_low"] < 0.84 < rct["uplift_high"]
    # forecaster anchors and model outputs are shown for comparison only
    compared = comparisons(frame).set_index("id")
    assert {"aifm_q25_uplift", "aifm_model_2026start"} <= set(compared.index)
    assert not fitted["kind"].isin(["forecaster_anchor", "model_output"]).any()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("a,2025,survey,1.2,,,measurement,x\n",
         "row 'a' of 'ai_uplift_readings.csv' has kind 'survey'; choose one of: rct, "
         "self_report, telemetry, task_eval, forecaster_anchor, model_output"),
        ("a,2025,rct,1.2,0.9,,measurement,x\n",
         "row 'a' of 'ai_uplift_readings.csv' gives one end of its interval; give both "
         "uplift_low and uplift_high or neither"),
        ("a,2025,rct,1.2,1.3,1.5,measurement,x\n",
         "row 'a' of 'ai_uplift_readings.csv' has uplift outside its interval; it needs "
         "uplift_low <= uplift <= uplift_high"),
        ("a,2025,model_output,1.6,,,measurement,x\n",
         "row 'a' of 'ai_uplift_readings.csv' is a model_output, not a measurement; give it "
         "role comparison"),
        ("a,2025,rct,1.2,,,measurement,x\na,2026,rct,1.3,,,measurement,x\n",
         "id 'a' appears twice in 'ai_uplift_readings.csv'; give each row its own id"),
        ("a,2025,rct,1.2,,,comparison,x\n",
         "'ai_uplift_readings.csv' has no row with role measurement; mark the measured rows"),
    ],
)  # fmt: skip
def test_bad_tables_are_rejected_with_one_line(rows, message):
    with pytest.raises(TakeoffError) as err:
        read_uplift(data=(HEADER + rows).encode())
    assert str(err.value) == message
    assert "\n" not in str(err.value)


def test_non_positive_uplift_is_rejected():
    with pytest.raises(TakeoffError, match="uplift") as err:
        read_uplift(data=(HEADER + "a,2025,rct,-1,,,measurement,x\n").encode())
    assert "\n" not in str(err.value)
