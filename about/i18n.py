"""English versions of editable text: a field `x` may have an `x_en` twin.

English pages show the twin when it is filled in and fall back to the
Vietnamese text otherwise, saying so; Vietnamese pages always show `x`.
"""

from django.utils.translation import get_language


def english_requested():
    return (get_language() or "").split("-")[0] == "en"


class TranslatableMixin:
    """Give a model with `<field>_en` twins the text for the language being shown."""

    def localized(self, field):
        """Return the field's English twin on English pages when it is filled in, else the field."""
        if english_requested():
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)

    def falls_back(self, field):
        """Return True if an English page shows this field in Vietnamese, lacking a translation."""
        english = getattr(self, f"{field}_en", "")
        return english_requested() and not english and bool(getattr(self, field))
