"""Colours shared by the static and interactive figures."""

CLASS_COLOURS = {
    "hard": "#b2182b",
    "fast": "#ef8a62",
    "moderate": "#fddbc7",
    "slow": "#d1e5f0",
    "not reached": "#bababa",
}
