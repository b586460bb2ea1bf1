"""JSON API for administrative-unit pickers: public, no token, not paginated."""

from __future__ import annotations

from flask.views import MethodView

from core.api import Blueprint
from core.geo import services
from core.geo.schemas import AddressMatchRequestSchema, AddressMatchSchema, CommuneSchema, ProvinceSchema

blp = Blueprint("geo_api", __name__, description="Provinces and communes after the 2025 reform")

# Units change only with a new release of the data package, so browsers and proxies may keep them.
PICKER_CACHE = {"Cache-Control": "public, max-age=86400"}
PICKER_CACHE_DOC = {"Cache-Control": {"description": "public, max-age=86400", "schema": {"type": "string"}}}


@blp.route("/geo/provinces")
class Provinces(MethodView):
    @blp.response(200, ProvinceSchema(many=True), headers=PICKER_CACHE_DOC)
    def get(self):
        """The 34 provinces and centrally governed cities"""
        return services.list_provinces(), PICKER_CACHE


@blp.route("/geo/provinces/<code>/communes")
class ProvinceCommunes(MethodView):
    @blp.response(200, CommuneSchema(many=True), headers=PICKER_CACHE_DOC)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, code: str):
        """The communes and wards of a province"""
        return services.list_communes(code), PICKER_CACHE


@blp.route("/geo/communes/<code>")
class Commune(MethodView):
    @blp.response(200, CommuneSchema, headers=PICKER_CACHE_DOC)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, code: str):
        """One commune or ward, with its province"""
        return services.find_commune(code), PICKER_CACHE


@blp.route("/geo/address-matches")
class AddressMatches(MethodView):
    @blp.arguments(AddressMatchRequestSchema)
    @blp.response(200, AddressMatchSchema)
    def post(self, body: dict):
        """Match an old, district-based address to the new commune

        Answers 200 whether the address matched one commune, several (choose among
        `candidates`) or none. The first call after a start may take several seconds.
        """
        return services.match_old_address(body["address"])
