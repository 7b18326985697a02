"""What the browser tests share: window sizes, a phone's browser, screenshots, axe-core,
logging in and the CSP violations a page reported."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# Written for people to look at; no test reads them back.
SCREENSHOTS = BASE_DIR / "var" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Chrome on an Android phone, as most of the province's readers come.
CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def axe_violations(page, impacts=None):
    """Return axe-core's violations on the page as short texts, of these impacts only if given."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if impacts is None or violation["impact"] in impacts
    ]


# Collect violations in every frame, CKEditor's editing frame included (the
# watched_page fixture runs it in each new document).
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    (window.top.__cspViolations || window.__cspViolations).push(
        event.violatedDirective + " " + event.blockedURI + " " + (event.sample || "")
    );
});
"""


def violations(page):
    """Return the CSP violations a watched_page reported: in the console, and in this document."""
    return page.violations + page.evaluate("window.__cspViolations")


def log_in(page, live_server, username, password):
    """Log in through the admin's own login form."""
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
