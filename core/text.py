"""Vietnamese text folding: slugs and accent-insensitive matching."""

import unicodedata

from django.utils.text import slugify

# "đ" is a letter of its own, not "d" with a combining mark, so Unicode
# decomposition leaves it alone and Django's slugify drops it.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
# Dashes other than the hyphen ("nhiệm kỳ 2027–2032") separate words in a slug.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def strip_accents(value):
    """Return value without Vietnamese tone and vowel marks, keeping its case."""
    decomposed = unicodedata.normalize("NFD", str(value).translate(_D_STROKE))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


def fold(value):
    """Return the form used to compare Vietnamese text regardless of accents and case."""
    return " ".join(strip_accents(value).casefold().split())


def slugify_vi(value, max_length=None):
    """Return an ASCII slug for Vietnamese text: "Công tác Đoàn" gives "cong-tac-doan"."""
    slug = slugify(strip_accents(value).translate(_DASHES))
    if max_length and len(slug) > max_length:
        # Keep whole words: cut before the last hyphen that fits, if there is one.
        head = slug[: max_length + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:max_length]
    return slug


def unique_slug(model, value, max_length, exclude_pk=None, fallback=None):
    """Return slugify_vi(value), suffixed with -2, -3… until no other row of model has it.

    A value with no letters or digits ("!!!") gives fallback instead (the
    model's name if none is given).
    """
    base = slugify_vi(value, max_length=max_length - 4) or fallback or model._meta.model_name
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
