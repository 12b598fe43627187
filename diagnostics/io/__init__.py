"""Reading, validating, importing and exporting status data."""
