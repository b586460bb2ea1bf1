"""The storage contract, kept alike by the local folder and an S3-compatible bucket."""

from __future__ import annotations

import os

import pytest

from core.storage import InvalidKey, LocalStorage, ObjectNotFound, Storage
from tests.unit.core.storage.s3server import new_bucket

PHOTO = os.urandom(200 * 1024)  # bigger than one streaming chunk


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    return new_bucket(request.getfixturevalue("s3_endpoint"))


def test_what_is_put_comes_back_with_its_content_type(storage):
    storage.put("images/ab/photo.jpg", PHOTO, "image/jpeg")

    assert storage.get("images/ab/photo.jpg") == PHOTO
    with storage.open("images/ab/photo.jpg") as stored:
        assert stored.content_type == "image/jpeg"
        assert stored.size == len(PHOTO)


def test_an_object_streams_in_chunks(storage):
    storage.put("photo.png", PHOTO, "image/png")

    chunks = list(storage.open("photo.png").chunks(chunk_size=64 * 1024))

    assert len(chunks) == 4
    assert b"".join(chunks) == PHOTO


def test_put_replaces_the_object(storage):
    storage.put("a/photo.jpg", b"first", "image/jpeg")
    storage.put("a/photo.jpg", b"second", "image/webp")

    assert storage.get("a/photo.jpg") == b"second"
    assert storage.open("a/photo.jpg").read() == b"second"


def test_exists_and_delete(storage):
    assert not storage.exists("a/photo.jpg")
    storage.put("a/photo.jpg", b"data", "image/jpeg")
    assert storage.exists("a/photo.jpg")
    assert not storage.exists("a/photo")

    storage.delete("a/photo.jpg")

    assert not storage.exists("a/photo.jpg")
    with pytest.raises(ObjectNotFound):
        storage.get("a/photo.jpg")
    storage.delete("a/photo.jpg")  # deleting twice is harmless


def test_a_missing_object_is_not_found(storage):
    with pytest.raises(ObjectNotFound):
        storage.get("never/stored.jpg")
    with pytest.raises(ObjectNotFound):
        storage.open("never/stored.jpg")


BAD_KEYS = [
    "../secret.txt",
    "a/../../secret.txt",
    "/etc/passwd",
    "a//b",
    ".meta/a.json",
    "a/.hidden",
    "a\\..\\b",
    "",
    "a/",
    "a b",
    "ảnh.jpg",
    "x" * 600,
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_keys_that_are_not_plain_paths_are_refused(storage, key):
    for operation in (
        lambda: storage.put(key, b"x", "text/plain"),
        lambda: storage.get(key),
        lambda: storage.exists(key),
        lambda: storage.delete(key),
    ):
        with pytest.raises(InvalidKey):
            operation()


def test_the_local_folder_cannot_be_escaped(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"database password")
    root = tmp_path / "files"
    storage = LocalStorage(root)

    with pytest.raises(InvalidKey):
        storage.get("../secret.txt")
    with pytest.raises(InvalidKey):
        storage.put("../escaped.txt", b"owned", "text/plain")
    with pytest.raises(InvalidKey):
        storage.delete("../secret.txt")

    assert secret.read_bytes() == b"database password"
    assert not (tmp_path / "escaped.txt").exists()


def test_a_symlink_inside_the_local_folder_does_not_lead_out(tmp_path):
    (tmp_path / "secret.txt").write_bytes(b"database password")
    root = tmp_path / "files"
    root.mkdir()
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    storage = LocalStorage(root)

    with pytest.raises(InvalidKey):
        storage.get("link/secret.txt")
    with pytest.raises(InvalidKey):
        storage.put("link/planted.txt", b"x", "text/plain")
    assert not (tmp_path / "planted.txt").exists()


def test_local_objects_are_files_under_the_folder(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    storage.put("images/ab/photo.jpg", b"jpeg bytes", "image/jpeg")

    assert (tmp_path / "files" / "images" / "ab" / "photo.jpg").read_bytes() == b"jpeg bytes"
    with LocalStorage(tmp_path / "files").open("images/ab/photo.jpg") as stored:
        assert stored.content_type == "image/jpeg"
