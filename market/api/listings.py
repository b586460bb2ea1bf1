"""Listings: create and edit (sellers), browse and read (anyone)."""

from __future__ import annotations

from flask.views import MethodView

from core.api import Blueprint
from core.errors import AuthenticationError
from core.security import api_user
from market.errors import ListingNotFoundError
from market.schemas import ListingCreateSchema, ListingQuerySchema, ListingSchema, ListingUpdateSchema
from market.services import listings, search
from market.services.describe import describe_listings

blp = Blueprint("market_listings", __name__, description="Marketplace listings made from traceable lots")


@blp.route("/listings")
class Listings(MethodView):
    @blp.authenticated
    @blp.arguments(ListingCreateSchema)
    @blp.response(201, ListingSchema)
    def post(self, data):
        """Offer part of a lot your organization holds; the listing starts as a draft."""
        user = api_user()
        return describe_listings([listings.create_listing(user, **data)], listings.my_organization_ids(user))[0]

    @blp.arguments(ListingQuerySchema, location="query")
    @blp.response(200, ListingSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Active listings, filtered and sorted (no token needed); ``mine=true`` lists your own in every status."""
        p = pagination_parameters
        user = api_user()
        if query.pop("mine"):
            if user is None:
                raise AuthenticationError("mine=true needs 'Authorization: Bearer <token>'.")
            found, p.item_count = listings.own_listings(user, offset=p.first_item, limit=p.page_size)
        else:
            found, p.item_count = search.search_listings(
                search.Filters(**query), offset=p.first_item, limit=p.page_size
            )
        return describe_listings(found, listings.my_organization_ids(user))


@blp.route("/listings/<listing_id>")
class ListingById(MethodView):
    @blp.response(200, ListingSchema)
    def get(self, listing_id):
        """One listing with the trace summary of its lot (drafts only for their seller)."""
        viewer = listings.my_organization_ids(api_user())
        listing = search.public_listing(listing_id, viewer)
        if listing is None:
            raise ListingNotFoundError(listing_id)
        return describe_listings([listing], viewer, with_trace=True)[0]

    @blp.authenticated
    @blp.arguments(ListingUpdateSchema)
    @blp.response(200, ListingSchema)
    def patch(self, data, listing_id):
        """Change your listing: price, quantity (not below what is reserved and sold), options, or status."""
        user = api_user()
        return describe_listings(
            [listings.update_listing(user, listing_id, **data)], listings.my_organization_ids(user)
        )[0]
