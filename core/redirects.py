"""Old addresses that keep working: the slugs rows had before, and the redirects leaders add.

A model whose public address is made from its slug inherits `KeepsOldAddresses` and says
which of its rows readers may see (`public_objects()`). After every migrate a database
trigger on its table records the former slug whenever a row's slug changes, whatever
wrote it (save(), update(), bulk_update(), raw SQL, psql), in `core.FormerSlug`. Leaders
add their own redirects (`core.Redirect`) from any old path, an address of the old
portal say, to a path or an object.

`RedirectMiddleware` looks only at answers that are 404, so a live page always wins. It
follows the redirects to the final address and answers with one permanent redirect: an
object's address is always its current one, so a chain of renames costs one hop. A row
readers may no longer see gives no redirect: the old address answers 404 as the new
one does.
"""

from functools import cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.http import HttpResponsePermanentRedirect
from django.http.request import validate_host
from django.urls import Resolver404, resolve

from core.models import FormerSlug, Redirect

# A chain of leaders' redirects longer than this is treated as a loop.
MAX_HOPS = 10
# Browsers keep a permanent redirect; this bounds how long, so that an address that
# stops redirecting (its row taken down) is asked again.
REDIRECT_MAX_AGE = 24 * 3600


class KeepsOldAddresses(models.Model):
    """A model whose address is made from its `slug`: former addresses redirect to it."""

    class Meta:
        abstract = True

    @classmethod
    def public_objects(cls):
        """Return the rows readers may see: only these are redirected to."""
        raise NotImplementedError(f"{cls.__name__} must say which rows readers may see.")


def address_models():
    """Return the concrete models that keep their old addresses."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, KeepsOldAddresses) and not model._meta.proxy
    ]


def model_label(model):
    return model._meta.concrete_model._meta.label_lower


# --- recording: a trigger on each table ----------------------------------------------

TRIGGER = "{table}_former_slug"

_SQLITE_TRIGGER = """
CREATE TRIGGER {trigger} AFTER UPDATE OF slug ON {table}
WHEN OLD.slug <> NEW.slug AND OLD.slug <> ''
BEGIN
    INSERT OR REPLACE INTO core_formerslug (model, slug, object_id, recorded_at)
    VALUES ('{label}', OLD.slug, OLD.{pk}, strftime('%Y-%m-%d %H:%M:%f', 'now'));
END
"""

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION core_record_former_slug() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_formerslug (model, slug, object_id, recorded_at)
    VALUES (TG_ARGV[0], OLD.slug, (to_jsonb(OLD) ->> TG_ARGV[1])::bigint, now())
    ON CONFLICT (model, slug)
    DO UPDATE SET object_id = EXCLUDED.object_id, recorded_at = EXCLUDED.recorded_at;
    RETURN NULL;
END
$$
"""

_POSTGRES_TRIGGER = """
CREATE TRIGGER {trigger} AFTER UPDATE OF slug ON {table} FOR EACH ROW
WHEN (OLD.slug IS DISTINCT FROM NEW.slug AND OLD.slug <> '')
EXECUTE FUNCTION core_record_former_slug('{label}', '{pk}')
"""


def install_triggers(using="default", **kwargs):
    """Make each address model's table record its former slugs (after every migrate).

    Idempotent; puts back what a table remake (SQLite) dropped.
    """
    db = connections[using]
    tables = set(db.introspection.table_names())
    if FormerSlug._meta.db_table not in tables:
        return
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
        for model in address_models():
            table = model._meta.db_table
            if table not in tables:
                continue
            names = {
                "trigger": TRIGGER.format(table=table),
                "table": table,
                "label": model_label(model),
                "pk": model._meta.pk.column,
            }
            if db.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {names['trigger']} ON {table}")
                cursor.execute(_POSTGRES_TRIGGER.format(**names))
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {names['trigger']}")
                cursor.execute(_SQLITE_TRIGGER.format(**names))


def installed_triggers(using="default"):
    """Return the names of the former-slug triggers the database holds."""
    db = connections[using]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall() if name.endswith("_former_slug")}


# --- resolving: from an old address to the current one -------------------------------


def normalize_path(address):
    """Return an address as redirects store it: the path from its slash, query sorted.

    "https://tinhdoan.vn/Pages/a.aspx?b=2&a=1" gives "/Pages/a.aspx?a=1&b=2".
    """
    parts = urlsplit(address.strip())
    path = unquote(parts.path) or "/"
    if not path.startswith("/"):
        path = f"/{path}"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{path}?{query}" if query else path


@cache
def _models_by_view():
    """Return {view name: model} for the page each address model's get_absolute_url() names."""
    views = {}
    for model in address_models():
        probe = model(slug="x")
        views[resolve(probe.get_absolute_url()).view_name] = model
    return views


def _addressed(path):
    """Return (model, slug) if path is the address of an address model's row, else None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    model = _models_by_view().get(match.view_name)
    slug = match.kwargs.get("slug")
    return (model, slug) if model is not None and slug else None


def _public(model, **lookup):
    return model.public_objects().filter(**lookup).first()


def object_at(path):
    """Return the public row whose current address is path, or None."""
    addressed = _addressed(path)
    return _public(addressed[0], slug=addressed[1]) if addressed else None


def _moved_object(path):
    """Return (model, row or None) for an address a row had before, or None if none had it."""
    addressed = _addressed(path)
    if addressed is None:
        return None
    model, slug = addressed
    former = FormerSlug.objects.filter(model=model_label(model), slug=slug).first()
    if former is None:
        return None
    row = _public(model, pk=former.object_id)
    return (model, row if row is not None and row.slug != slug else None)


def _leaders_redirect(candidates):
    found = {r.old_path: r for r in Redirect.objects.filter(old_path__in=candidates)}
    return next((found[c] for c in candidates if c in found), None)


def redirect_target(redirect):
    """Return the row a leader's redirect names, if it names one readers may see."""
    model = model_of(redirect.target_model) if redirect.target_model else None
    return _public(model, pk=redirect.target_id) if model else None


def final_address(path, query=""):
    """Return where an address that answers 404 now lives, or None to let the 404 stand.

    Follows leaders' redirects and former slugs to the end in one answer; a loop, a
    row readers may not see, or nothing recorded gives None.
    """
    candidates = [normalize_path(f"{path}?{query}")] if query else []
    candidates.append(normalize_path(path))
    seen = set(candidates)
    for hop in range(MAX_HOPS):
        redirect = _leaders_redirect(candidates)
        if redirect is not None:
            if redirect.target_model:
                row = redirect_target(redirect)
                return row.get_absolute_url() if row is not None else None
            target = redirect.redirect_to
            if urlsplit(target).scheme:
                return target
            target = normalize_path(target)
        else:
            # A leader's target may be a live page: it ends the chain.
            if hop and object_at(candidates[-1]) is not None:
                return candidates[-1]
            moved = _moved_object(candidates[-1])
            if moved is None:
                return candidates[-1] if hop else None
            row = moved[1]
            return row.get_absolute_url() if row is not None else None
        if target in seen:
            return None
        seen.add(target)
        candidates = [target]
    return None


def link_target(redirect):
    """Point a leader's redirect at the row its new address names, if it names one."""
    redirect.target_model, redirect.target_id = "", None
    if urlsplit(redirect.redirect_to).scheme:
        return
    row = object_at(urlsplit(redirect.redirect_to).path)
    if row is None:
        moved = _moved_object(urlsplit(redirect.redirect_to).path)
        row = moved[1] if moved else None
    if row is not None:
        redirect.target_model, redirect.target_id = model_label(type(row)), row.pk


def model_of(label):
    """Return the address model a label names, or None."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def former_address(former):
    """Return the address a FormerSlug row stands for."""
    model = model_of(former.model)
    return model(slug=former.slug).get_absolute_url() if model else None


def former_row(former):
    """Return the row readers may see that a FormerSlug row leads to, or None."""
    model = model_of(former.model)
    return _public(model, pk=former.object_id) if model else None


def is_own_host(host):
    """Return True if host is one this portal answers to (settings.ALLOWED_HOSTS)."""
    return bool(host) and validate_host(host, settings.ALLOWED_HOSTS)


class RedirectMiddleware:
    """Answer a 404 at an old address with a permanent redirect to where it lives now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        target = final_address(request.path_info, request.META.get("QUERY_STRING", ""))
        if target is None:
            return response
        redirect = HttpResponsePermanentRedirect(target)
        redirect["Cache-Control"] = f"max-age={REDIRECT_MAX_AGE}"
        return redirect
