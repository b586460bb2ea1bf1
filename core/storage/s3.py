"""Objects in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, DigitalOcean Spaces...)."""

from __future__ import annotations

from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from core.storage.base import ObjectNotFound, StoredObject, check_key

_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


def _is_missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _MISSING_CODES


class S3Storage:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        client: Any = None,
    ):
        self.bucket = bucket
        if client is None:
            # Path-style addressing: S3-compatible servers on a plain host name or IP rarely
            # serve <bucket>.<host>; AWS itself is reached without an endpoint and chooses.
            addressing = {"addressing_style": "path"} if endpoint_url else {}
            client = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint_url or None,
                region_name=region or None,
                # Empty means "use the default chain" (instance role, environment, ~/.aws).
                aws_access_key_id=access_key_id or None,
                aws_secret_access_key=secret_access_key or None,
                config=Config(signature_version="s3v4", s3=addressing, retries={"max_attempts": 3, "mode": "standard"}),
            )
        self.client = client

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type)

    def put_file(self, key: str, stream: BinaryIO, content_type: str) -> None:
        # boto3 sends a large file in parts, reading the stream as it goes.
        self.client.upload_fileobj(stream, self.bucket, check_key(key), ExtraArgs={"ContentType": content_type})

    def open(self, key: str) -> StoredObject:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if _is_missing(error):
                raise ObjectNotFound(key) from None
            raise
        return StoredObject(
            stream=answer["Body"],
            size=answer.get("ContentLength"),
            content_type=answer.get("ContentType") or "application/octet-stream",
        )

    def get(self, key: str) -> bytes:
        return self.open(key).read()

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if _is_missing(error):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))
