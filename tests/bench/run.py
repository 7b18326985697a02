"""The portal's benchmark: `make bench` (SQLite) or `make bench-postgres`.

Starts the production configuration (gunicorn, DJANGO_DEBUG=0) on 127.0.0.1 against a
database of generated articles, runs wrk against each page in alternation over several
rounds, then measures single-client latencies of fresh renders at 1,000 and 100,000
articles, and writes the tables to docs/benchmarks.md (its own section per database).

The database is SQLite under var/bench/ unless DATABASE_URL is set. Generated data is kept
between runs (var/bench/ for SQLite; for PostgreSQL `make bench-postgres` keeps its server's
data under var/bench/postgres), so a second run is quick.
"""

import argparse
import http.client
import json
import os
import platform
import re
import runpy
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
PYTHON = sys.executable
FRESH_HEADER = "X-Bench-Fresh"
CPU_REQUESTS = 30
SIZES = [1_000, 100_000]  # --sizes changes them
WRK_THREADS, WRK_CONNECTIONS = 1, 16


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url, **extra):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_PAGE_CACHE_BYPASS_HEADER": "HTTP_" + FRESH_HEADER.upper().replace("-", "_"),
        "DJANGO_CACHE_DIR": str(BENCH_DIR / "cache"),
        "DJANGO_MEDIA_ROOT": str(BENCH_DIR / "media"),
        **extra,
    }


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    ).stdout


# Data and facts read inside Django, in a child process with the bench's settings.
PREPARE = r"""
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from news.models import Article
from portal.management.commands.generate_articles import GENERATED_PREFIX
from communes.models import SupportProgram

target = int(sys.argv[1])
have = Article.all_objects.filter(slug__startswith=GENERATED_PREFIX).count()
if have < target:
    print(json.dumps({"have": have}))
    sys.exit()
User = get_user_model()
user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
    "bench", "bench@example.invalid", None
)
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
article = Article.objects.published().filter(slug__startswith=GENERATED_PREFIX)
article = article.filter(photos__image__isnull=False).order_by("-published_at").distinct()[5]
# The year page that shows the most: the programme with the most supported communes.
year = (
    SupportProgram.objects.with_rating_counts()
    .order_by("-support_count", "-year")
    .values_list("year", flat=True)
    .first()
)
published = Article.objects.published().count()
print(json.dumps({
    "have": have, "session": session.session_key, "article": article.get_absolute_url(),
    "year": year, "published": published, "vendor": connection.vendor,
    "server": "{}.{}".format(*divmod(connection.cursor().connection.server_version, 10000))
        if connection.vendor == "postgresql" else __import__("sqlite3").sqlite_version,
}))
"""

QUERIES = r"""
import json, statistics, sys, time
import django
django.setup()
from django.core.signals import request_started
from django.db import reset_queries
request_started.disconnect(reset_queries)
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
pages = json.loads(sys.argv[1])
session = sys.argv[2]
renders = int(sys.argv[3])
counts, clients = {}, {}
for name, url in pages.items():
    client = Client(headers={"X-Bench-Fresh": "1"}, SERVER_NAME="127.0.0.1")
    if url.startswith("/admin/"):
        client.cookies["sessionid"] = session
    client.get(url)  # warm the per-process caches, as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    counts[name] = [response.status_code, len(queries)]
    clients[name] = client
# This process's CPU time per render (not the database server's), the pages taking turns:
# it moves far less with the machine's load than the time a request takes.
times = {name: [] for name in pages}
for _ in range(renders):
    for name, url in pages.items():
        start = time.process_time()
        clients[name].get(url)
        times[name].append((time.process_time() - start) * 1000)
for name in pages:
    counts[name].append(statistics.median(times[name]))
print(json.dumps(counts))
"""


def django_script(env, script, *args):
    result = subprocess.run(
        [PYTHON, "-c", script, *map(str, args)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        check=True,
        text=True,
        capture_output=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def database_url(size):
    """Return the bench database of this size: a SQLite file, or a PostgreSQL database."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{BENCH_DIR / f'db-{size}.sqlite3'}"
    import psycopg2

    base, name = url.rsplit("/", 1)
    bench_name = f"{name}_bench_{size}"
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{bench_name}"')
    connection.close()
    return f"{base}/{bench_name}"


def prepare(env, size):
    """Make sure the database holds `size` generated articles; return facts about it."""
    manage(env, "migrate", "--noinput", "-v0")
    facts = django_script(env, PREPARE, size)
    if facts["have"] == 0:
        manage(env, "load_demo", capture=True)
    if facts["have"] < size:
        log(f"Generating {size - facts['have']} articles…")
        # Through the project's own write path only: generate_articles derives every
        # stored column and fills the search index as saves do, and the portal gathers the
        # planner's statistics itself (core.statistics); no SQL is run by hand.
        manage(env, "generate_articles", "--count", str(size - facts["have"]), "--seed", "1")
        facts = django_script(env, PREPARE, size)
    if facts["have"] > size:
        raise SystemExit(f"The bench database already has {facts['have']} generated articles.")
    return facts


class Server:
    """gunicorn with the production settings, on a free port of 127.0.0.1."""

    def __init__(self, env):
        self.port = free_port()
        config = ROOT / "portal" / "gunicorn.conf.py"
        command = [PYTHON, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        if config.exists():
            command += ["--config", str(config)]
        else:
            command += ["--workers", "2", "--access-logfile", "-"]
        command += ["--workers", "2", "--error-logfile", str(BENCH_DIR / "gunicorn.log")]
        command += ["--access-logfile", "/dev/null"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        # Two workers importing the whole portal may take a while on a busy machine.
        deadline, error = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            try:
                self.get("/healthz")
                return
            except OSError as failure:
                error = failure
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start ({error}): see var/bench/gunicorn.log")

    def get(self, path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(port, path, seconds, fresh=False):
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency"]
    if fresh:
        command += ["-H", f"{FRESH_HEADER}: 1"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], check=True, text=True, capture_output=True
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def latencies(server, targets, count):
    """Return {name: (status, p50, p99)}: `count` fresh requests to each page, in turns.

    The pages take turns request by request, so a slow stretch of the machine falls on
    all of them alike rather than on whichever page was being measured then.
    """
    times = {name: [] for name in targets}
    statuses = {}
    for _ in range(count):
        for name, (path, headers) in targets.items():
            start = time.perf_counter()
            statuses[name] = server.get(path, headers)
            times[name].append((time.perf_counter() - start) * 1000)
    result = {}
    for name, values in times.items():
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        result[name] = (statuses[name], statistics.median(values), p99)
    return result


def deep_page(facts):
    """Return page 2000 of the news list, or its last page in a smaller archive."""
    return max(1, min(2000, facts["published"] // 12))


# A phrase in nearly every article, one in a few (the demo's own articles), one in none.
PHRASES = {"common": "thanh niên", "rare": "đối với một số đoàn cơ sở", "absent": "tàu vũ trụ"}


def pages(facts):
    searches = {
        f"{where} search, {kind}": f"{path}?q={quote_plus(phrase)}"
        for where, path in (("public", "/tim-kiem/"), ("admin", "/admin/news/article/"))
        for kind, phrase in PHRASES.items()
    }
    return {
        "/healthz": "/healthz",
        "home": "/",
        "news list": "/tin-tuc/",
        "news list, deep page": f"/tin-tuc/?page={deep_page(facts)}",
        "category": "/chuyen-muc/cong-tac-doan/",
        "article": facts["article"],
        "communes year page": f"/xa-ho-tro/{facts['year']}/",
        "work calendar (demo week)": "/lich-cong-tac/",
        "work calendar feed": "/lich-cong-tac/lich-cong-tac.ics",
        "admin article list": "/admin/news/article/",
        **searches,
    }


def throughput(server, facts, rounds, seconds):
    """Return {name: [req/s per round]}, the pages alternating within each round."""
    targets = [
        ("/healthz", "/healthz", False),
        ("article, cached", facts["article"], False),
        ("article, fresh", facts["article"], True),
        ("home, cached", "/", False),
        ("news list, cached", "/tin-tuc/", False),
        ("communes year page, cached", f"/xa-ho-tro/{facts['year']}/", False),
        ("public search, common, cached", pages(facts)["public search, common"], False),
        ("work calendar, cached", "/lich-cong-tac/", False),
    ]
    results = {name: [] for name, _, _ in targets}
    statuses = {}
    for number in range(rounds):
        log(f"wrk round {number + 1}/{rounds}")
        for name, path, fresh in targets:
            statuses[name] = server.get(path, {FRESH_HEADER: "1"} if fresh else {})
            rate = wrk(server.port, path, seconds, fresh)
            results[name].append(rate)
    return results, statuses


def server_layout():
    """Return how the bench's gunicorn serves: its configuration with two workers."""
    config = runpy.run_path(str(ROOT / "portal" / "gunicorn.conf.py"))
    threads = config.get("threads", 1)
    return f"{config.get('worker_class', 'sync')}, 2 workers × {threads} threads"


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    versions = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, gunicorn; print(django.get_version(), gunicorn.__version__)",
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "-v"], text=True, capture_output=True).stdout.split()[1]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores (load average {load} when the tables were written), "
        f"Linux {platform.release()}; Python "
        f"{platform.python_version()}, Django {versions[0]}, gunicorn {versions[1]} "
        f"({server_layout()}), wrk {wrk_version} (-t{WRK_THREADS} -c{WRK_CONNECTIONS})"
    )


def render(database, facts_by_size, rates, statuses, rounds, seconds, latency, queries):
    health = statistics.median(rates["/healthz"])
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {database} {facts_by_size[SIZES[-1]]['server']}: "
        f"{machine()}.",
        "",
        f"Requests per second at {SIZES[-1]:,} articles (deep page: "
        f"{deep_page(facts_by_size[SIZES[-1]])}), wrk against one page at a time, "
        f"the pages alternating, {rounds} rounds of {seconds} s (median; its share of "
        "`/healthz` in the same run):",
        "",
        "| page | req/s (median) | rounds | share of /healthz |",
        "| --- | ---: | --- | ---: |",
    ]
    for name, values in rates.items():
        median = statistics.median(values)
        note = "" if statuses[name] == 200 else f" (answers {statuses[name]})"
        lines.append(
            f"| {name}{note} | {median:,.0f} | {', '.join(f'{v:,.0f}' for v in values)} "
            f"| {median / health:.2f} |"
        )
    lines += [
        "",
        "One client, each page rendered fresh (the page cache bypassed), milliseconds, "
        f"p50 and p99 of {LATENCY_REQUESTS} requests, the pages taking turns; queries per page "
        f"and the Python CPU time of a render at {SIZES[-1]:,} articles (median of "
        f"{CPU_REQUESTS}, in-process, the database server's time not included):",
        "",
        "| page | "
        + " | ".join(f"{size:,} articles p50 / p99" for size in SIZES)
        + " | queries | CPU ms |",
        "| --- | " + " | ".join("---:" for _ in SIZES) + " | ---: | ---: |",
    ]
    for name in latency[SIZES[0]]:
        cells = []
        for size in SIZES:
            status, p50, p99 = latency[size][name]
            cells.append(f"{p50:.1f} / {p99:.1f}" + ("" if status == 200 else f" ({status})"))
        status, count, cpu = queries[name]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {count} | {cpu:.1f} |")
    return "\n".join(lines)


LATENCY_REQUESTS = 60


def write_section(database, body, command):
    start, end = f"<!-- bench:{database}:start -->", f"<!-- bench:{database}:end -->"
    section = f"{start}\n### {database}\n\n`{command}`\n\n{body}\n{end}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if start in text:
        text = re.sub(
            re.escape(start) + ".*?" + re.escape(end), lambda _: section, text, flags=re.S
        )
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text.lstrip(), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--command", default="make bench")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="archive sizes to measure, comma-separated; wrk runs at the largest",
    )
    options = parser.parse_args()
    SIZES[:] = sorted(int(size) for size in options.sizes.split(","))
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: make bench installs Debian's wrk.")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(BENCH_DIR / "cache", ignore_errors=True)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    manage(environment(database_url(SIZES[0])), "collectstatic", "--noinput", "-v0")

    facts_by_size, latency, queries = {}, {}, {}
    rates = statuses = None
    for size in SIZES:
        env = environment(database_url(size))
        facts = facts_by_size[size] = prepare(env, size)
        targets = pages(facts)
        server = Server(env)
        try:
            requests = {}
            for name, path in targets.items():
                headers = {FRESH_HEADER: "1"}
                if path.startswith("/admin/"):
                    headers["Cookie"] = f"sessionid={facts['session']}"
                server.get(path, headers)
                requests[name] = (path, headers)
            latency[size] = latencies(server, requests, LATENCY_REQUESTS)
            for name, (_, p50, _) in latency[size].items():
                log(f"{size:>7} {name:28} p50 {p50:6.1f} ms")
            if size == SIZES[-1]:
                rates, statuses = throughput(server, facts, options.rounds, options.seconds)
                queries = django_script(
                    env, QUERIES, json.dumps(targets), facts["session"], CPU_REQUESTS
                )
                queries = {name: tuple(value) for name, value in queries.items()}
        finally:
            server.stop()
    body = render(
        database, facts_by_size, rates, statuses, options.rounds, options.seconds, latency, queries
    )
    write_section(database, body, options.command)
    print(body)


if __name__ == "__main__":
    main()
