"""JSON API for accounts, organizations and tokens."""

from __future__ import annotations

from flask.views import MethodView
from flask_limiter.util import get_remote_address

from core.accounts import services
from core.accounts.schemas import (
    GrantSchema,
    HouseholdAddSchema,
    MemberAddSchema,
    MemberSchema,
    MeSchema,
    NewTokenSchema,
    OrganizationSchema,
    OrganizationUpdateSchema,
    RejectionSchema,
    SignUpResultSchema,
    SignUpSchema,
    TokenRequestSchema,
    TokenSchema,
    UserGrantsSchema,
)
from core.api import Blueprint
from core.extensions import limiter, sign_in_limit
from core.security import api_user

blp = Blueprint("accounts_api", __name__, description="Accounts, organizations and API tokens")


def _page(items: list, pagination_parameters) -> list:
    pagination_parameters.item_count = len(items)
    return items[pagination_parameters.first_item : pagination_parameters.last_item + 1]


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.arguments(SignUpSchema)
    @blp.response(201, SignUpResultSchema)
    def post(self, data):
        """Sign up: a user and the organization they own (any kind but department)."""
        org = data["organization"]
        user, organization = services.sign_up(
            name=data["name"],
            password=data["password"],
            phone=data.get("phone"),
            email=data.get("email"),
            org_name=org["name"],
            org_kind=org["kind"],
            commune_code=org.get("commune_code"),
            street=org.get("street"),
        )
        return {"user": user, "organization": organization}


@blp.route("/auth/tokens")
class Tokens(MethodView):
    @limiter.shared_limit(sign_in_limit, scope="sign-in")  # shares the sign-in page's count
    @blp.arguments(TokenRequestSchema)
    @blp.response(201, NewTokenSchema)
    def post(self, data):
        """Get a personal API token for a phone number or email and password (shown once)."""
        token, secret = services.issue_token(
            data["login"], data["password"], data["name"], address=get_remote_address()
        )
        # The secret is shown once: no cache (and no Idempotency-Key replay store) may keep it.
        body = {
            "token": secret,
            "id": token.id,
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
        }
        return body, 201, {"Cache-Control": "no-store"}

    @blp.authenticated
    @blp.response(200, TokenSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """The caller's tokens, without their secrets."""
        p = pagination_parameters
        tokens, p.item_count = services.list_tokens(api_user(), offset=p.first_item, limit=p.page_size)
        return tokens


@blp.route("/auth/tokens/<int:token_id>")
class TokenById(MethodView):
    @blp.authenticated
    @blp.response(204)
    def delete(self, token_id):
        """Revoke one of the caller's tokens."""
        services.revoke_token(api_user(), token_id)


@blp.route("/me")
class Me(MethodView):
    @blp.authenticated
    @blp.response(200, MeSchema)
    def get(self):
        """The caller and their memberships."""
        user = api_user()
        return {"user": user, "memberships": services.memberships_of(user)}


@blp.route("/organizations/<int:organization_id>")
class OrganizationById(MethodView):
    @blp.authenticated
    @blp.response(200, OrganizationSchema)
    def get(self, organization_id):
        """An organization's profile (members, its co-op's managers, department officers)."""
        return services.get_organization(api_user(), organization_id)

    @blp.authenticated
    @blp.arguments(OrganizationUpdateSchema(partial=True))
    @blp.response(200, OrganizationSchema)
    def patch(self, data, organization_id):
        """Change name, street or commune (owners and managers)."""
        return services.update_organization(api_user(), organization_id, **data)


@blp.route("/organizations/<int:organization_id>/members")
class Members(MethodView):
    @blp.authenticated
    @blp.response(200, MemberSchema(many=True))
    @blp.paginate()
    def get(self, organization_id, pagination_parameters):
        """The organization's members."""
        return _page(services.list_members(api_user(), organization_id), pagination_parameters)

    @blp.authenticated
    @blp.arguments(MemberAddSchema)
    @blp.response(201, MemberSchema)
    def post(self, data, organization_id):
        """Add an existing user by phone or email (owners and managers; only owners grant owner)."""
        return services.add_member(api_user(), organization_id, data["login"], data["role"])


@blp.route("/organizations/<int:organization_id>/members/<int:user_id>")
class MemberById(MethodView):
    @blp.authenticated
    @blp.response(204)
    def delete(self, organization_id, user_id):
        """Remove a member (owners only; the last owner stays)."""
        services.remove_member(api_user(), organization_id, user_id)


@blp.route("/organizations/<int:organization_id>/households")
class Households(MethodView):
    @blp.authenticated
    @blp.response(200, OrganizationSchema(many=True))
    @blp.paginate()
    def get(self, organization_id, pagination_parameters):
        """A cooperative's member households."""
        return _page(services.list_households(api_user(), organization_id), pagination_parameters)

    @blp.authenticated
    @blp.arguments(HouseholdAddSchema)
    @blp.response(201, OrganizationSchema)
    def post(self, data, organization_id):
        """Add a household you also manage (``household_id``), or create one with its owner's account."""
        if data["household_id"] is not None:
            return services.add_household(api_user(), organization_id, data["household_id"])
        owner = data["owner"]
        household, _owner = services.create_household(
            api_user(),
            organization_id,
            name=data["name"],
            commune_code=data["commune_code"],
            street=data["street"],
            owner_name=owner["name"],
            owner_password=owner["password"],
            owner_phone=owner["phone"],
            owner_email=owner["email"],
        )
        return household


@blp.route("/organizations/<int:organization_id>/verification")
class Verification(MethodView):
    @blp.authenticated
    @blp.response(200, OrganizationSchema)
    def post(self, organization_id):
        """Mark the organization verified (department officers); every decision is in the audit log."""
        return services.verify_organization(api_user(), organization_id)

    @blp.authenticated
    @blp.response(204)
    def delete(self, organization_id):
        """Withdraw the verification (department officers): the organization waits for review again."""
        services.withdraw_verification(api_user(), organization_id)


@blp.route("/organizations/<int:organization_id>/rejection")
class Rejection(MethodView):
    @blp.authenticated
    @blp.arguments(RejectionSchema)
    @blp.response(200, OrganizationSchema)
    def post(self, data, organization_id):
        """Reject the organization with a reason its people see (department officers); a verified one loses
        the mark. It waits for review again once its people update it."""
        return services.reject_organization(api_user(), organization_id, data["reason"])


@blp.route("/admin/users/<int:user_id>/grants")
class Grants(MethodView):
    @blp.authenticated
    @blp.arguments(GrantSchema)
    @blp.response(201, UserGrantsSchema)
    def post(self, data, user_id):
        """Grant a membership in any organization (department included) or admin rights (admins only)."""
        user = services.grant(
            api_user(), user_id, organization_id=data["organization_id"], role=data["role"], make_admin=data["admin"]
        )
        return {"user": user, "memberships": services.memberships_of(user)}
