"""A PostgreSQL server of a test's own, to stop and start again, and a production-like server."""

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# Tests that start servers of their own (gunicorn, nginx, PostgreSQL, a SQLite file),
# whatever database the suite runs on: they run once, in the PostgreSQL run, which is
# the shorter of the two (tests/both-databases.sh).
run_once = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="starts servers of its own: run once, in the PostgreSQL run",
)

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

    def processes(self):
        """Return the pids of the postmaster and its children (the backends)."""
        postmaster = (self.workdir / "data" / "postmaster.pid").read_text().split()[0]
        children = subprocess.run(
            ["pgrep", "-P", postmaster], capture_output=True, text=True, check=False
        ).stdout.split()
        return [int(postmaster), *map(int, children)]

    def hang(self):
        """Stop every process of the server (SIGSTOP): connections stay open, nothing answers."""
        for pid in self.processes():
            os.kill(pid, signal.SIGSTOP)

    def resume(self):
        for pid in self.processes():
            os.kill(pid, signal.SIGCONT)


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
    """The portal under gunicorn with portal/gunicorn.conf.py (one worker, one thread unless
    told), on a TCP port, or on a Unix socket as the documented setup behind nginx runs it."""

    def __init__(self, env, log_path, workers=1, threads=1, args=(), socket_path=None):
        self.port = free_port()
        self.socket_path = socket_path
        self.bind = f"unix:{socket_path}" if socket_path else f"127.0.0.1:{self.port}"
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"), "-c", "portal/gunicorn.conf.py",
                "--bind", self.bind, "--workers", str(workers), "--threads", str(threads),
                *args, "portal.wsgi",
            ],
            cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if socket_path:
                    with socket.socket(socket.AF_UNIX) as probe:
                        probe.connect(socket_path)
                else:
                    self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def get(self, path, timeout=20):
        """Return (status, headers, text) of a GET."""
        return self.request("GET", path, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=20):
        """Return (status, headers, text) of a request on a connection of its own."""
        request = urllib.request.Request(
            self.url + path, data=body, headers=headers or {}, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def log_text(self):
        self.log.flush()
        return Path(self.log_path).read_text()

    def stop(self):
        if self.process.poll() is None:
            # A quick shutdown: a graceful one waits for workers still starting up.
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(timeout=40)
        self.log.close()


@pytest.fixture
def portal_server(tmp_path):
    """Return a function that starts the portal with an environment; stop it afterwards.

    `portal_server(workers=3, threads=2, args=[...], socket_path=..., DATABASE_URL=...)`:
    the keywords in lower case are gunicorn's, those in capitals the environment's.
    """
    servers = []

    def start(workers=1, threads=1, args=(), socket_path=None, **env):
        server = PortalServer(
            portal_env(**env), tmp_path / f"gunicorn-{len(servers)}.log",
            workers=workers, threads=threads, args=args, socket_path=socket_path,
        )  # fmt: skip
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A migrated SQLite database file, made once for the whole run."""
    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    manage("migrate", "--noinput", env=portal_env(DATABASE_URL=f"sqlite:///{path}"))
    return path


@pytest.fixture
def sqlite_database(migrated_sqlite, tmp_path):
    """Return the URL of a migrated SQLite database of the test's own, for servers."""
    path = tmp_path / "db.sqlite3"
    with (
        contextlib.closing(sqlite3.connect(migrated_sqlite)) as source,
        contextlib.closing(sqlite3.connect(path)) as copy,
    ):
        source.backup(copy)
    return f"sqlite:///{path}"


class NginxServer:
    """nginx with the shipped deploy/nginx.conf in front of an upstream, run as this user."""

    def __init__(self, workdir, upstream, media_root):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            pytest.skip("nginx is not installed (make system-packages)")
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = (BASE_DIR / "deploy" / "nginx.conf").read_text()
        for name, value in {
            "@LISTEN@": f"127.0.0.1:{self.port}", "@SERVER_NAME@": "127.0.0.1",
            "@UPSTREAM@": upstream, "@MEDIA_ROOT@": str(media_root),
        }.items():  # fmt: skip
            site = site.replace(name, value)
        (workdir / "site.conf").write_text(site)
        # The shipped file as it is, wrapped in what a standalone nginx needs.
        # As root, nginx's workers would run as nobody, outside the group that may open
        # gunicorn's socket (www-data in production, in the portal's group).
        user = "user root;" if os.getuid() == 0 else ""
        (workdir / "nginx.conf").write_text(
            f"""{user}
daemon on;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {workdir}/client; proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fastcgi; uwsgi_temp_path {workdir}/uwsgi;
  scgi_temp_path {workdir}/scgi;
  include {workdir}/site.conf;
}}
"""
        )
        self.command = [nginx, "-p", str(workdir), "-c", str(workdir / "nginx.conf")]
        subprocess.run(self.command, check=True, capture_output=True, timeout=30)

    def errors(self):
        path = self.workdir / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        subprocess.run([*self.command, "-s", "stop"], capture_output=True, timeout=30)


@pytest.fixture
def nginx_server():
    """Return a function that starts nginx with deploy/nginx.conf before an upstream address."""
    started = []

    def start(upstream):
        workdir = Path(tempfile.mkdtemp(prefix="portal-nginx."))
        workdir.chmod(0o755)
        server = NginxServer(workdir, upstream, workdir / "media")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)
