"""The app picks its storage at start-up, and photos work the same on an S3-compatible bucket."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urlsplit

import pytest
from PIL import Image

from core.config import ConfigurationError
from core.extensions import db
from core.storage import LocalStorage, S3Storage
from tests.builders import bearer, make_org, make_token, make_user
from tests.unit.core.files.samples import GPS_IFD, jpeg_with_gps
from tests.unit.core.storage.s3server import CREDENTIALS, new_bucket


def test_the_default_app_keeps_files_in_its_local_folder(app):
    storage = app.extensions["storage"]
    assert isinstance(storage, LocalStorage)
    assert str(storage.root) == app.config["STORAGE_LOCAL_PATH"]


def test_an_unknown_backend_stops_start_up(make_app):
    with pytest.raises(ConfigurationError, match="STORAGE_BACKEND"):
        make_app(STORAGE_BACKEND="dropbox")


def test_s3_without_a_bucket_stops_start_up(make_app):
    with pytest.raises(ConfigurationError, match="STORAGE_S3_BUCKET"):
        make_app(environ={"STORAGE_BACKEND": "s3"}, STORAGE_BACKEND="s3")


def test_photos_go_to_the_bucket_and_come_back(app, make_app, ctx, s3_endpoint):
    bucket = new_bucket(s3_endpoint)
    s3_app = make_app(
        STORAGE_BACKEND="s3",
        STORAGE_S3_BUCKET=bucket.bucket,
        STORAGE_S3_ENDPOINT_URL=s3_endpoint,
        STORAGE_S3_REGION=CREDENTIALS["region"],
        STORAGE_S3_ACCESS_KEY_ID=CREDENTIALS["access_key_id"],
        STORAGE_S3_SECRET_ACCESS_KEY=CREDENTIALS["secret_access_key"],
    )
    assert isinstance(s3_app.extensions["storage"], S3Storage)
    user = make_user()
    organization_id = make_org(owner=user).id
    token = make_token(user)
    db.session.rollback()  # release SQLite's lock for the other app's requests
    client = s3_app.test_client()

    response = client.post(
        "/api/v1/photos",
        data={
            "organization_id": str(organization_id),
            "file": (BytesIO(jpeg_with_gps(size=(300, 200))), "x.jpg", "image/jpeg"),
        },
        headers=bearer(token),
    )

    assert response.status_code == 201
    listed = bucket.client.list_objects_v2(Bucket=bucket.bucket)["Contents"]
    assert len(listed) == 2 and all(item["Key"].startswith("images/") for item in listed)
    photo = client.get(urlsplit(response.get_json()["url"]).path, buffered=True)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    served = Image.open(BytesIO(photo.data))
    assert served.size == (300, 200)
    assert not served.getexif().get_ifd(GPS_IFD)
