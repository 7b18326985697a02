import io
import json
import secrets
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


class Command(BaseCommand):
    help = (
        "Load demo content: categories, the reference article and placeholder photos, the "
        "communes and their 2025 arrangement, the supported communes, the union's "
        "identities, introduction pages and directory."
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
            # The official units and their 2025 arrangement first: the supported communes
            # of the CSV file are then found among them.
            call_command("import_lineage", stdout=self.stdout)
            call_command("import_communes", str(SUPPORTED_COMMUNES), stdout=self.stdout)
            self.link_reference_article()
            self.load_about()
        self.ensure_admin()

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
        """Load the identities, introduction pages and directory.

        Each identity (Tỉnh đoàn Bắc Kạn, then Tỉnh đoàn Thái Nguyên from the merger) is
        loaded unless one starting on its day is stored: what leaders changed is kept.
        """
        data = json.loads(ABOUT.read_text(encoding="utf-8"))
        for fields in data["identities"]:
            fields = dict(fields)
            portals = fields.pop("related_portals")
            if PortalIdentity.objects.filter(valid_from=fields["valid_from"]).exists():
                continue
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
