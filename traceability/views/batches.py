"""Batch pages: list, harvest, detail, record a step."""
