"""`flask accounts ...`: operator commands. The operator is trusted: any kind, department included."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.accounts import services
from core.accounts.models import OrganizationKind
from core.errors import DomainError

accounts_cli = AppGroup("accounts", help="Manage user accounts.")


def _explain(error: DomainError) -> str:
    details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.errors.items())
    return details or error.detail


@accounts_cli.command("create")
@click.option("--phone", help="Vietnamese phone number, any common form (0912 345 678, +84912345678).")
@click.option("--email", help="Email address.")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option(
    "--org-kind",
    required=True,
    type=click.Choice([kind.value for kind in OrganizationKind]),
    help="Kind of the new organization.",
)
@click.option("--org-name", default="", help="Organization name (default: the user's name).")
@click.option("--name", default="", help="The user's name (default: the phone number or email).")
@click.option("--commune", "commune_code", default=None, help="Commune code of the organization (5 digits).")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
def create_command(phone, email, password, org_kind, org_name, name, commune_code, admin) -> None:
    """Create a user, their organization and the owner membership, in one transaction."""
    if bool(phone) == bool(email):
        raise click.UsageError("Give exactly one of --phone or --email.")
    try:
        user, organization = services.create_account(
            phone=phone,
            email=email,
            password=password,
            org_kind=org_kind,
            org_name=org_name,
            name=name,
            commune_code=commune_code,
            is_admin=admin,
        )
    except DomainError as error:
        raise click.ClickException(_explain(error)) from None
    role = " (administrator)" if user.is_admin else ""
    click.echo(
        f"Created user {user.id} {user.login}{role}, owner of organization {organization.id} "
        f"{organization.name!r} ({organization.kind.value})."
    )


@accounts_cli.command("list")
def list_command() -> None:
    """List users and their organizations."""
    for user, organizations in services.list_users():
        flags = " admin" if user.is_admin else ""
        flags += "" if user.is_active else " inactive"
        orgs = ", ".join(f"{org.name} [{org.kind.value}, {role.value}]" for org, role in organizations) or "-"
        click.echo(f"{user.id}\t{user.login}\t{user.name}{flags}\t{orgs}")
