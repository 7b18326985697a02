"""Settings that keep the portal up: SQLite under several writers at once."""

import os
import subprocess
import sys
from pathlib import Path

from tests.servers import run_once

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# One newsroom worker: writes, submits, publishes and edits articles in a loop.
WRITER = """
import os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
django.setup()
from django.contrib.auth import get_user_model
from news.models import Article, ArticleTransition
from core.workflow import perform

Action = ArticleTransition.Action
name = sys.argv[1]
user = get_user_model().objects.create_superuser(name, f"{name}@tinhdoan.example", "mat-khau")
for number in range(int(sys.argv[2])):
    article = Article.objects.create(
        title=f"Bài {name} số {number}", lead="Sapo.", body="<p>Nội dung.</p>",
        status=Article.Status.DRAFT, created_by=user,
    )
    perform(article, Action.SUBMIT, user)
    perform(article, Action.PUBLISH, user)
    article.refresh_from_db()
    article.lead = "Sapo đã sửa."
    article.save()
print("done", name)
"""


def run(code, *args, env, **kwargs):
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300, **kwargs,
    )  # fmt: skip


@run_once
def test_sqlite_takes_several_writers_at_once_without_database_is_locked(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_MEDIA_ROOT": str(tmp_path),
        "DJANGO_DEBUG": "1",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr

    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"w{number}", "10"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for number in range(4)
    ]
    results = [writer.communicate(timeout=300) for writer in writers]

    for writer, (_out, err) in zip(writers, results, strict=True):
        assert "database is locked" not in err
        assert writer.returncode == 0, err
    count = run(
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings';"
        "django.setup(); from django.db import connection; from news.models import Article;"
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode');"
        "print(cursor.fetchone()[0], Article.objects.published().count())",
        env=env,
    )
    assert count.stdout.split() == ["wal", "40"]
