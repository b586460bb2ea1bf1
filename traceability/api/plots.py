"""Plots, certificates and bulk imports."""

from flask_smorest import Blueprint

blp = Blueprint("plots", __name__, description="Farm plots, certificates and bulk imports")
