"""Users in the newsroom's roles and admin form data, for the workflow tests."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from news.roles import CONTRIBUTOR, EDITOR, PUBLISHER

ROLE_GROUPS = {"contributor": CONTRIBUTOR, "editor": EDITOR, "publisher": PUBLISHER}


def make_user(role, username=None, **fields):
    """Return a staff user in the role's group ("superuser" makes a superuser)."""
    username = username or role
    fields.setdefault("email", f"{username}@tinhdoan.example")
    fields.setdefault("first_name", username.capitalize())
    user = get_user_model().objects.create_user(
        username, password="mat-khau", is_staff=True, is_superuser=role == "superuser", **fields
    )
    if role in ROLE_GROUPS:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


def admin_url(name, *args):
    from django.urls import reverse

    return reverse(f"admin:news_article_{name}", args=args)


def change_data(article, photos=(), **overrides):
    """Return the POST data of the article's admin change form as it stands."""
    published_at = article.published_at and timezone.localtime(article.published_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "author_name": article.author_name,
        "category": article.category_id or "",
        "published_at_0": published_at.strftime("%d/%m/%Y") if published_at else "",
        "published_at_1": published_at.strftime("%H:%M") if published_at else "",
        "expires_at_0": "",
        "expires_at_1": "",
        "edit_version": article.version,
        "photos-TOTAL_FORMS": len(photos),
        "photos-INITIAL_FORMS": len(photos),
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
    }
    if article.featured:
        data["featured"] = "on"
    for index, photo in enumerate(photos):
        prefix = f"photos-{index}-"
        data.update(
            {
                prefix + "id": photo.pk,
                prefix + "article": article.pk,
                prefix + "caption": photo.caption,
                prefix + "alt_text": photo.alt_text,
                prefix + "credit": photo.credit,
                prefix + "position": photo.position,
                prefix + "order": photo.order,
            }
        )
    data.update(overrides)
    return data


def form_version(response):
    """Return the edit_version the change form carries."""
    match = re.search(r'name="edit_version" value="(\d+)"', response.content.decode())
    return int(match.group(1))
