"""JSON API for administrative-unit pickers."""

from flask_smorest import Blueprint

blp = Blueprint("geo", __name__, description="Provinces and communes after the 2025 reform")
