"""Media on S3-compatible object storage, against moto's S3 server run as a local process."""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured

from news.models import Article
from portal.settings import media_storage
from tests.factories import admin_url, article_form_data, form_errors, image_upload

BUCKET = "anh-cong-thong-tin"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """Start moto's S3 server on a free port; stop it after the module."""
    port = free_port()
    server = Path(sys.executable).parent / "moto_server"
    log = (tmp_path_factory.mktemp("moto") / "server.log").open("w")
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def s3_media(s3_endpoint, settings, monkeypatch):
    environment = {
        "DJANGO_MEDIA_STORAGE": "s3",
        "DJANGO_S3_BUCKET": BUCKET,
        "DJANGO_S3_ENDPOINT_URL": s3_endpoint,
        "DJANGO_S3_REGION": "us-east-1",
        "DJANGO_S3_ACCESS_KEY_ID": "khoa-thu",
        "DJANGO_S3_SECRET_ACCESS_KEY": "bi-mat-thu",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="khoa-thu",
        aws_secret_access_key="bi-mat-thu",
    )
    client.create_bucket(Bucket=BUCKET)
    # Photos are public: readers fetch them straight from the bucket (or a CDN before it).
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    return client


def test_local_folder_is_the_default(monkeypatch):
    monkeypatch.delenv("DJANGO_MEDIA_STORAGE", raising=False)
    assert media_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_needs_a_bucket(monkeypatch):
    monkeypatch.setenv("DJANGO_MEDIA_STORAGE", "s3")
    monkeypatch.delenv("DJANGO_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_S3_BUCKET"):
        media_storage()


@pytest.mark.django_db
def test_an_uploaded_photo_is_stored_in_the_bucket_and_served_from_it(
    s3_media, s3_endpoint, admin_client, client
):
    photos = [{"upload": image_upload("ra-quan.jpg", size=(80, 60), image_format="JPEG")}]
    data = article_form_data(photos=photos, workflow_action="publish", published_at="")
    response = admin_client.post(admin_url("add"), data)
    assert response.status_code == 302, form_errors(response)
    photo = Article.objects.get().photos.get()
    stored_file = photo.image.file
    assert stored_file.name.startswith("photos/")
    assert (photo.width, photo.height) == (80, 60)

    stored = s3_media.get_object(Bucket=BUCKET, Key=stored_file.name)
    assert stored["Body"].read()[:2] == b"\xff\xd8"  # a JPEG
    url = stored_file.url
    assert url == f"{s3_endpoint}/{BUCKET}/{stored_file.name}"
    assert "Signature" not in url
    with urllib.request.urlopen(url) as answer:  # noqa: S310 (a local test server)
        assert answer.read()[:2] == b"\xff\xd8"
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    # The page shows a rendition of it, made and served from the same bucket.
    rendition = re.search(r'<img src="([^"]+)"[^>]*alt="Đoàn viên ra quân"', page)[1]
    assert rendition.startswith(f"{s3_endpoint}/{BUCKET}/renditions/photos/")
    with urllib.request.urlopen(rendition) as answer:  # noqa: S310 (a local test server)
        assert answer.read()[:2] == b"\xff\xd8"
