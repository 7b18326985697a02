"""Project-wide rules: migrations, the Vietnamese catalogue, dates, production settings."""

import datetime
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.core.management import call_command
from django.template import Context, Template
from django.utils import timezone, translation

BASE_DIR = Path(__file__).resolve().parent.parent
CATALOGUE = BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
OVERRIDES = BASE_DIR / "portal" / "locale_overrides" / "vi" / "LC_MESSAGES"
CATALOGUES = [CATALOGUE, OVERRIDES / "django.po", OVERRIDES / "djangojs.po"]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def catalogue_entries(catalogue=CATALOGUE):
    """Yield (msgid, msgstr, flags) for each entry of a Vietnamese catalogue."""
    entry = {"flags": "", "msgid": None, "msgstr": ""}
    current = None
    for line in [*catalogue.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry["msgid"]:
                yield entry["msgid"], entry["msgstr"], entry["flags"]
            entry, current = {"flags": "", "msgid": None, "msgstr": ""}, None
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
            # Vietnamese has one plural form: msgstr[0] is the whole translation.
            current, _, text = line.partition(" ")
            current = current.removesuffix("[0]")
            entry[current] = text.strip('"')
        elif line.startswith(("msgid_plural ", "msgstr[")):
            current = None
        elif line.startswith('"') and current:
            entry[current] += line.strip('"')


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.name)
def test_vietnamese_catalogue_is_complete(catalogue):
    entries = list(catalogue_entries(catalogue))
    assert len(entries) > 30
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_interface_speaks_vietnamese():
    with translation.override("vi"):
        assert str(translation.gettext("Larger text")) == "Tăng cỡ chữ"
        assert str(translation.gettext("Other news")) == "Tin khác"


def test_dates_are_shown_day_first_in_local_time():
    moment = datetime.datetime(2023, 1, 11, 18, 30, tzinfo=datetime.UTC)
    with translation.override("vi"), timezone.override("Asia/Ho_Chi_Minh"):
        rendered = Template('{{ moment|date:"SHORT_DATE_FORMAT" }}').render(
            Context({"moment": moment})
        )
    assert rendered == "12/01/2023"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05/03/2023", datetime.date(2023, 3, 5)),
        ("5/3/2023", datetime.date(2023, 3, 5)),
        ("31/12/2022", datetime.date(2022, 12, 31)),
        ("2023-03-05", datetime.date(2023, 3, 5)),
    ],
)
def test_typed_dates_are_read_day_first(typed, expected):
    with translation.override("vi"):
        assert forms.DateField().clean(typed) == expected


def test_month_first_dates_are_refused():
    with translation.override("vi"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("12/31/2022")


def run_check_env():
    """Return our environment less DJANGO_*: what a server started with nothing set gets."""
    return {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}


def run_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**run_check_env(), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    # Nothing says DJANGO_DEBUG: production is the default.
    env = {"DJANGO_SECRET_KEY": "", "DJANGO_ALLOWED_HOSTS": "doan.example"}
    result = run_check(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_app_server_refuses_to_serve_without_a_secret_key():
    env = {**run_check_env(), "DJANGO_SETTINGS_MODULE": "portal.settings"}
    for entry in ("portal.wsgi", "portal.asgi"):
        result = subprocess.run(
            [sys.executable, "-c", f"import {entry}"],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode != 0, entry
        assert "DJANGO_SECRET_KEY must be set" in result.stderr, entry


def test_commands_that_sign_nothing_run_with_production_defaults():
    """A migration check in CI needs no key: nothing set, production settings."""
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE_DIR, env=run_check_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_production_is_the_default():
    # A server started with nothing set but its key must not show tracebacks (without a
    # key it does not start: the test above).
    env = {
        **run_check_env(),
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "doan.example",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    show = "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = subprocess.run(
        [sys.executable, "-c", show], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_production_settings_pass_the_deploy_check():
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 60 + "-production-secret-for-the-check",
        "DJANGO_ALLOWED_HOSTS": "doan.example",
    }
    result = run_check(env)
    assert result.returncode == 0, result.stderr
