"""The dashboard's pages, one Streamlit script each (run by ``app.py`` through st.navigation)."""
