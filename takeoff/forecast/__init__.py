"""Scenario forecasts: scenarios (TOML), Monte Carlo over draws, takeoff metrics."""
