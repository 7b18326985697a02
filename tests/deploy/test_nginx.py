"""The shipped proxy and app server together: deploy/nginx.conf before portal/gunicorn.conf.py."""

import threading
import urllib.error
import urllib.request

from tests.servers import run_once

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36"


def post(url, body, headers=None):
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@run_once
def test_junk_posts_and_worker_recycles_drop_no_other_request(
    sqlite_database, portal_server, nginx_server, tmp_path
):
    # Workers recycled every 15 requests, as max_requests does every 2,000 in production.
    # On a TCP port (GUNICORN_BIND's other setting), where closing a connection with a
    # body left unread resets it: the harder case for the proxy than the default socket.
    portal = portal_server(
        workers=2, threads=2, args=["--max-requests", "15", "--max-requests-jitter", "0"],
        DATABASE_URL=sqlite_database, DJANGO_CACHE_DIR=str(tmp_path / "cache"),
    )  # fmt: skip
    nginx = nginx_server(upstream=portal.bind)
    # Larger than gunicorn reads of a body nobody asked for (64 KB), within nginx's 1 MB.
    junk = b"x=" + b"a" * 900_000
    junk_statuses, beacon_statuses = [], []

    def send_junk():
        # No CSRF cookie: refused (403) before the body is read.
        for _ in range(15):
            junk_statuses.append(
                post(
                    nginx.url + "/tin-tuc/",
                    junk,
                    {"Content-Type": "application/x-www-form-urlencoded"},
                )  # fmt: skip
            )

    def send_beacons():
        for _ in range(40):
            beacon_statuses.append(
                post(
                    nginx.url + "/luot-xem/",
                    b"",
                    {"Sec-Fetch-Site": "same-origin", "User-Agent": BROWSER},
                )  # fmt: skip
            )

    threads = [threading.Thread(target=send_junk) for _ in range(2)]
    threads += [threading.Thread(target=send_beacons) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(junk_statuses) == {403}
    assert set(beacon_statuses) == {204}
    assert "prematurely closed" not in nginx.errors()
    assert portal.log_text().count("Autorestarting worker") >= 3
