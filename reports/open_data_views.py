"""The public catalogue of the province's open data: what each dataset holds, its licence, when it was updated."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from reports import open_data

bp = Blueprint("open_data", __name__)


@bp.get("/open-data")
def catalogue():
    datasets = [
        {
            "dataset": dataset,
            "json_url": url_for(dataset.json_endpoint, _external=True),
            "csv_url": url_for(dataset.csv_endpoint, _external=True),
        }
        for dataset in open_data.DATASETS
    ]
    return render_template(
        "reports/open_data.html",
        datasets=datasets,
        updated_at=open_data.updated_at(),
        fields=open_data.FIELDS,
        elements=open_data.ELEMENTS,
        min_producers=open_data.MIN_PRODUCERS,
        licence_url=open_data.LICENCE_URL,
    )
