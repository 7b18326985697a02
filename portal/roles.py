"""The newsroom's roles as Django groups: each app's bundles of permissions, joined here.

Each app says what its work needs (core.roles, news.roles, documents.roles, photos.roles,
about.roles, questions.roles, schedule.roles, communes.roles); this table says which role
does which work.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from about import roles as about
from communes import roles as communes
from core import roles as core
from documents import roles as documents
from news import roles as news
from photos import roles as photos
from questions import roles as questions
from schedule import roles as schedule

CONTRIBUTOR = "Cộng tác viên"
EDITOR = "Biên tập viên"
PUBLISHER = "Lãnh đạo / Tổng biên tập"

_WRITE = [*news.WRITE, *photos.UPLOAD, *documents.WRITE]
# See the staff accounts, and add staff members with a role (portal.admin: the staff form).
ACCOUNTS = ["auth.view_user", "auth.add_user"]

# What each group may do.
ROLE_PERMISSIONS = {
    CONTRIBUTOR: [*_WRITE, *schedule.DRAFT],
    EDITOR: [
        *_WRITE,
        *news.REVIEW,
        *documents.REVIEW,
        *about.EDIT_PAGES,
        *questions.ANSWER,
        *photos.MANAGE,
        *schedule.DRAFT,
        *schedule.REVISE,
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
        *schedule.DRAFT,
        *schedule.REVISE,
        *schedule.PUBLISH,
        *core.REDIRECTS,
        *communes.MANAGE,
        *ACCOUNTS,
    ],
}

# What each bundle lets a role do, in the words of the roles table the admin shows.
DUTIES = [
    (_("Write articles and documents, upload photos, submit them for review"), _WRITE),
    (
        _("Review everyone's articles and documents: return or approve them"),
        [*news.REVIEW, *documents.REVIEW],
    ),
    (
        _("Publish, schedule and take down articles and documents; keep their lists"),
        [*news.PUBLISH, *documents.PUBLISH],
    ),
    (_("Edit and delete every image of the photo library"), photos.MANAGE),
    (_("Edit the introduction pages and the directory"), about.EDIT_PAGES),
    (_("Answer questions from the public"), questions.ANSWER),
    (_("Publish questions and answers; keep the topics"), questions.PUBLISH),
    (_("Edit the portal's identity and the related portals"), about.LEAD),
    (_("Draft weeks of the work calendar"), schedule.DRAFT),
    (_("Change and cancel entries of a published work calendar"), schedule.REVISE),
    (_("Publish weeks of the work calendar"), schedule.PUBLISH),
    (_("Keep old addresses working: redirects"), core.REDIRECTS),
    (
        _(
            "Keep the supported communes: programs, communes, ratings and what each unit "
            "became; import and export them as CSV or Excel files"
        ),
        communes.MANAGE,
    ),
    (_("See the staff accounts, add staff members and give them a role"), ACCOUNTS),
]


def role_table():
    """Return [(duty, [True if the role does it, for each role])], roles as ROLE_PERMISSIONS."""
    return [
        (duty, [set(codes) <= set(granted) for granted in ROLE_PERMISSIONS.values()])
        for duty, codes in DUTIES
    ]


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
