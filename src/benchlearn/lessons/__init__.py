"""The interactive lessons (marimo apps) and the server that runs them on 127.0.0.1."""
