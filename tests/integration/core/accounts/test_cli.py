from sqlalchemy import select

from core.accounts.models import Membership, User
from core.extensions import db


def test_cli_creates_a_department_admin_who_can_then_get_a_token(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "accounts",
            "create",
            "--phone",
            "0912 345 678",
            "--password",
            "sở nông nghiệp",
            "--org-kind",
            "department",
            "--org-name",
            "Sở NN&MT Đồng Nai",
            "--name",
            "Cán bộ Sở",
            "--admin",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        membership = db.session.scalar(select(Membership))
        assert (user.phone, user.is_admin, membership.role.value) == ("+84912345678", True, "owner")
        assert membership.organization.kind.value == "department"
    response = client.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": "sở nông nghiệp"})
    assert response.status_code == 201
    listed = runner.invoke(args=["accounts", "list"])
    assert "+84912345678" in listed.output and "Sở NN&MT Đồng Nai" in listed.output and "admin" in listed.output


def test_cli_explains_bad_phone_and_duplicates(app):
    runner = app.test_cli_runner()
    bad = runner.invoke(
        args=["accounts", "create", "--phone", "0123", "--password", "long enough", "--org-kind", "trader"]
    )
    assert bad.exit_code != 0 and "valid Vietnamese phone number" in bad.output
    ok = runner.invoke(
        args=["accounts", "create", "--email", "Op@Example.com", "--password", "long enough", "--org-kind", "buyer"]
    )
    assert ok.exit_code == 0, ok.output
    duplicate = runner.invoke(
        args=["accounts", "create", "--email", "op@example.com", "--password", "long enough", "--org-kind", "buyer"]
    )
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    neither = runner.invoke(args=["accounts", "create", "--password", "long enough", "--org-kind", "buyer"])
    assert neither.exit_code != 0 and "--phone or --email" in neither.output
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1
