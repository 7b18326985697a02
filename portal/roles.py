"""The newsroom's roles as Django groups: each app's bundles of permissions, joined here.

Each app says what its work needs (core.roles, news.roles, documents.roles, photos.roles,
about.roles, questions.roles); this table says which role does which work.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from about import roles as about
from core import roles as core
from documents import roles as documents
from news import roles as news
from photos import roles as photos
from questions import roles as questions

CONTRIBUTOR = "Cộng tác viên"
EDITOR = "Biên tập viên"
PUBLISHER = "Lãnh đạo / Tổng biên tập"

_WRITE = [*news.WRITE, *photos.UPLOAD, *documents.WRITE]

# What each group may do.
ROLE_PERMISSIONS = {
    CONTRIBUTOR: _WRITE,
    EDITOR: [
        *_WRITE,
        *news.REVIEW,
        *documents.REVIEW,
        *about.EDIT_PAGES,
        *questions.ANSWER,
        *photos.MANAGE,
    ],
    PUBLISHER: [
        *_WRITE,
        *news.REVIEW,
        *documents.REVIEW,
        *photos.MANAGE,
        *news.PUBLISH,
        *documents.PUBLISH,
        *about.EDIT_PAGES,
        *questions.ANSWER,
        *about.LEAD,
        *questions.PUBLISH,
        *core.REDIRECTS,
    ],
}


def sync_roles(**kwargs):
    """Create the groups and give them exactly their permissions; safe to run again.

    Runs after every migrate (portal.apps) and from `manage.py sync_roles`.
    """
    app_labels = {code.split(".")[0] for codes in ROLE_PERMISSIONS.values() for code in codes}
    # Permissions of apps migrated after this one do not exist yet: make them now.
    for app_label in app_labels:
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
