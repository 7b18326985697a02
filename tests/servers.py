"""A PostgreSQL server of a test's own, to stop and start again, and a production-like server."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster in a temporary folder (as tests/with-postgres.sh makes)."""

    def __init__(self, workdir):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            pytest.skip("PostgreSQL server binaries are not installed")
        self.bin = bins[-1].parent
        self.workdir = workdir
        self.port = free_port()
        self.as_server = []
        if os.getuid() == 0:
            shutil.chown(workdir, "postgres")
            self.as_server = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://portal@127.0.0.1:{self.port}/portal"

    def run(self, *args):
        subprocess.run([*self.as_server, *args], check=True, capture_output=True, timeout=120)

    def init(self):
        self.run(
            str(self.bin / "initdb"), "-D", str(self.workdir / "data"), "-U", "portal",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()
        subprocess.run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "portal",
             "portal"],
            check=True, timeout=60,
        )  # fmt: skip

    def start(self):
        options = (
            f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(
            str(self.bin / "pg_ctl"), "-D", str(self.workdir / "data"),
            "-l", str(self.workdir / "server.log"), "-w", "-o", options, "start",
        )  # fmt: skip

    def migrate(self):
        manage("migrate", "--noinput", env=portal_env(DATABASE_URL=self.url))

    def stop(self, mode="fast"):
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.workdir / "data"), "-m", mode, "stop")


@pytest.fixture
def postgres_server():
    # Not under pytest's temporary folder, which the postgres user may not enter.
    workdir = Path(tempfile.mkdtemp(prefix="portal-pg."))
    server = PostgresServer(workdir)
    try:
        server.init()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop("immediate")
        shutil.rmtree(workdir, ignore_errors=True)


def portal_env(**env):
    """Return the environment of a portal process: ours less DJANGO_*, plus env.

    Debug mode unless env asks for production (DJANGO_DEBUG="0"), the portal's default.
    """
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    return {**base, "DJANGO_DEBUG": "1", **env}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip


class PortalServer:
    """The portal under gunicorn with portal/gunicorn.conf.py, one worker."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"), "-c", "portal/gunicorn.conf.py",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "1",
                "portal.wsgi",
            ],
            cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def get(self, path, timeout=20):
        """Return (status, headers, text) of a GET."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def portal_server(tmp_path):
    """Return a function that starts the portal with an environment; stop it afterwards."""
    servers = []

    def start(**env):
        server = PortalServer(portal_env(**env), tmp_path / f"gunicorn-{len(servers)}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
