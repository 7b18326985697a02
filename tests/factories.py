"""Small factories for the tests: objects in the database, the admin forms' POST data, and
the admin forms that edit rich text."""

import datetime
import io
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from django.contrib import admin
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage

from about.models import Department, IntroPage, Officer, PortalIdentity
from communes.models import LINKS, Commune, CommuneSupport, District, Province, SupportProgram
from core.richtext import RichTextField
from documents.models import Document, DocumentType, Issuer
from news.models import Article, Category, Photo
from photos.models import Image
from portal.roles import CONTRIBUTOR, EDITOR, PUBLISHER, ROLE_PERMISSIONS
from questions.models import Question, Topic
from schedule.models import Entry, Week

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY_DIR = FIXTURES / "legacy"
IMAGES_DIR = FIXTURES / "images"
DOCUMENTS_DIR = FIXTURES / "documents"
REFERENCE_ARTICLE = LEGACY_DIR / "000_7655dac3e10b0773.txt"
ROLE_GROUPS = {"contributor": CONTRIBUTOR, "editor": EDITOR, "publisher": PUBLISHER}


def make_category(name="Công tác Đoàn", **fields):
    return Category.objects.create(name=name, **fields)


def make_article(title="Hội nghị tổng kết công tác Đoàn", **fields):
    fields.setdefault("lead", "Sáng 12/1, Tỉnh đoàn tổ chức Hội nghị.")
    fields.setdefault("body", "<p>Đoạn thứ nhất.</p><p>Đoạn thứ hai.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    return Article.objects.create(title=title, **fields)


def image_bytes(size=(64, 48), image_format="PNG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(name="anh.png", size=(64, 48), image_format="PNG"):
    content_type = f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, image_bytes(size, image_format), content_type=content_type)


def fixture_upload(name, upload_as=None, content_type="image/png"):
    """Return a file of tests/fixtures/images as an upload, under another name if asked."""
    content = (IMAGES_DIR / name).read_bytes()
    return SimpleUploadedFile(upload_as or name, content, content_type=content_type)


def oversized_png():
    """Return a real PNG just over 10 MB (padding after the image end, which decoders ignore)."""
    content = image_bytes()
    return content + b"\0" * (10 * 1024 * 1024 + 1 - len(content))


def stored_files(settings):
    """Return the names of every file under MEDIA_ROOT, relative to it."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def make_image(upload=None, **fields):
    """Return a photo library image, stored with its renditions (a small PNG unless told)."""
    image = Image(file=upload or image_upload(), **fields)
    image.save()
    return image


def make_photo(article, caption="Bí thư Tỉnh đoàn chủ trì Hội nghị", with_file=True, **fields):
    """Return a photo placed in the article, with a new library image unless told otherwise.

    alt_text and credit describe the new image (the library keeps them, not the photo).
    """
    words = {name: fields.pop(name) for name in ("alt_text", "credit") if name in fields}
    if with_file and "image" not in fields:
        fields["image"] = make_image(**words)
    elif words:
        raise TypeError("alt_text and credit are the library image's: give them to make_image")
    return Photo.objects.create(article=article, caption=caption, **fields)


# The day the 2025 arrangement took effect: former units end the day before.
ARRANGED = datetime.date(2025, 7, 1)
BEFORE_ARRANGEMENT = ARRANGED - datetime.timedelta(days=1)


def make_province(name="Thái Nguyên", **fields):
    return Province.objects.create(name=name, **fields)


def make_district(name="Ngân Sơn", **fields):
    return District.objects.create(name=name, **fields)


def make_commune(name="Hiệp Lực", district=None, **fields):
    if district is not None:
        fields.setdefault("province", district.province)
    return Commune.objects.create(name=name, district=district, **fields)


def make_link(predecessor, successor, **fields):
    """Link a unit to what it became, by default as the 2025 arrangement did."""
    fields.setdefault("date", ARRANGED)
    fields.setdefault("resolution", "1683/NQ-UBTVQH15")
    return LINKS[type(predecessor)].objects.create(
        predecessor=predecessor, successor=successor, **fields
    )


def make_program(year=2022, **fields):
    fields.setdefault("title", f"Hỗ trợ nâng cao chất lượng công tác đoàn năm {year}")
    fields.setdefault("start_month", datetime.date(year, 2, 1))
    fields.setdefault("end_month", datetime.date(year, 12, 1))
    return SupportProgram.objects.create(year=year, **fields)


def make_support(program, commune, **fields):
    return CommuneSupport.objects.create(program=program, commune=commune, **fields)


def make_user(role, username=None, **fields):
    """Return a staff user in the role's group ("superuser" makes a superuser)."""
    username = username or role
    fields.setdefault("email", f"{username}@tinhdoan.example")
    fields.setdefault("first_name", username.capitalize())
    user = get_user_model().objects.create_user(
        username, password="mat-khau", is_staff=True, is_superuser=role == "superuser", **fields
    )
    if role in ROLE_GROUPS:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


def admin_url(name, *args, model="article"):
    return reverse(f"admin:news_{model}_{name}", args=args)


def article_form_data(photos=(), **fields):
    """Return the POST data of the admin's add form for a new article, photos as inline forms."""
    data = {
        "title": "Tuổi trẻ Bắc Kạn ra quân Tháng Thanh niên",
        "slug": "",
        "lead": "Sáng 5/3, Tỉnh đoàn tổ chức Lễ ra quân Tháng Thanh niên năm 2023.",
        "body": "<p>Hơn 500 đoàn viên tham gia.</p>",
        "author_name": "Ngọc Tú",
        "category": "",
        "published_at": "05/03/2023 08:00",
        "photos-TOTAL_FORMS": str(len(photos)),
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    for index, photo in enumerate(photos):
        photo = {"caption": "Đoàn viên ra quân", "position": "0", "order": "0", **photo}
        data.update({f"photos-{index}-{name}": value for name, value in photo.items()})
    data.update(fields)
    return data


def change_data(article, photos=(), **overrides):
    """Return the POST data of the article's admin change form as it stands."""
    published_at = article.published_at and timezone.localtime(article.published_at)
    expires_at = article.expires_at and timezone.localtime(article.expires_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "author_name": article.author_name,
        "category": article.category_id or "",
        "published_at": published_at.strftime("%d/%m/%Y %H:%M") if published_at else "",
        "expires_at": expires_at.strftime("%d/%m/%Y %H:%M") if expires_at else "",
        "edit_version": article.version,
        "photos-TOTAL_FORMS": len(photos),
        "photos-INITIAL_FORMS": len(photos),
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
    }
    if article.featured:
        data["featured"] = "on"
    for index, photo in enumerate(photos):
        prefix = f"photos-{index}-"
        data.update(
            {
                prefix + "id": photo.pk,
                prefix + "article": article.pk,
                prefix + "image": photo.image_id or "",
                prefix + "caption": photo.caption,
                prefix + "alt_text": photo.alt_text,
                prefix + "credit": photo.credit,
                prefix + "position": photo.position,
                prefix + "order": photo.order,
            }
        )
    data.update(overrides)
    return data


def move(client, article, action, **overrides):
    """Press a workflow button on the article's change form: save it as it stands and move it."""
    article.refresh_from_db()
    data = change_data(article, workflow_action=action, **overrides)
    return client.post(admin_url("change", article.pk), data)


def form_version(response):
    """Return the edit_version the change form carries."""
    match = re.search(r'name="edit_version" value="(\d+)"', response.content.decode())
    return int(match.group(1))


def element(response, tag):
    """Return the page's first <tag> element (its opening to its closing tag), as text."""
    page = response.content.decode()
    return page[page.index(f"<{tag}") : page.index(f"</{tag}>")]


def form_errors(response):
    """Return the texts of the error lists on an admin form page."""
    html = response.content.decode()
    return [
        re.sub(r"<[^>]+>", " ", item).strip()
        for item in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    ]


# The union's own information and questions from the public


def make_identity(related_portals=(), **fields):
    """Store the portal's identity (the one record), with related portals given as (name, url)."""
    fields.setdefault("full_name", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn")
    fields.setdefault("full_name_en", "Hồ Chí Minh Communist Youth Union of Bắc Kạn province")
    fields.setdefault("short_name", "Tỉnh đoàn Bắc Kạn")
    fields.setdefault("short_name_en", "Bắc Kạn Provincial Youth Union")
    fields.setdefault("parent_organisation", "Đoàn TNCS Hồ Chí Minh")
    fields.setdefault("address", "Số 1, đường Trường Chinh, tỉnh Bắc Kạn")
    fields.setdefault("phone", "0209 3870 000")
    fields.setdefault("email", "tinhdoan@backan.example")
    fields.setdefault("content_responsible", "Nguyễn Văn An, Phó Bí thư Tỉnh đoàn")
    fields.setdefault("licence", "Giấy phép số 01/GP-TTĐT ngày 01/01/2020")
    identity = PortalIdentity.objects.create(**fields)
    for order, (name, url) in enumerate(related_portals):
        identity.related_portals.create(name=name, url=url, order=order)
    return identity


def make_intro_page(title="Giới thiệu chung", **fields):
    fields.setdefault(
        "body", "<p>Tỉnh đoàn Bắc Kạn là tổ chức chính trị – xã hội của thanh niên.</p>"
    )
    return IntroPage.objects.create(title=title, **fields)


def make_department(name="Ban Thường vụ", **fields):
    return Department.objects.create(name=name, **fields)


def make_officer(department, name="Nguyễn Thị Hoa", **fields):
    fields.setdefault("position", "Bí thư Tỉnh đoàn")
    return Officer.objects.create(department=department, name=name, **fields)


def make_topic(name="Công tác Đoàn", **fields):
    return Topic.objects.get_or_create(name=name, defaults=fields)[0]


def make_question(text="Xin hỏi thủ tục chuyển sinh hoạt Đoàn?", **fields):
    fields.setdefault("name", "Hoàng Văn Bình")
    fields.setdefault("email", "binh@nguoidan.example")
    fields.setdefault("topic", make_topic())
    return Question.objects.create(text=text, **fields)


def make_week(monday, published=True, **fields):
    """Return the week of the Monday, published unless told."""
    week = Week.objects.create(monday=monday, **fields)
    if published:
        week.publish(None)
    return week


def make_entry(week, day=0, title="Giao ban Ban Thường vụ", attendees=(), **fields):
    """Return an entry on the week's day (0 is Monday), at 08:00 unless told."""
    fields.setdefault("starts_at", datetime.time(8, 0))
    entry = Entry.objects.create(
        week=week, date=week.monday + datetime.timedelta(days=day), title=title, **fields
    )
    entry.attendees.set(attendees)
    return entry


def stage_fields(stage, now=None):
    """Return the workflow fields of a row standing at the stage (core.workflow.Stage) at now."""
    from core.workflow import Stage, Status

    now = now or timezone.now()
    hour = datetime.timedelta(hours=1)
    return {
        Stage.DRAFT: {"status": Status.DRAFT},
        Stage.RETURNED: {"status": Status.DRAFT, "returned_at": now - hour},
        Stage.IN_REVIEW: {"status": Status.REVIEW},
        Stage.APPROVED: {"status": Status.REVIEW, "approved_at": now - hour},
        Stage.SCHEDULED: {"status": Status.PUBLISHED, "published_at": now + hour},
        Stage.LIVE: {"status": Status.PUBLISHED, "published_at": now - hour},
        Stage.EXPIRED: {
            "status": Status.PUBLISHED,
            "published_at": now - 2 * hour,
            "expires_at": now - hour,
        },
        Stage.ARCHIVED: {"status": Status.ARCHIVED, "published_at": now - hour},
        Stage.TRASHED: {
            "status": Status.PUBLISHED,
            "published_at": now - hour,
            "deleted_at": now - hour,
        },
    }[stage]


def make_article_at(stage, now, title=None, **fields):
    """Return a new article standing at the stage (news.models.Stage) at the moment now."""
    fields = {**stage_fields(stage, now), **fields}
    return make_article(title=title or f"Bài {stage.label}", **fields)


HIDDEN_STAGES = ["draft", "returned", "in_review", "approved", "scheduled", "expired"]
HIDDEN_STAGES += ["archived", "trashed"]


# Queries a public page runs when rendered (the page cache off), asserted by the
# page tests and by the cache tests.

# The menu's categories, featured and their cover photos, most read. The latest news
# and the category sections come from the newest articles, read with their covers once
# per content change (NEWEST_QUERIES) for the home and every article page.
HOME_QUERIES = 4
# Categories for the menu, page of articles, their cover photos. The count is
# remembered until the content changes: the first list after a change also counts
# and works out the next scheduled moment (three queries, once per change for every
# page: the next scheduled article, the next expiry, the next identity).
LIST_QUERIES = 3
COUNT_QUERIES = 1
NEXT_MOMENT_QUERIES = 3
# The union's identity, read once per content change for every page (about.identity): its
# record; with one stored, its related portals too (IDENTITY_QUERIES_STORED).
IDENTITY_QUERIES = 1
IDENTITY_QUERIES_STORED = 2
# Categories for the menu, the category, page of articles, their cover photos.
CATEGORY_QUERIES = 4
# Categories for the menu, the article (with whether communes are linked), its photos.
# Related and other news come from the newest articles, of its category and of all,
# read with their cover photos once per content change for every article page; an
# article linked to communes reads its related news (and their covers) itself.
ARTICLE_QUERIES = 3
NEWEST_QUERIES = 2
LINKED_RELATED_QUERIES = 2
# The links of one level of unit (communes, districts or provinces), read once per
# content change for every page that says what a unit is now (communes.lineage).
LINEAGE_QUERIES = 1


# Admin forms with rich text, found by walking the admin: tests/core/test_csp.py and
# tests/browser/test_rich_text_forms.py open each of them, whatever app adds one.


@dataclass(frozen=True)
class RichTextForm:
    """Rich-text fields that an admin change page edits: its own model's, or an inline's."""

    admin_model: type  # the model whose change page it is
    model: type  # the model holding the fields: admin_model, or an inline's model
    fields: tuple  # the names of its rich-text fields that the form edits
    parent_field: str = ""  # for an inline: model's foreign key to admin_model
    prefix: str = ""  # for an inline: its formset's prefix

    def __str__(self):
        where = f" in {self.admin_model._meta.label}" if self.parent_field else ""
        return f"{self.model._meta.label}{where}: {', '.join(self.fields)}"

    def change_url(self, row):
        page = getattr(row, self.parent_field) if self.parent_field else row
        opts = self.admin_model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])

    def input_names(self):
        """Return {field: the name of its input on the page} (an inline row: the first)."""
        if self.parent_field:
            return {field: f"{self.prefix}-0-{field}" for field in self.fields}
        return {field: field for field in self.fields}

    def change_permissions(self):
        return {
            f"{model._meta.app_label}.{get_permission_codename('change', model._meta)}"
            for model in {self.admin_model, self.model}
        }


def rich_text_forms():
    """Return a RichTextForm for each admin change page and inline that edits rich text.

    Walks every registered ModelAdmin and its inlines, and asks each for its form as a
    superuser would get it, so a field left out of the form, read-only, or on a page
    nobody may change (the trash) draws no editor and is not counted.
    """
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_active=True, is_staff=True, is_superuser=True)

    def rich_fields(model, form):
        return tuple(
            field.name
            for field in model._meta.fields
            if isinstance(field, RichTextField) and field.name in form.base_fields
        )

    found = []
    for model, model_admin in admin.site._registry.items():
        if fields := rich_fields(model, model_admin.get_form(request, change=True)):
            found.append(RichTextForm(model, model, fields))
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            if fields := rich_fields(inline.model, formset.form):
                prefix = formset.get_default_prefix()
                found.append(RichTextForm(model, inline.model, fields, formset.fk.name, prefix))
    return found


# A row for each model whose rich text an admin form edits, which `editor` may change,
# storing the texts given: RICH_TEXT_ROWS[model](editor, **texts). A model whose rich
# text is on an inline makes its parent too.
RICH_TEXT_ROWS = {
    Article: lambda editor, **texts: make_article(
        status=Article.Status.DRAFT, created_by=editor, **texts
    ),
    IntroPage: lambda editor, **texts: make_intro_page(**texts),
    Question: lambda editor, **texts: make_question(
        status=Question.Status.IN_PROGRESS, assigned_to=editor, **texts
    ),
}


def make_rich_text_row(form, editor, texts):
    """Store a row of the form's model with these texts, through RICH_TEXT_ROWS."""
    if form.model not in RICH_TEXT_ROWS:
        raise AssertionError(
            f"{form.model._meta.label} has rich text in the admin ({form}) but no factory: "
            "add one to RICH_TEXT_ROWS in tests/factories.py."
        )
    return RICH_TEXT_ROWS[form.model](editor, **texts)


def make_rich_text_editor(form):
    """Return a user of the least-privileged role that may change the form's rows.

    The role comes from portal.roles.ROLE_PERMISSIONS (fewest permissions first); a
    superuser only if no role may.
    """
    roles = [
        role for role, codes in ROLE_PERMISSIONS.items() if form.change_permissions() <= set(codes)
    ]
    if not roles:
        return make_user("superuser")
    role = min(roles, key=lambda role: len(set(ROLE_PERMISSIONS[role])))
    return make_user({group: key for key, group in ROLE_GROUPS.items()}[role])


# Mail through the task queue (core.mail); the `no_mail_server` fixture is in conftest.py.


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mail_server_comes_back(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def run_worker():
    """Run the task worker once over everything due, as `manage.py db_worker` does."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def queued_mail():
    """Return the messages waiting in the task queue."""
    return list(
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path="core.mail.deliver")
    )


# Documents (văn bản)


def make_document(
    number="12-KH/TĐTN", summary="Kế hoạch tổ chức Tháng Thanh niên năm 2025", **fields
):
    """Return a document, published unless told otherwise: a plan of the standing committee."""
    fields.setdefault("doc_type", DocumentType.objects.get(slug="ke-hoach"))
    fields.setdefault("issuer", Issuer.objects.get(slug="ban-thuong-vu-tinh-doan"))
    fields.setdefault("issued_on", datetime.date(2025, 2, 20))
    fields.setdefault("status", Document.Status.PUBLISHED)
    if fields["status"] == Document.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    return Document.objects.create(number=number, summary=summary, **fields)


def document_upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_bytes(*paragraphs):
    """Return a Word file holding the paragraphs (python-docx)."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def document_form_data(files=(), **fields):
    """Return the POST data of the admin's add form for a new document, files as inline forms."""
    data = {
        "number": "15-KH/TĐTN",
        "doc_type": DocumentType.objects.get(slug="ke-hoach").pk,
        "issuer": Issuer.objects.get(slug="ban-thuong-vu-tinh-doan").pk,
        "field": "",
        "issued_on": "05/03/2025",
        "effective_on": "",
        "signer": "Nguyễn Văn An",
        "summary": "Kế hoạch tổ chức các hoạt động Tháng Thanh niên năm 2025",
        "validity": "in_force",
        "replaced_by": "",
        "files-TOTAL_FORMS": str(len(files)),
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(files):
        row = {"is_main": "on" if index == 0 else "", "title": "", "order": "0", **row}
        data.update({f"files-{index}-{name}": value for name, value in row.items()})
    data.update(fields)
    return data
