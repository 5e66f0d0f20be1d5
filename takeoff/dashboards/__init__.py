"""The Streamlit dashboard: thin pages over the public API (nothing imports this package)."""
