"""Plots, certificates and bulk imports."""

from __future__ import annotations

from flask.views import MethodView

from core.api import Blueprint
from core.security import current_actor
from traceability.schemas.plots import PlotCreateSchema, PlotQuerySchema, PlotSchema, PlotUpdateSchema
from traceability.services import plots as plot_service

blp = Blueprint("plots", __name__, description="Farm plots, certificates and bulk imports")


@blp.route("/plots")
class Plots(MethodView):
    @blp.authenticated
    @blp.arguments(PlotQuerySchema, location="query")
    @blp.response(200, PlotSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Plots the caller may see (their organizations, co-op member households; all for department officers)"""
        p = pagination_parameters
        found = plot_service.list_plots(current_actor(), **args, offset=p.first_item, limit=p.page_size)
        p.item_count = found.total
        return found.items

    @blp.authenticated
    @blp.arguments(PlotCreateSchema)
    @blp.response(201, PlotSchema)
    def post(self, data):
        """Register a plot for an organization (a co-op manager may register one for a member household)

        `geometry` is an optional GeoJSON Point, Polygon or MultiPolygon in WGS84
        (rings closed, not self-intersecting); coordinates are kept as given.
        `deforestation_free: true` records the caller's declaration of no
        deforestation after 31 December 2020, with who and when. `eudr` in the
        answer says whether the plot has all the EUDR needs and, if not, why.
        """
        organization_id = data.pop("organization_id")
        return plot_service.create_plot(current_actor(), organization_id, data)


@blp.route("/plots/<int:plot_id>")
class PlotById(MethodView):
    @blp.authenticated
    @blp.response(200, PlotSchema)
    def get(self, plot_id):
        """One plot"""
        return plot_service.get_plot(current_actor(), plot_id)

    @blp.authenticated
    @blp.arguments(PlotUpdateSchema)
    @blp.response(200, PlotSchema)
    def patch(self, data, plot_id):
        """Change a plot's fields (only those sent); `geometry: null` removes the geometry"""
        return plot_service.update_plot(current_actor(), plot_id, data)
