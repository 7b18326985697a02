import csv
import io
import json
import secrets
import tempfile
import textwrap
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from about.models import Department, IntroPage, PortalIdentity
from communes.models import SupportProgram
from core.text import strip_accents
from documents.models import DocumentType, Issuer, WorkField
from news.models import Article, Category, Photo
from photos.models import Image as LibraryImage

DEMO_DIR = Path(apps.get_app_config("portal").path) / "demo"
REFERENCE_ARTICLE = DEMO_DIR / "000_7655dac3e10b0773.txt"
SUPPORTED_COMMUNES = DEMO_DIR / "supported_communes.csv"
# The union's identity, introduction pages and directory; placeholders are marked as such.
ABOUT = DEMO_DIR / "about.json"
# The reference article reports the 2022 program; its slug comes from its title.
REFERENCE_ARTICLE_SLUG = "tong-ket-cong-tac-ho-tro"
CATEGORIES = [
    ("Công tác Đoàn", "cong-tac-doan"),
    ("Phong trào thanh thiếu nhi", "phong-trao-thanh-thieu-nhi"),
    ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
]
PLACEHOLDER_LABEL = "ẢNH MINH HOẠ (DEMO) – chưa có ảnh gốc"
PLACEHOLDER_CREDIT = "dữ liệu mẫu, ảnh minh hoạ tạo tự động"
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
]


def placeholder_font(size):
    """Return a font that has Vietnamese letters, and whether it does."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size), True
    return ImageFont.load_default(size=size), False


def placeholder_image(caption):
    """Return JPEG bytes of a grey placeholder that says it stands in for a real photo."""
    image = Image.new("RGB", (1200, 675), (214, 222, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle([(24, 24), (1175, 650)], outline=(11, 87, 164), width=6)
    title_font, vietnamese = placeholder_font(44)
    text_font, _ = placeholder_font(30)
    label = PLACEHOLDER_LABEL if vietnamese else strip_accents(PLACEHOLDER_LABEL)
    draw.text((600, 250), label, font=title_font, fill=(8, 62, 117), anchor="mm")
    lines = textwrap.wrap(caption if vietnamese else strip_accents(caption), width=60)
    for index, line in enumerate(lines[:3]):
        draw.text((600, 350 + index * 44), line, font=text_font, fill=(40, 40, 40), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


# Demo documents: a text PDF and a scan, both made here, imported as any folder would be.
DEMO_MARK = "[DỮ LIỆU MẪU]"
DEMO_DOCUMENTS = [
    {
        "number": "01-KH/TĐTN-DEMO",
        "type": "Kế hoạch",
        "issuer": "Ban Thường vụ Tỉnh đoàn",
        "issued_on": "20/02/2025",
        "effective_on": "",
        "summary": f"{DEMO_MARK} Kế hoạch tổ chức Tháng Thanh niên năm 2025",
        "file": "ke-hoach-thang-thanh-nien.pdf",
        "field": "Phong trào thanh niên",
        "signer": "Nguyễn Văn An",
        "status": "",
        "lines": ["KE HOACH", "To chuc Thang Thanh nien nam 2025", "(du lieu mau, demo)"],
        "scanned": False,
    },
    {
        "number": "02-HD/TĐTN-DEMO",
        "type": "Hướng dẫn",
        "issuer": "Ban Thường vụ Tỉnh đoàn",
        "issued_on": "03/03/2025",
        "effective_on": "10/03/2025",
        "summary": f"{DEMO_MARK} Hướng dẫn sinh hoạt chi đoàn chủ điểm tháng 3 (bản quét)",
        "file": "huong-dan-sinh-hoat-chi-doan.pdf",
        "field": "Công tác tổ chức, xây dựng Đoàn",
        "signer": "",
        "status": "",
        "lines": ["HƯỚNG DẪN", "Sinh hoạt chi đoàn", "chủ điểm tháng Ba", "(dữ liệu mẫu)"],
        "scanned": True,
    },
]


def text_pdf(lines):
    """Return a one-page PDF whose text layer holds the lines (Latin-1 letters only)."""
    stream = (
        "BT /F1 24 Tf 72 720 Td 32 TL "
        + " ".join(f"({line.replace('(', '[').replace(')', ']')}) '" for line in lines)
        + " ET"
    )
    content = stream.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def scanned_pdf(lines):
    """Return a one-page PDF that is only a picture of the lines, as a scanner makes it."""
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    font, _ = placeholder_font(56)
    for index, line in enumerate(lines):
        draw.text((120, 200 + index * 110), line, font=font, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=150)
    return buffer.getvalue()


def write_demo_documents(folder):
    """Write documents.csv and its two PDFs into folder, as import_documents reads them."""
    columns = ["number", "type", "issuer", "issued_on", "effective_on", "summary", "file"]
    columns += ["field", "signer", "status"]
    with open(Path(folder) / "documents.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns, extrasaction="ignore")
        writer.writeheader()
        for document in DEMO_DOCUMENTS:
            writer.writerow(document)
            make = scanned_pdf if document["scanned"] else text_pdf
            (Path(folder) / document["file"]).write_bytes(make(document["lines"]))


class Command(BaseCommand):
    help = (
        "Load demo content: categories, the reference article and placeholder photos, the "
        "supported communes, the union's information, introduction pages and directory, "
        "and two demo documents (a text PDF and a scan)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for order, (name, slug) in enumerate(CATEGORIES):
                Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
            call_command(
                "import_legacy",
                str(REFERENCE_ARTICLE),
                status=Article.Status.PUBLISHED,
                category="cong-tac-doan",
                stdout=self.stdout,
            )
            Article.objects.filter(legacy_key__isnull=False, featured=False).update(featured=True)
            self.attach_placeholders()
            call_command("import_communes", str(SUPPORTED_COMMUNES), stdout=self.stdout)
            self.link_reference_article()
            self.load_about()
        self.load_documents()
        self.ensure_admin()

    def load_documents(self):
        """Import the demo documents, reading their text (the scan by OCR)."""
        # The lists the demo names, should leaders have renamed or removed their entries.
        for document in DEMO_DOCUMENTS:
            for model, column in ((DocumentType, "type"), (Issuer, "issuer"), (WorkField, "field")):
                model.objects.get_or_create(name=document[column])
        with tempfile.TemporaryDirectory() as folder:
            write_demo_documents(folder)
            call_command("import_documents", folder, stdout=self.stdout, verbosity=0)
        self.stdout.write(f"Loaded {len(DEMO_DOCUMENTS)} demo documents, marked {DEMO_MARK}.")

    def link_reference_article(self):
        """Tie the reference article to the 2022 program and its communes."""
        article = Article.objects.filter(slug__startswith=REFERENCE_ARTICLE_SLUG).first()
        program = SupportProgram.objects.filter(year=2022).first()
        if article is None or program is None:
            return
        program.articles.add(article)
        for support in program.supports.select_related("commune"):
            support.commune.articles.add(article)

    def load_about(self):
        """Load the identity (unless leaders already set it), introduction pages and directory."""
        data = json.loads(ABOUT.read_text(encoding="utf-8"))
        if not PortalIdentity.objects.exists():
            fields = dict(data["identity"])
            portals = fields.pop("related_portals")
            identity = PortalIdentity.objects.create(**fields)
            for order, portal in enumerate(portals):
                identity.related_portals.create(order=order, **portal)
            self.stdout.write(f"Loaded the portal information of {identity.short_name}.")
        for page in data["pages"]:
            IntroPage.objects.get_or_create(slug=page["slug"], defaults=page)
        for unit in data["departments"]:
            unit = dict(unit)
            officers = unit.pop("officers")
            department, created = Department.objects.get_or_create(name=unit["name"], defaults=unit)
            if created:
                for officer in officers:
                    department.officers.create(**officer)

    def attach_placeholders(self):
        """Give the reference article's photos placeholder images, stored in the photo library."""
        for photo in Photo.objects.filter(image=None, article__legacy_key__isnull=False):
            image = LibraryImage(
                caption=photo.caption,
                alt_text=f"Ảnh minh hoạ thay cho ảnh: {photo.caption}",
                credit=PLACEHOLDER_CREDIT,
            )
            image.file = ContentFile(placeholder_image(photo.caption), name="anh-minh-hoa.jpg")
            image.save()
            photo.image = image
            photo.save()
            self.stdout.write(f"Attached a demo placeholder to photo “{photo.caption}”.")

    def ensure_admin(self):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "Admin: log in at /admin/ with your superuser "
                "(forgotten password: python manage.py changepassword USERNAME)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created superuser 'admin' with password {password} "
                "(shown once; change it with: python manage.py changepassword admin)."
            )
        )
