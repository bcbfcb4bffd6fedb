"""Files that are not Python modules: notebooks, gateway YAML, scripts, pins."""
