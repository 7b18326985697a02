"""Reading of the old portal's text export, one article per file.

The export is plain text, one paragraph per line, blank lines between them:

    PublishingPortal - Block_BanTin_Toolbar      <- portal chrome, dropped
    12/01/2023                                   <- date, day first
    Tăng cỡ chữ Giảm cỡ chữ                      <- toolbar, dropped
    Title
    Lead (sapo)
    Photo caption                                <- short, no closing punctuation
    Body paragraph.
    …
    Byline                                       <- last line
"""

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.html import escape

CHROME_LINE = re.compile(r"^PublishingPortal\s*-\s*Block_\w+$")
TOOLBAR_LINE = re.compile(r"^Tăng cỡ chữ\s+Giảm cỡ chữ$", re.IGNORECASE)
DATE_LINE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
CLOSING_PUNCTUATION = (".", "!", "?", "…", ":", ";", '"', "”", "»", ")")
MAX_CAPTION_LENGTH = 200
MAX_BYLINE_LENGTH = 80
# Characters the export scatters that are not text: no-break and zero-width
# spaces, byte order marks.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


class LegacyFormatError(ValueError):
    """The file does not follow the export format; says where."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = path, line, message
        location = f"{path}:{line}" if line else str(path)
        super().__init__(f"{location}: {message}")


@dataclass
class LegacyPhoto:
    caption: str
    position: int  # body paragraphs before the photo
    line: int


@dataclass
class LegacyArticle:
    path: Path
    published_at: datetime.datetime
    title: str
    lead: str
    paragraphs: list[str] = field(default_factory=list)
    photos: list[LegacyPhoto] = field(default_factory=list)
    byline: str = ""

    @property
    def key(self):
        """Identify the article whatever the file is called: its date and title."""
        source = f"{self.published_at.date().isoformat()}|{self.title}"
        return hashlib.sha256(source.encode()).hexdigest()[:40]

    @property
    def body_html(self):
        return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in self.paragraphs)


def clean_line(line):
    """Return line with no-break and repeated spaces made single, in Unicode NFC."""
    line = unicodedata.normalize("NFC", line.translate(_INVISIBLE))
    return _SPACES.sub(" ", line).strip()


def is_chrome(line):
    return bool(CHROME_LINE.match(line) or TOOLBAR_LINE.match(line))


def looks_like_caption(line):
    return len(line) <= MAX_CAPTION_LENGTH and not line.endswith(CLOSING_PUNCTUATION)


def read_lines(path):
    """Return the file's (line number, cleaned text) pairs, blank and chrome lines left out."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LegacyFormatError(path, line, "the file is not UTF-8 text") from error
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = clean_line(line)
        if line and not is_chrome(line):
            lines.append((number, line))
    return lines


def parse_date(path, number, line):
    match = DATE_LINE.match(line)
    if not match:
        raise LegacyFormatError(
            path, number, f"expected the publication date as dd/mm/yyyy, found {line[:60]!r}"
        )
    day, month, year = (int(part) for part in match.groups())
    try:
        date = datetime.date(year, month, day)
    except ValueError as error:
        raise LegacyFormatError(path, number, f"{line} is not a valid date") from error
    return datetime.datetime.combine(date, datetime.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def parse_file(path):
    """Return the LegacyArticle in path, or raise LegacyFormatError."""
    path = Path(path)
    lines = read_lines(path)
    if not lines:
        raise LegacyFormatError(path, 0, "the file holds no article")
    published_at = parse_date(path, *lines[0])
    names = ["the publication date", "the title", "the lead", "the body"]
    if len(lines) < len(names):
        raise LegacyFormatError(
            path, lines[-1][0], f"the file ends before {names[len(lines)]} (expected on a new line)"
        )
    _date, (title_no, title), (lead_no, lead), *rest = lines
    for number, text, what in [(title_no, title, "title"), (lead_no, lead, "lead")]:
        if DATE_LINE.match(text):
            raise LegacyFormatError(path, number, f"expected the {what}, found another date")
    if len(title) > 300:
        raise LegacyFormatError(path, title_no, "the title is longer than 300 characters")

    byline = ""
    last_no, last_line = rest[-1]
    if len(rest) > 1 and len(last_line) <= MAX_BYLINE_LENGTH and looks_like_caption(last_line):
        byline = last_line
        rest = rest[:-1]

    article = LegacyArticle(
        path=path, published_at=published_at, title=title, lead=lead, byline=byline
    )
    for number, line in rest:
        if looks_like_caption(line):
            article.photos.append(
                LegacyPhoto(caption=line, position=len(article.paragraphs), line=number)
            )
        else:
            article.paragraphs.append(line)
    if not article.paragraphs:
        raise LegacyFormatError(
            path, last_no, "no body paragraph found (paragraphs end with punctuation)"
        )
    return article
