"""The newsroom's roles as Django groups, and how to keep them in sync."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

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
]

# What each group may do; who may do what to which article in which state is
# decided by news.workflow from these permissions.
ROLE_PERMISSIONS = {
    CONTRIBUTOR: _WRITE,
    EDITOR: [*_WRITE, "news.review_article"],
    PUBLISHER: [
        *_WRITE,
        "news.review_article",
        "news.publish_article",
        "news.add_category",
        "news.change_category",
        "news.delete_category",
    ],
}


def sync_roles(apps=global_apps):
    """Create the groups and give them exactly their permissions; safe to run again."""
    news_config = apps.get_app_config("news")
    # In a fresh database the permissions appear only after migrate; make them now.
    # (A migration's app registry holds stubs without models_module.)
    if getattr(news_config, "models_module", None) is None:
        news_config.models_module = True
    create_permissions(news_config, apps=apps, verbosity=0)

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
