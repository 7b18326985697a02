"""Turn Lighthouse JSON reports into the table of docs/lighthouse.md.

    python tests/lighthouse/report.py --write docs/lighthouse.md report.json...

Exits non-zero if a category of a page scores under 100, naming the audits that
cost the points, unless each of them is one the portal fails on purpose (EXPECTED).
"""

import argparse
import datetime
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = [
    ("first-contentful-paint", "FCP", "s"),
    ("largest-contentful-paint", "LCP", "s"),
    ("total-blocking-time", "TBT", "ms"),
    ("cumulative-layout-shift", "CLS", ""),
    ("total-byte-weight", "bytes", "KB"),
]
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
# (the start of a page's address, an audit): why that page fails it on purpose.
EXPECTED = {
    ("/tim-kiem/?", "is-crawlable"): "search results carry `noindex`: search engines should "
    "index the articles, not pages of results (the search page itself is indexed)",
}


def metric(audit, unit):
    value = audit["numericValue"]
    if unit == "s":
        return f"{value / 1000:.1f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "KB":
        return f"{value / 1024:.0f} KB"
    return f"{value:.3f}"


def expected(page, audit):
    return next(
        (
            why
            for (start, name), why in EXPECTED.items()
            if page.startswith(start) and name == audit
        ),
        None,
    )


def summarise(report):
    """Return (page, scores, metrics, failures, notes) of one report.

    A failure is a category under 100 for a reason not in EXPECTED; notes say
    why a score is under 100 on purpose.
    """
    parts = urlsplit(report["finalDisplayedUrl"])
    page = parts.path + (f"?{parts.query}" if parts.query else "")
    scores, failures, notes = [], [], []
    for name in CATEGORIES:
        score = round(report["categories"][name]["score"] * 100)
        missed = [
            ref["id"]
            for ref in report["categories"][name]["auditRefs"]
            if ref["weight"] and report["audits"][ref["id"]]["score"] not in (None, 1)
        ]
        reasons = [expected(page, audit) for audit in missed]
        if score < 100 and missed and all(reasons):
            notes += [
                f"`{page}`, {name}: {audit}, on purpose: {why}."
                for audit, why in zip(missed, reasons, strict=True)
            ]
            scores.append(f"{score}*")
        else:
            failures += [f"{name}: {audit}" for audit in missed] if score < 100 else []
            scores.append(str(score))
    metrics = [metric(report["audits"][key], unit) for key, _, unit in METRICS]
    return page, scores, metrics, failures, notes


def table(reports):
    first = reports[0]
    lines = [
        START,
        f"Measured {datetime.date.today():%Y-%m-%d} with Lighthouse {first['lighthouseVersion']} "
        f"(mobile: simulated slow 4G and a 4× slower CPU), "
        f"{first['environment']['hostUserAgent'].split(') ')[-1].split(' Safari')[0]}.",
        "",
        "| page | performance | accessibility | best practices | SEO | "
        + " | ".join(label for _, label, _ in METRICS)
        + " |",
        "| --- |" + " ---: |" * (len(CATEGORIES) + len(METRICS)),
    ]
    failures, notes = [], []
    for report in reports:
        page, scores, metrics, missed, why = summarise(report)
        lines.append(f"| `{page}` | " + " | ".join(scores + metrics) + " |")
        failures += [f"{page}: {item}" for item in missed]
        notes += why
    lines += ["", *(f"\\* {note}" for note in notes)] if notes else []
    lines.append(END)
    return "\n".join(lines), failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", type=Path, help="the Markdown file whose table to replace")
    parser.add_argument("reports", nargs="+", type=Path)
    args = parser.parse_args()
    reports = [json.loads(path.read_text()) for path in args.reports]
    text, failures = table(reports)
    print(text)
    if args.write:
        document = args.write.read_text()
        before, rest = document.split(START, 1)
        after = rest.split(END, 1)[1]
        args.write.write_text(before + text + after)
    if failures:
        print("Below 100:\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
