"""The memory one photo upload takes, through the real path (not part of `make test`).

    .venv/bin/python tests/bench/upload_memory.py [--threads 4] [--format png]

Makes a 39.9-megapixel camera-size JPEG (7728 × 5163, 8 MB; or a PNG of that size), a
throwaway SQLite database and media folder, each in a process of its own, then in this
process loads the portal in production settings, logs a publisher in, uploads a small
photo (so that the code every upload imports is loaded) and the large one to CKEditor's
uploader, `/ckeditor/upload/`: the form's checks, the photo library's model, the
re-encoded original and its renditions, as a gunicorn worker runs them. Prints this
process's peak resident memory (ru_maxrss, what `/usr/bin/time -v` calls "Maximum
resident set size", without the helper processes, which drawing the photo makes large)
before and after the large upload. `--threads 4` uploads four at once, as the four
threads of one worker may.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 7728, 5163

MAKE_PHOTO = f"""
import sys
from PIL import Image
size = ({WIDTH}, {HEIGHT})
# Grain in one channel, as a camera's photo has; a PNG with it would pass 10 MB.
middle = Image.effect_noise(size, 14) if sys.argv[2] == "jpeg" else Image.new("L", size, 90)
photo = Image.merge("RGB", (
    Image.linear_gradient("L").resize(size), middle, Image.radial_gradient("L").resize(size),
))
photo.save(sys.argv[1], quality=80)
"""


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    workdir = Path(tempfile.mkdtemp(prefix="portal-upload-memory."))
    try:
        measure(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure(workdir):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="large uploads at once")
    parser.add_argument("--format", choices=["jpeg", "png"], default="jpeg")
    arguments = parser.parse_args()
    threads, image_format = arguments.threads, arguments.format
    os.environ.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="upload-memory-only-secret-key-not-for-production-0123456789",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_CACHE_DIR=str(workdir / "cache"),
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    photo = workdir / f"anh-dai-hoi.{image_format}"
    subprocess.run([sys.executable, "-c", MAKE_PHOTO, str(photo), image_format], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True
    )

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from PIL import Image

    user = get_user_model().objects.create_superuser("tongbientap", "t@example.com", "x")

    def upload(name, content):
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        response = client.post("/ckeditor/upload/", {"upload": SimpleUploadedFile(name, content)})
        assert response.json().get("uploaded") == 1, response.content

    small = workdir / "nho.jpg"
    Image.new("RGB", (1600, 1200), "teal").save(small, quality=80)
    upload("nho.jpg", small.read_bytes())
    content = photo.read_bytes()
    before = peak_mb()
    workers = [
        threading.Thread(target=upload, args=(f"anh-{number}.{image_format}", content))
        for number in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(
        f"{WIDTH} × {HEIGHT} {image_format.upper()} ({len(content) / 1e6:.1f} MB), "
        f"{threads} at once: peak {before:.0f} MB before the upload, {peak_mb():.0f} MB "
        f"after (+{peak_mb() - before:.0f} MB)"
    )


if __name__ == "__main__":
    main()
