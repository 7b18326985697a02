"""What the browser tests share: window sizes, a phone's browser, screenshots and axe-core."""

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
