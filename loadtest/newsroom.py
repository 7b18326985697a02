"""Publish and edit articles through the admin while wrk reads the site (make loadtest).

Logs in as a staff user, then every --interval seconds until the time is up: writes an
article, saves it, publishes it, checks that readers see it at once, edits its lead and
checks readers see the edit. Each of the three saves is a change of the content that
empties the page cache. Prints the counts and exits non-zero on any failure (a 5xx
answer, a timeout, an article not visible right after publishing).
"""

import argparse
import http.client
import re
import sys
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


class FormFields(HTMLParser):
    """Collect the fields a browser would submit from the form with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if (
            tag == "input"
            and name
            and attrs.get("type", "text") not in {"submit", "button", "file"}
        ):
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append([name, attrs.get("value", "")])
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
            self.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select = [name, None]
            self.fields.append(self.select)
        elif (
            tag == "option"
            and self.select is not None
            and ("selected" in attrs or self.select[1] is None)
        ):
            # The selected option, else the first one, as a browser sends.
            self.select[1] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            self.select[1] = self.select[1] or ""
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


class Browser:
    """One staff member's browser: cookies, CSRF token, a proxy that says HTTPS."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.netloc = urlsplit(base).netloc
        self.cookies = {}
        self.server_errors = 0

    def request(self, method, path, data=None):
        connection = http.client.HTTPConnection(self.netloc, timeout=30)
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{self.netloc}{path}",
            "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items()),
        }
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        if response.status >= 500:
            self.server_errors += 1
            raise RuntimeError(f"{method} {path}: {response.status}")
        return response.status, response.getheader("Location", ""), text

    def form(self, path, form_id):
        status, _, html = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        parser = FormFields(form_id)
        parser.feed(html)
        return dict(parser.fields), html

    def submit(self, path, fields):
        return self.request("POST", path, fields)


def log_in(browser, username, password):
    fields, _ = browser.form("/admin/login/", "login-form")
    fields.update(username=username, password=password, next="/admin/")
    status, location, _ = browser.submit("/admin/login/", fields)
    if status != 302:
        raise RuntimeError("could not log in")


def publish_and_edit(browser, number):
    """Write, publish and edit one article; return seconds from publishing to seeing it."""
    title = f"Tin thử tải số {number} {time.time_ns()}"
    fields, _ = browser.form("/admin/news/article/add/", "article_form")
    fields.update(
        title=title, slug="", lead="Sapo của bài viết thử tải.",
        body="<p>Đoàn viên thanh niên Bắc Kạn ra quân tình nguyện.</p>",
        author_name="Phóng viên", published_at="", _continue="1",
    )  # fmt: skip
    status, location, _ = browser.submit("/admin/news/article/add/", fields)
    match = re.search(r"/admin/news/article/(\d+)/change/", location)
    if status != 302 or not match:
        raise RuntimeError(f"the article was not saved ({status})")
    change = match.group(0)

    fields, _ = browser.form(change, "article_form")
    fields["workflow_action"] = "publish"
    status, _, _ = browser.submit(change, fields)
    if status != 302:
        raise RuntimeError(f"the article was not published ({status})")
    published = time.monotonic()
    slug = fields["slug"]
    status, _, page = browser.request("GET", f"/tin-tuc/{slug}/")
    if status != 200 or title not in page:
        raise RuntimeError(f"/tin-tuc/{slug}/ does not show the new article right after publishing")
    seen = time.monotonic() - published

    fields, _ = browser.form(change, "article_form")
    fields["lead"] = f"Sapo đã sửa lần {number}."
    fields["_continue"] = "1"
    status, _, _ = browser.submit(change, fields)
    if status != 302:
        raise RuntimeError(f"the edit was not saved ({status})")
    status, _, page = browser.request("GET", f"/tin-tuc/{slug}/")
    if f"Sapo đã sửa lần {number}." not in page:
        raise RuntimeError(f"/tin-tuc/{slug}/ does not show the edit")
    return seen


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base_url")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--interval", type=float, default=10, help="seconds between articles")
    args = parser.parse_args()

    browser = Browser(args.base_url)
    log_in(browser, args.username, args.password)
    started = time.monotonic()
    deadline = started + args.duration
    published, failures, delays = 0, [], []
    while time.monotonic() < deadline:
        try:
            delays.append(publish_and_edit(browser, published + 1))
            published += 1
        except (OSError, RuntimeError) as error:
            failures.append(str(error))
        next_start = started + (published + len(failures)) * args.interval
        time.sleep(max(0, min(next_start, deadline) - time.monotonic()))
    print(
        f"newsroom: {published} articles published and edited ({3 * published} changes), "
        f"{len(failures)} failures, {browser.server_errors} 5xx answers"
        + (f", published to visible in at most {max(delays) * 1000:.0f} ms" if delays else "")
    )
    for failure in failures[:10]:
        print("  failure:", failure)
    sys.exit(1 if failures or not published else 0)


if __name__ == "__main__":
    main()
