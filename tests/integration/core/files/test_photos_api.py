"""Uploading photos over the API, and fetching them back from their public addresses."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from core.accounts.models import Organization, Role, User
from core.extensions import db
from core.files import services
from core.files.models import StoredFile
from core.files.services import store_image
from core.storage import get_storage
from tests.builders import add_member, bearer, make_org, make_token, make_user
from tests.unit.core.files.samples import GPS_IFD, jpeg_with_gps, pdf_bytes, png_with_alpha


@dataclass(frozen=True)
class Owner:
    user_id: int
    organization_id: int
    token: str


@pytest.fixture
def owner(ctx) -> Owner:
    user = make_user()
    organization = make_org(owner=user)
    found = Owner(user.id, organization.id, make_token(user))
    # End the read transaction: on SQLite it holds the write lock that another app's requests need.
    db.session.rollback()
    return found


def _upload(client, token, organization_id, data: bytes, filename="photo.jpg", content_type="image/jpeg"):
    return client.post(
        "/api/v1/photos",
        data={"organization_id": str(organization_id), "file": (BytesIO(data), filename, content_type)},
        # Field messages follow the caller's language; these tests read them in English.
        headers={**(bearer(token) if token else {}), "Accept-Language": "en"},
        content_type="multipart/form-data",
    )


def _fetch(client, url: str):
    return client.get(urlsplit(url).path, buffered=True)


def _stored_files() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredFile))


def _objects_on_disk(app) -> set[Path]:
    root = Path(app.config["STORAGE_LOCAL_PATH"])
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_a_photo_is_stored_without_gps_and_served_publicly(app, client, owner):

    response = _upload(
        client, owner.token, owner.organization_id, jpeg_with_gps(size=(640, 480)), filename="nha-toi-o-loc-ninh.jpg"
    )

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "url", "thumbnail_url", "width", "height", "content_type"}
    assert (body["width"], body["height"], body["content_type"]) == (640, 480, "image/jpeg")
    assert body["url"].startswith("http://localhost/files/")
    assert "loc-ninh" not in body["url"] and "loc-ninh" not in body["thumbnail_url"]

    photo = _fetch(client.application.test_client(), body["url"])  # no token: photos are public
    assert photo.status_code == 200
    assert photo.mimetype == "image/jpeg"
    assert "max-age=31536000" in photo.headers["Cache-Control"] and "public" in photo.headers["Cache-Control"]
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert int(photo.headers["Content-Length"]) == len(photo.data)
    served = Image.open(BytesIO(photo.data))
    assert served.size == (640, 480)
    assert not served.getexif().get_ifd(GPS_IFD)

    thumb = _fetch(client, body["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert Image.open(BytesIO(thumb.data)).size == (480, 360)

    stored = db.session.execute(select(StoredFile)).scalar_one()
    assert stored.public_id == body["id"]
    assert (stored.organization_id, stored.uploaded_by_id) == (owner.organization_id, owner.user_id)
    assert "loc-ninh" not in stored.key
    assert get_storage().get(stored.key) == photo.data


def test_a_cached_photo_is_not_sent_again(client, owner):
    url = _upload(
        client, owner.token, owner.organization_id, png_with_alpha(), filename="logo.png", content_type="image/png"
    ).get_json()["url"]
    first = _fetch(client, url)
    assert first.mimetype == "image/png"

    again = client.get(urlsplit(url).path, headers={"If-None-Match": first.headers["ETag"]}, buffered=True)

    assert again.status_code == 304
    assert again.data == b""
    head = client.head(urlsplit(url).path, buffered=True)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == first.headers["Content-Length"]


def test_a_pdf_renamed_jpg_is_refused_and_nothing_is_kept(app, client, owner):
    before = _objects_on_disk(app)

    response = _upload(
        client, owner.token, owner.organization_id, pdf_bytes(), filename="invoice.jpg", content_type="image/jpeg"
    )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {"file": ["This file is not a photo in JPEG, PNG or WebP format."]}
    assert _stored_files() == 0
    assert _objects_on_disk(app) == before


def test_a_photo_over_the_image_limit_is_refused(app, make_app, owner):
    data = jpeg_with_gps(size=(800, 600))
    small_limit = make_app(IMAGE_MAX_BYTES=len(data) - 1)

    response = _upload(small_limit.test_client(), owner.token, owner.organization_id, data)

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["file"]
    assert _stored_files() == 0


def test_a_body_over_the_request_limit_is_413_problem_json(app, make_app, owner):
    small_body = make_app(MAX_CONTENT_LENGTH=16 * 1024)

    response = _upload(small_body.test_client(), owner.token, owner.organization_id, b"\xff\xd8" + b"\0" * 64 * 1024)

    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 413
    assert _stored_files() == 0


def test_no_one_uploads_for_an_organization_they_do_not_belong_to(app, client, owner):
    stranger = make_user()
    make_org(owner=stranger)
    before = _objects_on_disk(app)

    response = _upload(client, make_token(stranger), owner.organization_id, jpeg_with_gps())

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert _stored_files() == 0
    assert _objects_on_disk(app) == before


def test_any_member_may_upload_for_their_organization(client, owner):
    member = make_user()
    add_member(db.session.get(Organization, owner.organization_id), member, Role.MEMBER)

    assert _upload(client, make_token(member), owner.organization_id, jpeg_with_gps()).status_code == 201


def test_an_upload_needs_a_token(client, owner):
    response = _upload(client, None, owner.organization_id, jpeg_with_gps())
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_missing_fields_are_named(client, owner):
    response = client.post(
        "/api/v1/photos", data={"file": "just text"}, headers=bearer(owner.token), content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"file", "organization_id"}


def test_an_unknown_photo_is_404(client):
    assert client.get("/files/no-such-photo", buffered=True).status_code == 404
    assert client.get("/files/no-such-photo/thumb", buffered=True).status_code == 404


def test_when_the_database_write_fails_the_stored_objects_are_removed(app, ctx, owner, monkeypatch):
    user = db.session.get(User, owner.user_id)
    first = store_image(user, owner.organization_id, FileStorage(BytesIO(jpeg_with_gps()), "a.jpg"))
    before = _objects_on_disk(app)
    # The next photo draws a public code already taken, so its row cannot be committed.
    monkeypatch.setattr(services, "_new_public_id", lambda: first.public_id)

    with pytest.raises(IntegrityError):
        store_image(user, owner.organization_id, FileStorage(BytesIO(jpeg_with_gps()), "b.jpg"))

    assert _objects_on_disk(app) == before
    assert _stored_files() == 1
