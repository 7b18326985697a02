"""Every write path keeps readers' pages current: each admin action and each command.

The walk finds what to try by itself: every action of every ModelAdmin registered with
the admin site, and every management command of the portal's own packages. For each,
from the same demo content, it stores every page a reader can reach (found by following
links and the sitemaps), makes the change as staff would, then asks for every page again
as a reader: a page served from the cache must be the page a fresh render gives. A model
that shows on public pages without declaring it (core.cache.PublicContent), or a write
path that slips past the declaration, leaves a stored page behind and fails here.
"""

import contextlib
import datetime
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.cache import caches
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core import cache
from core.models import Redirect
from news.models import Article
from portal.management.commands.load_demo import write_demo_documents
from portal.roles import sync_roles
from questions.models import Question, Topic
from tests.crawl import read, walk
from tests.factories import (
    LEGACY_DIR,
    make_article,
    make_category,
    make_image,
    make_photo,
    make_user,
)

pytestmark = pytest.mark.django_db

FRESH_HEADER = "HTTP_X_RENDER_FRESH"
# Pages read from the crawl and the sitemaps at most: the demo site has fewer.
MAX_PAGES = 60
# Pages of one shape ("/tin-tuc/2024/05/": digits aside) read at most this many times.
SAME_SHAPE = 2
DIGITS = re.compile(r"[0-9]+")


@pytest.fixture
def site(settings, tmp_path):
    """The demo site, with what the demo lacks: public questions, a hidden one, a spare image,
    a leader's redirect and a renamed category."""
    settings.PAGE_CACHE_BYPASS_HEADER = FRESH_HEADER
    call_command("load_demo", stdout=io.StringIO())
    topic = Topic.objects.create(name="Việc làm", order=9)
    for number, published in enumerate([True, True, False]):
        Question.objects.create(
            name=f"Bạn đọc {number}",
            email=f"ban{number}@example.com",
            topic=topic,
            text=f"Câu hỏi số {number} về việc làm cho thanh niên?",
            status=Question.Status.ANSWERED,
            answer=f"<p>Trả lời câu hỏi số {number}.</p>",
            answered_at=timezone.now(),
            is_published=published,
        )
    category = make_category("Tình nguyện", order=5)
    article = make_article(title="Tình nguyện hè ở Ba Bể", category=category)
    make_photo(article, caption="Đội hình tình nguyện")
    make_image(caption="Ảnh chưa dùng")
    Redirect.objects.create(old_path="/Pages/tin-tuc.aspx?ID=1", redirect_to="/tin-tuc/")
    category.slug = "tinh-nguyen-he"
    category.save()
    return tmp_path


def reachable_pages(reader):
    """Return the public pages a reader reaches from home by links, and the sitemaps' pages."""
    shapes = {}

    def wanted(url):
        shape = DIGITS.sub("#", url)
        shapes[shape] = shapes.get(shape, 0) + 1
        return shapes[shape] <= SAME_SHAPE

    found = []
    for url, _response in walk(reader, ["/", "/sitemap.xml"], wanted):
        found.append(url)
        if len(found) >= MAX_PAGES:
            break
    return found


class StoredSite:
    """Every page a reader reaches, stored in the page cache once for the whole walk.

    Each change runs in a savepoint that is rolled back, so the stored pages are the pages
    of the database every change starts from; only the content generation, kept outside
    the database, is put back before each change.
    """

    def __init__(self, pages):
        self.reader = Client()
        for alias in caches:
            caches[alias].clear()
        self.stored = [url for url in pages if read(self.reader, url).get("X-Cache") == "MISS"]
        assert self.stored, "no page was stored: the walk would prove nothing"
        self.generation = cache.current_generation()

    def stale_after(self, change, prepare=None):
        """Make the change and return the stored pages a reader still gets stale.

        Runs in a savepoint rolled back at the end. `prepare` sets up what the change needs
        (the pages are then stored again, under a generation of their own). A change that
        renews the generation leaves no stored page to serve: pages are kept under the
        generation they were rendered in (tests/core/test_cache.py). A change that does not
        renew it must have changed no page: each is read again as a reader gets it and
        compared with a fresh render.
        """
        cache.generation_store().set(cache.GENERATION_KEY, self.generation, timeout=None)
        with transaction.atomic():
            try:
                stored = self.stored
                if prepare is not None:
                    prepare()
                    cache.bump()
                    stored = [
                        url for url in stored if read(self.reader, url).get("X-Cache") == "MISS"
                    ]
                before = cache.current_generation()
                change()
                if cache.current_generation() != before:
                    return []
                return [url for url in stored if self.is_stale(url)]
            finally:
                transaction.set_rollback(True)

    def is_stale(self, url):
        response = read(self.reader, url)
        if response.get("X-Cache") != "HIT":
            return False  # rendered afresh for this request
        fresh = read(self.reader, url, **{FRESH_HEADER: "1"})
        return fresh.content != response.content


def staff_client():
    user = make_user("superuser", username="quan-tri")
    staff = Client()
    staff.force_login(user)
    return staff, user


def every_admin_action(user):
    """Yield (model admin, action name) for every action the admin offers the user."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for model_admin in admin.site._registry.values():
        for action_name in model_admin.get_actions(request):
            yield model_admin, action_name


def run_action(staff, model_admin, action):
    """Run the action on every row of the model's list, confirming when it asks."""
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    rows = [str(pk) for pk in model_admin.model._default_manager.values_list("pk", flat=True)]
    response = staff.post(
        url,
        {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: rows,
            "select_across": "1",
            "index": "0",
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200, (action, response.status_code)
    said = [str(message) for message in response.context["messages"]] if response.context else []
    with translation.override(settings.LANGUAGE_CODE):
        nothing_selected = gettext(
            "Items must be selected in order to perform actions on them. "
            "No items have been changed."
        )
    assert nothing_selected not in said, (action, said)


def test_every_admin_action_leaves_no_stale_page(site, subtests):
    sync_roles()
    pages = reachable_pages(Client())
    assert len(pages) >= 30
    stored = StoredSite(pages)
    staff, user = staff_client()
    actions = list(every_admin_action(user))
    assert len(actions) >= 20
    for model_admin, action in actions:
        label = f"{model_admin.model._meta.label}: {action}"
        with subtests.test(msg=label):

            def change(model_admin=model_admin, action=action):
                run_action(staff, model_admin, action)

            assert stored.stale_after(change) == [], label


def scheduled_now():
    """An article scheduled for a minute ago, not yet announced."""
    make_article(
        title="Tin hẹn giờ vừa đến",
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )


def trashed_long_ago():
    article = make_article(title="Tin trong thùng rác đã lâu")
    Article.all_objects.filter(pk=article.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=40)
    )


def body_written_by_sql():
    """An article body with a script, written by the database driver: unseen until rederived."""
    connection.ensure_connection()
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    with contextlib.closing(connection.connection.cursor()) as cursor:
        cursor.execute(
            f"UPDATE news_article SET body = {placeholder}",
            ["<p>Viết bằng SQL.<script>alert(1)</script></p>"],
        )


def communes_file(folder):
    path = Path(folder) / "xa.csv"
    columns = (
        "year,program,start_month,end_month,planned_count,reported_results,summary,district,"
        "district_kind,district_code,commune,commune_kind,commune_code,rating,officer,notes"
    )
    row = "2024,Chương trình năm 2024,,,,,,Na Rì,huyện,,Kim Hỷ,xã,,,,"
    path.write_text(f"{columns}\n{row}\n", encoding="utf-8")
    return str(path)


# Each command of the portal's packages with what it needs to change something. A new
# command must be added here: the walk below fails for a command it does not know.
def documents_folder(folder):
    write_demo_documents(folder)
    return str(folder)


COMMANDS = {
    "generate_articles": lambda folder: (["--count", "5", "--seed", "1"], None),
    "import_legacy": lambda folder: (
        [str(LEGACY_DIR / "001_ra_quan_thang_thanh_nien.txt"), "--status", "published"],
        None,
    ),
    "import_communes": lambda folder: ([communes_file(folder)], None),
    "import_documents": lambda folder: ([documents_folder(folder)], None),
    "import_lineage": lambda folder: ([], None),
    "load_demo": lambda folder: ([], None),
    "publish_scheduled": lambda folder: ([], scheduled_now),
    "purge_trash": lambda folder: ([], trashed_long_ago),
    "rederive": lambda folder: (["--no-progress"], body_written_by_sql),
    "rebuild_renditions": lambda folder: ([], None),
    "import_ckeditor_uploads": lambda folder: ([], None),
    "sync_roles": lambda folder: ([], None),
    "export_communes": lambda folder: (["--output", str(Path(folder) / "ra.csv")], None),
    # Reads the database and the media, and writes neither (tests/portal/test_backups.py).
    "backup": None,
    # Replaces the whole database: tests/portal/test_backups.py shows readers the restored
    # site at once (test_readers_get_the_restored_site_at_once).
    "restore": None,
}
# The portal's own packages: every installed app at the top of the project's folder.
OWN_PACKAGES = {
    config.name
    for config in apps.get_app_configs()
    if Path(config.path).parent == Path(settings.BASE_DIR)
}


def own_commands():
    return sorted(name for name, app in get_commands().items() if app in OWN_PACKAGES)


def test_the_walk_knows_every_command_of_the_portal():
    assert own_commands() == sorted(COMMANDS)


def test_every_command_leaves_no_stale_page(site, subtests):
    stored = StoredSite(reachable_pages(Client()))
    for name in own_commands():
        how = COMMANDS.get(name)
        if how is None:
            continue
        with subtests.test(msg=name):
            arguments, prepare = how(site)

            def change(name=name, arguments=arguments):
                call_command(name, *arguments, stdout=io.StringIO(), stderr=io.StringIO())

            assert stored.stale_after(change, prepare) == [], name


def test_the_walk_finds_a_model_that_forgets_to_declare_itself(site, monkeypatch):
    """Without Question's declaration, publishing questions from the list leaves pages stale."""
    pages = reachable_pages(Client())
    assert "/hoi-dap/" in pages
    forgetful = cache.public_tables() - {Question._meta.db_table}
    monkeypatch.setattr(cache, "public_tables", lambda: forgetful)
    question_admin = admin.site._registry[Question]
    staff, _user = staff_client()
    stored = StoredSite(pages)
    stale = stored.stale_after(lambda: run_action(staff, question_admin, "publish"))
    assert "/hoi-dap/" in stale


def test_every_model_readers_see_is_declared():
    """The models whose rows public pages show declare it; the rest of the portal's do not."""
    declared = {model._meta.label for model in cache.public_models()}
    own = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OWN_PACKAGES and not model._meta.proxy
    }
    assert declared <= own
    workflow_steps = {"news.ArticleTransition", "documents.DocumentTransition"}
    # Former slugs are written by the database along with a write to a public table.
    recorded = {"core.FormerSlug"}
    # Readers keep the live text while a change waits: writing it must keep the pages.
    unseen = {"news.PendingDraft", "stats.ArticleDay", "stats.SiteDay"}
    assert own - declared == {*workflow_steps, *recorded, *unseen}
