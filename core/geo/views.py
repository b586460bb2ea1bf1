"""Pages about addresses: check what an old, district-based address has become."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from core.geo.picker import new_address_picker, read_address_picker

bp = Blueprint("geo", __name__, url_prefix="/geo")


@bp.get("/address-check")
def address_check():
    """A read-only lookup, so a GET form: the answer can be bookmarked and shared."""
    submitted = any(key.startswith("address-") for key in request.args)
    picker = (
        read_address_picker(request.args, old_address_open=True)
        if submitted
        else new_address_picker(old_address_open=True)
    )
    return render_template("core/geo/address_check.html", picker=picker, submitted=submitted)
