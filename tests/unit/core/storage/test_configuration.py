"""The backend is chosen by STORAGE_BACKEND, and a bad choice stops start-up naming the setting."""

from __future__ import annotations

import pytest

from core.config import ConfigurationError
from core.storage import LocalStorage, S3Storage, build_storage


def test_local_is_built_on_the_configured_folder(tmp_path):
    storage = build_storage({"STORAGE_BACKEND": "local", "STORAGE_LOCAL_PATH": str(tmp_path / "files")})
    assert isinstance(storage, LocalStorage)
    assert storage.root == (tmp_path / "files").resolve()


def test_s3_is_built_on_the_configured_bucket():
    storage = build_storage(
        {
            "STORAGE_BACKEND": "s3",
            "STORAGE_S3_BUCKET": "nongsan-photos",
            "STORAGE_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "STORAGE_S3_REGION": "ap-southeast-1",
            "STORAGE_S3_ACCESS_KEY_ID": "key",
            "STORAGE_S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    assert isinstance(storage, S3Storage)
    assert storage.bucket == "nongsan-photos"
    assert storage.client.meta.endpoint_url == "http://127.0.0.1:9000"
    assert storage.client.meta.region_name == "ap-southeast-1"


def test_s3_without_a_bucket_names_the_missing_setting():
    with pytest.raises(ConfigurationError, match="STORAGE_S3_BUCKET"):
        build_storage({"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": ""})


@pytest.mark.parametrize("backend", ["ftp", "", "gcs"])
def test_an_unknown_backend_names_the_setting(backend):
    with pytest.raises(ConfigurationError, match="STORAGE_BACKEND"):
        build_storage({"STORAGE_BACKEND": backend, "STORAGE_LOCAL_PATH": "/tmp/x"})
