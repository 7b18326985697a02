"""How a staff member is named wherever the admin shows one: in Vietnamese order."""

from django.utils.translation import gettext_lazy as _

NOBODY = _("(system or deleted account)")


def staff_name(user, nobody=NOBODY):
    """Return the family name first, "Trần Văn Đức"; the username if no name is set.

    Django keeps the family name in `last_name` and the rest in `first_name`, and its own
    get_full_name() puts them in the Western order.
    """
    if user is None:
        return nobody
    name = " ".join(f"{user.last_name} {user.first_name}".split())
    return name or user.get_username()


def split_name(full_name):
    """Return (last_name, first_name) of a name written family name first.

    "Trần Văn Đức" gives ("Trần", "Văn Đức"); one word is a given name alone.
    """
    words = full_name.split()
    if len(words) < 2:
        return "", " ".join(words)
    return words[0], " ".join(words[1:])
