"""The newsroom's roles as Django groups, and how to keep them in sync."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

CONTRIBUTOR = "Cộng tác viên"
EDITOR = "Biên tập viên"
PUBLISHER = "Lãnh đạo / Tổng biên tập"

_WRITE = [
    "news.add_article",
    "news.change_article",
    "news.view_article",
    "news.delete_article",
    "news.submit_article",
    # The photos are edited inline on the article's page.
    "news.add_photo",
    "news.change_photo",
    "news.delete_photo",
    "news.view_photo",
    "news.view_category",
    # The photo library: everyone uploads and reuses; contributors edit only their own
    # images (photos.models.ImageQuerySet.visible_to and photos.admin decide which).
    "photos.add_image",
    "photos.change_image",
    "photos.delete_image",
    "photos.view_image",
]

# The introduction pages and the directory of leaders and departments.
_ABOUT_PAGES = [
    f"about.{action}_{model}"
    for model in ("intropage", "department", "officer")
    for action in ("add", "change", "delete", "view")
]
# Questions from the public: see them, assign them, answer them.
_ANSWER_QUESTIONS = ["questions.view_question", "questions.change_question"]
# The union's identity ("Thông tin cổng"), publication of questions and their topics.
_LEAD = [
    "about.add_portalidentity",
    "about.change_portalidentity",
    "about.view_portalidentity",
    "about.add_relatedportal",
    "about.change_relatedportal",
    "about.delete_relatedportal",
    "about.view_relatedportal",
    "questions.publish_question",
    "questions.delete_question",
    "questions.add_topic",
    "questions.change_topic",
    "questions.delete_topic",
    "questions.view_topic",
]

# What each group may do; who may do what to which article in which state is
# decided by news.workflow from these permissions.
ROLE_PERMISSIONS = {
    CONTRIBUTOR: _WRITE,
    EDITOR: [
        *_WRITE,
        "news.review_article",
        "news.view_all_articles",
        *_ABOUT_PAGES,
        *_ANSWER_QUESTIONS,
        "photos.manage_library",
    ],
    PUBLISHER: [
        *_WRITE,
        "news.review_article",
        "news.view_all_articles",
        "photos.manage_library",
        "news.publish_article",
        "news.add_category",
        "news.change_category",
        "news.delete_category",
        *_ABOUT_PAGES,
        *_ANSWER_QUESTIONS,
        *_LEAD,
    ],
}


def sync_roles():
    """Create the groups and give them exactly their permissions; safe to run again.

    Runs after every migrate (news.apps) and from `manage.py sync_roles`.
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
