"""Make many realistic articles quickly, to measure the portal at the size it will reach.

Everything it makes is marked: article slugs start with GENERATED_PREFIX, photos point
to shared placeholder images of the photo library, and `--delete` removes it all.
"""

import datetime
import io
import json
import random
from collections.abc import Iterator
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from PIL import Image, ImageDraw
from reversion.models import Revision, Version
from tqdm import tqdm

from communes.models import Commune, SupportProgram
from core.text import slugify_vi
from news.models import Article, Category, Photo
from photos.models import Image as LibraryImage

GENERATED_PREFIX = "du-lieu-mau-"
# Original names of the shared placeholder images in the photo library.
PLACEHOLDER_NAME = "du-lieu-mau-anh-minh-hoa-{number}.jpg"
PLACEHOLDER_FILES = 6
GENERATED_CATEGORIES = [
    ("Công tác Đoàn", "cong-tac-doan"),
    ("Phong trào thanh thiếu nhi", "phong-trao-thanh-thieu-nhi"),
    ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
    ("Tình nguyện vì cộng đồng", "tinh-nguyen-vi-cong-dong"),
    ("Thanh niên khởi nghiệp", "thanh-nien-khoi-nghiep"),
    ("Công tác Đội và thiếu nhi", "cong-tac-doi-va-thieu-nhi"),
]
# Written on the categories the command creates, so that --delete removes only those.
GENERATED_CATEGORY_NOTE = "Chuyên mục tạo cùng dữ liệu mẫu (generate_articles)."
FIRST_YEAR = 2012
Status = Article.Status

DISTRICTS = {
    "huyện Ba Bể": ["Hoàng Trĩ", "Nam Mẫu", "Quảng Khê", "Cao Thượng", "Khang Ninh", "Đồng Phúc"],
    "huyện Bạch Thông": ["Vi Hương", "Cẩm Giàng", "Quân Hà", "Sĩ Bình", "Lục Bình", "Nguyên Phúc"],
    "huyện Chợ Đồn": ["Ngọc Phái", "Bằng Lũng", "Đại Sảo", "Nam Cường", "Bản Thi", "Yên Thượng"],
    "huyện Chợ Mới": ["Bình Văn", "Yên Cư", "Thanh Mai", "Như Cố", "Cao Kỳ", "Hoà Mục"],
    "huyện Na Rì": ["Kim Hỷ", "Yến Lạc", "Lương Thượng", "Văn Lang", "Côn Minh", "Cư Lễ"],
    "huyện Ngân Sơn": ["Hiệp Lực", "Bằng Vân", "Vân Tùng", "Cốc Đán", "Thượng Quan", "Đức Vân"],
    "huyện Pác Nặm": ["Cổ Linh", "Bộc Bố", "Nhạn Môn", "Giáo Hiệu", "Bằng Thành", "An Thắng"],
    "thành phố Bắc Kạn": ["Nông Thượng", "Dương Quang", "Xuất Hoá"],
}
PEOPLE = [
    "Triệu Tiến Trình",
    "Hoàng Thị Thu Hà",
    "Nông Văn Khánh",
    "Lý Thị Lan",
    "Ma Văn Thắng",
    "Hà Thị Mai",
    "Lường Văn Dũng",
    "Đàm Thị Hương",
    "Lục Văn Toàn",
    "Hoàng Ngọc Tú",
]
POSITIONS = [
    "Bí thư Tỉnh đoàn",
    "Phó Bí thư Tỉnh đoàn",
    "Bí thư {union}",
    "Chủ tịch Hội Liên hiệp Thanh niên tỉnh",
    "Trưởng Ban Tuyên giáo Tỉnh đoàn",
]
EVENTS = [
    "Hội nghị tổng kết công tác Đoàn và phong trào thanh thiếu nhi",
    "Lễ ra quân Tháng Thanh niên",
    "Ra quân Chiến dịch Thanh niên tình nguyện hè",
    "Ngày hội Thiếu nhi vui khỏe",
    "Đại hội Đoàn cơ sở nhiệm kỳ mới",
    "Tập huấn nghiệp vụ công tác Đoàn cho cán bộ cơ sở",
    "Khánh thành công trình thanh niên",
    "Ngày hội hiến máu tình nguyện",
    "Bàn giao nhà nhân ái cho đoàn viên khó khăn",
    "Ngày Chủ nhật xanh",
    "Chương trình Tiếp sức mùa thi",
    "Chương trình Trung thu cho em",
    "Giải bóng đá thanh niên",
    "Hội thi tìm hiểu lịch sử Đoàn TNCS Hồ Chí Minh",
    "Diễn đàn Thanh niên khởi nghiệp",
    "Tuyên dương Thanh niên tiên tiến làm theo lời Bác",
    "Ra mắt Câu lạc bộ Thanh niên khởi nghiệp",
    "Hỗ trợ nâng cao chất lượng hoạt động Đoàn cơ sở",
]
PLACES = ["tại xã {commune}, {district}", "tại {district}", "ở xã {commune}", ""]
SENTENCES = [
    "Tham dự có đồng chí {person}, {position}; đại diện lãnh đạo Đảng uỷ, chính quyền xã "
    "{commune} cùng {number} đoàn viên, thanh niên.",
    "Năm {year}, Đoàn xã {commune} đã tổ chức {small} hoạt động, thu hút hơn {number} lượt "
    "đoàn viên, thanh niên tham gia.",
    "Các đại biểu đã thảo luận, đề xuất giải pháp nâng cao chất lượng sinh hoạt chi đoàn, đổi "
    "mới nội dung, phương thức hoạt động phù hợp với địa bàn vùng cao.",
    "Dịp này, Tỉnh đoàn đã trao tặng {small} suất quà cho thiếu nhi có hoàn cảnh khó khăn, mỗi "
    "suất trị giá {small}00.000 đồng.",
    "Hoạt động nhằm hướng tới kỷ niệm Ngày thành lập Đoàn TNCS Hồ Chí Minh (26/3/1931 - "
    "26/3/{year}).",
    "Tuổi trẻ {district} đã làm mới {small} km đường giao thông nông thôn, phát quang "
    "{number} m² đường làng, ngõ xóm.",
    "Phát biểu tại buổi lễ, đồng chí {person} ghi nhận, biểu dương những kết quả mà Đoàn xã "
    "{commune} đã đạt được trong thời gian qua.",
    "Công tác phối hợp giữa cán bộ Tỉnh đoàn với cán bộ đoàn cơ sở được thực hiện hiệu quả, "
    "với tinh thần trách nhiệm cao.",
    "Bên cạnh những kết quả đạt được, kinh phí cho hoạt động đoàn còn khó khăn, cơ sở vật chất "
    "ở một số nơi còn thiếu.",
    "Thời gian tới, {union} tiếp tục đẩy mạnh phong trào “Thanh niên tình "
    "nguyện”, “Tuổi trẻ sáng tạo” gắn với xây dựng nông thôn mới.",
    "Các đội hình thanh niên tình nguyện đã giúp đỡ {small} hộ nghèo sửa chữa nhà ở, trồng "
    "{number} cây xanh tại các thôn, bản.",
    "Chương trình đã trao {small} suất học bổng cho học sinh nghèo vượt khó học giỏi trên địa "
    "bàn xã {commune}.",
]
CAPTIONS = [
    "Đồng chí {person} phát biểu tại {event_lower}",
    "Đoàn viên, thanh niên xã {commune} tham gia hoạt động",
    "Các đại biểu tham dự chương trình tại {district}",
    "Trao quà cho thiếu nhi xã {commune}",
    "Quang cảnh {event_lower}",
]
# Share of articles in each status; the rest of the published ones are live.
STATUS_WEIGHTS = {Status.PUBLISHED: 85, Status.DRAFT: 8, Status.REVIEW: 4, Status.ARCHIVED: 3}


def batched(iterable, size) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def serialise(obj):
    """Return the object as Django's serialisers write it, which reversion reads back."""
    fields = {}
    for field in obj._meta.concrete_fields:
        if not field.primary_key:
            value = getattr(obj, field.attname)
            fields[field.name] = value.name if isinstance(value, FieldFile) else value
    return {"model": obj._meta.label_lower, "pk": obj.pk, "fields": fields}


def placeholder_name(number):
    return PLACEHOLDER_NAME.format(number=number + 1)


def placeholder_bytes(number):
    """Return a small JPEG, clearly a placeholder, in one of a few colours."""
    colours = [(214, 222, 232), (232, 214, 214), (214, 232, 218), (232, 228, 210)]
    image = Image.new("RGB", (480, 270), colours[number % len(colours)])
    draw = ImageDraw.Draw(image)
    draw.rectangle([(8, 8), (471, 261)], outline=(11, 87, 164), width=4)
    draw.text((24, 120), f"Du lieu mau - anh minh hoa {number + 1}", fill=(8, 62, 117))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


class Writer:
    """Invent one article at a time from the province's vocabulary."""

    def __init__(self, rng, now, categories, placeholders, programs):
        self.rng = rng
        self.now = now
        self.categories = categories
        self.placeholders = placeholders
        self.programs = programs
        self.start = datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.UTC)

    def words(self, **extra):
        district = self.rng.choice(list(DISTRICTS))
        event = self.rng.choice(EVENTS)
        values = {
            "district": district,
            "commune": self.rng.choice(DISTRICTS[district]),
            "person": self.rng.choice(PEOPLE),
            "number": self.rng.randrange(30, 900),
            "small": self.rng.randrange(3, 40),
            "event": event,
            "event_lower": event[0].lower() + event[1:],
            **extra,
        }
        values["union"] = district.replace("huyện ", "Huyện đoàn ").replace(
            "thành phố ", "Thành đoàn "
        )
        values["position"] = self.rng.choice(POSITIONS).format(**values)
        return values

    def article(self, index, run):
        rng = self.rng
        moment = self.start + (self.now - self.start) * rng.random()
        words = self.words(year=moment.year)
        place = rng.choice(PLACES).format(**words)
        title = f"{words['event']} {place}".strip()
        if rng.random() < 0.3:
            title += f" năm {moment.year}"
        lead = (
            f"Ngày {moment.day}/{moment.month}, "
            + rng.choice(["Tỉnh đoàn", words["union"], f"Đoàn xã {words['commune']}"])
            + f" tổ chức {words['event_lower']}. "
            + rng.choice(SENTENCES).format(**words)
        )
        sentences = [sentence.format(**words) for sentence in rng.sample(SENTENCES, 12)]
        paragraphs = [
            " ".join(sentences[start : start + 2 + start % 2]) for start in range(0, 12, 3)
        ][: rng.randrange(3, 5)]
        status = rng.choices(list(STATUS_WEIGHTS), weights=STATUS_WEIGHTS.values())[0]
        article = Article(
            title=title,
            slug=f"{GENERATED_PREFIX}{run}-{index}-{slugify_vi(title, max_length=120)}",
            lead=lead,
            body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
            category=rng.choice(self.categories),
            author_name=rng.choice(PEOPLE),
            status=status,
            featured=rng.random() < 0.01,
            version=1,
        )
        if status in {Status.PUBLISHED, Status.ARCHIVED}:
            article.published_at = moment
            article.announced_at = moment
            roll = rng.random()
            if status == Status.PUBLISHED and roll < 0.002:
                # A few scheduled for the coming days.
                article.published_at = self.now + datetime.timedelta(hours=rng.randrange(1, 240))
            elif roll < 0.03:
                article.expires_at = article.published_at + datetime.timedelta(
                    days=rng.randrange(1, 2000)
                )
        if rng.random() < 0.005:
            article.deleted_at = moment + datetime.timedelta(days=1)
        # What a save would store about the text (clean body, search columns): the same
        # function, so that the archive reads and searches as a real one.
        article.derive()
        article.generated_at = moment
        return article, words

    def photos(self, article, words):
        count = self.rng.choices([0, 1, 2, 3, 5], weights=[25, 35, 20, 12, 8])[0]
        photos = []
        for order in range(count):
            photos.append(
                Photo(
                    article=article,
                    image=self.rng.choice(self.placeholders),
                    caption=self.rng.choice(CAPTIONS).format(**words),
                    position=self.rng.randrange(0, 4),
                    order=order,
                )
            )
        return photos


class Command(BaseCommand):
    help = (
        "Make COUNT realistic generated articles (bulk insert) with categories, photo records, "
        "revisions and dates over the years; --delete removes everything it made."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000, help="How many articles to add.")
        parser.add_argument("--delete", action="store_true", help="Remove all generated data.")
        parser.add_argument("--seed", type=int, default=None, help="Make the same data again.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, count, delete, seed, batch_size, verbosity, **options):
        self.progress = verbosity > 0
        if delete:
            self.delete(batch_size)
        else:
            if count < 1:
                raise CommandError("--count must be at least 1.")
            self.generate(count, random.Random(seed), batch_size)

    def bar(self, total, unit):
        return tqdm(total=total, unit=unit, disable=not self.progress, file=self.stderr._out)

    def generate(self, count, rng, batch_size):
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # Generated data: speed over durability for this connection's writes.
            connection.cursor().execute("PRAGMA synchronous = OFF")
        now = timezone.now()
        run = format(int(now.timestamp()), "x")
        categories = [
            Category.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "order": order, "description": GENERATED_CATEGORY_NOTE},
            )[0]
            for order, (name, slug) in enumerate(GENERATED_CATEGORIES)
        ]
        writer = Writer(rng, now, categories, self.placeholders(), self.program_communes())
        types = ContentType.objects.get_for_models(Article, Photo)
        made = 0
        with self.bar(count, "bài") as bar:
            for indexes in batched(range(count), batch_size):
                with transaction.atomic():
                    made += self.write_batch(writer, indexes, run, types)
                bar.update(len(indexes))
        self.stdout.write(f"{made} generated articles added (slugs start with {GENERATED_PREFIX}).")

    def write_batch(self, writer, indexes, run, types):
        drafts = [writer.article(index, run) for index in indexes]
        articles = Article.all_objects.bulk_create([article for article, _ in drafts])
        for article, (_, words) in zip(articles, drafts, strict=True):
            article.words = words
        photos = Photo.objects.bulk_create(
            [photo for article in articles for photo in writer.photos(article, article.words)]
        )
        photos_of = {}
        for photo in photos:
            photos_of.setdefault(photo.article_id, []).append(photo)
        self.write_revisions(writer, articles, photos_of, types)
        self.link_communes(writer, articles)
        return len(articles)

    def write_revisions(self, writer, articles, photos_of, types):
        """Keep one to three revisions per article, as editors' saves would."""
        rng = writer.rng
        revisions, contents = [], []
        for article in articles:
            for step in range(rng.choice([1, 2, 2, 3])):
                revisions.append(
                    Revision(
                        date_created=article.generated_at - datetime.timedelta(hours=step),
                        comment="Dữ liệu mẫu",
                    )
                )
                contents.append((article, step))
        revisions = Revision.objects.bulk_create(revisions)
        serialised = {}
        for obj in [*articles, *(photo for photos in photos_of.values() for photo in photos)]:
            serialised[type(obj), obj.pk] = serialise(obj)
        versions = []
        for revision, (article, step) in zip(revisions, contents, strict=True):
            data = serialised[Article, article.pk]
            if step:
                # An earlier draft: the lead was shorter then.
                data = {**data, "fields": {**data["fields"], "lead": article.lead[:80]}}
            versions.append(self.version(revision, article, data, types[Article]))
            for photo in photos_of.get(article.pk, []):
                data = serialised[Photo, photo.pk]
                versions.append(self.version(revision, photo, data, types[Photo]))
        Version.objects.bulk_create(versions)

    @staticmethod
    def version(revision, obj, data, content_type):
        return Version(
            revision=revision,
            object_id=str(obj.pk),
            content_type=content_type,
            db="default",
            format="json",
            serialized_data=json.dumps([data], cls=DjangoJSONEncoder, ensure_ascii=False),
            object_repr=str(obj)[:200],
        )

    def link_communes(self, writer, articles):
        """Link a few articles of a program's year (some thirty a year) to it and a commune."""
        program_links, commune_links = [], []
        ProgramArticle = SupportProgram.articles.through
        CommuneArticle = Commune.articles.through
        for article in articles:
            program, communes = writer.programs.get(article.generated_at.year, (None, []))
            if program is None or writer.rng.random() > 0.005:
                continue
            program_links.append(ProgramArticle(supportprogram=program, article=article))
            if communes:
                commune = writer.rng.choice(communes)
                commune_links.append(CommuneArticle(commune_id=commune, article=article))
        ProgramArticle.objects.bulk_create(program_links)
        CommuneArticle.objects.bulk_create(commune_links)

    def program_communes(self):
        return {
            program.year: (program, [support.commune_id for support in program.supports.all()])
            for program in SupportProgram.objects.prefetch_related("supports")
        }

    def placeholders(self):
        """Return the shared placeholder images of the photo library, made if missing."""
        images = []
        for number in range(PLACEHOLDER_FILES):
            name = placeholder_name(number)
            image = LibraryImage.objects.filter(original_name=name).first()
            if image is None:
                image = LibraryImage(
                    file=ContentFile(placeholder_bytes(number), name=name),
                    caption=f"Ảnh minh hoạ {number + 1} (dữ liệu mẫu)",
                    credit="Dữ liệu mẫu",
                )
                image.save()
            images.append(image)
        return images

    def delete(self, batch_size):
        generated = Article.all_objects.filter(slug__startswith=GENERATED_PREFIX)
        pks = list(generated.values_list("pk", flat=True))
        types = ContentType.objects.get_for_models(Article, Photo)
        with self.bar(len(pks), "bài") as bar:
            for batch in batched(pks, batch_size):
                with transaction.atomic():
                    photo_pks = Photo.objects.filter(article__in=batch).values_list("pk")
                    revision_pks = list(
                        Version.objects.filter(
                            content_type=types[Article], object_id__in=[str(pk) for pk in batch]
                        ).values_list("revision_id", flat=True)
                    )
                    Version.objects.filter(
                        content_type=types[Photo],
                        object_id__in=[str(pk) for (pk,) in photo_pks],
                    ).delete()
                    Revision.objects.filter(pk__in=revision_pks).delete()
                    Article.all_objects.filter(pk__in=batch).delete()
                bar.update(len(batch))
        # The placeholders' files go with their rows (photos.models.delete_files).
        LibraryImage.objects.filter(
            original_name__in=[placeholder_name(number) for number in range(PLACEHOLDER_FILES)],
            placements__isnull=True,
        ).delete()
        Category.objects.filter(description=GENERATED_CATEGORY_NOTE, articles__isnull=True).delete()
        self.stdout.write(f"{len(pks)} generated articles deleted.")
