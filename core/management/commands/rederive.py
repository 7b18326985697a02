"""Derive again what rows store about their own text, with today's rules."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction
from tqdm import tqdm

from core.html import sanitize_html
from core.richtext import RichTextField

CHUNK = 500


def derived_models():
    """Return (model, fields it derives) for every model with rich text or a derive() method.

    A model derives its rich-text fields (sanitised) and, if it has `derive()`, the
    fields named by its `derived_fields` (news.Article: the clean body, search columns
    and slug).
    """
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        rich = [f.attname for f in model._meta.concrete_fields if isinstance(f, RichTextField)]
        derived = list(getattr(model, "derived_fields", ())) if hasattr(model, "derive") else []
        fields = list(dict.fromkeys(rich + derived))
        if fields:
            found.append((model, rich, fields))
    return found


class Command(BaseCommand):
    help = (
        "Derive again what rows store about their own text with the current rules: clean "
        "rich text (the sanitiser's allow-list), the articles' search columns and slugs, and "
        "the search index. For after a change of those rules, or rows written by SQL that "
        "bypassed the models. Idempotent; no new version or revision, since nothing was edited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the rows that would change."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, dry_run=False, no_progress=False, **options):
        for model, rich, fields in derived_models():
            with transaction.atomic():
                changed = self.rederive(model, rich, fields, dry_run, no_progress)
                if not dry_run and hasattr(model, "rederived"):
                    model.rederived(DEFAULT_DB_ALIAS)
            verb = "would change" if dry_run else "rederived"
            self.stdout.write(f"{model._meta.label}: {changed} row(s) {verb}.")

    def rederive(self, model, rich, fields, dry_run, no_progress):
        rows = model._base_manager.order_by("pk")
        progress = tqdm(
            total=rows.count(),
            unit=" rows",
            desc=model._meta.label,
            disable=no_progress,
            mininterval=1,
            file=self.stderr._out,
        )
        changed, batch = 0, []
        for row in rows.iterator(chunk_size=CHUNK):
            before = [getattr(row, name) for name in fields]
            for name in rich:
                setattr(row, name, sanitize_html(getattr(row, name)))
            if hasattr(row, "derive"):
                row.derive()
            if [getattr(row, name) for name in fields] != before:
                changed += 1
                batch.append(row)
            if len(batch) >= CHUNK:
                self.write(model, batch, fields, dry_run)
            progress.update()
        self.write(model, batch, fields, dry_run)
        progress.close()
        return changed

    def write(self, model, batch, fields, dry_run):
        # bulk_update, not save(): re-deriving is not an edit, so no new version.
        if batch and not dry_run:
            model._base_manager.bulk_update(batch, fields)
        batch.clear()
