"""English versions of editable text: a field `x` may have an `x_en` twin.

English pages show the twin when it is filled in and fall back to the
Vietnamese text otherwise, saying so; Vietnamese pages always show `x`. A model
edited on a page of its own records when each language was last changed
(`Translated`), so that editors see an English version older than the text it
translates.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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


def twins(model):
    """Return the model's (Vietnamese, English) pairs of field names."""
    names = {field.name for field in model._meta.concrete_fields}
    return [
        (name[:-3], name) for name in sorted(names) if name.endswith("_en") and name[:-3] in names
    ]


class Translated(TranslatableMixin, models.Model):
    """A model with English twins that records when each language was last changed."""

    vietnamese_changed_at = models.DateTimeField(
        _("Vietnamese version last changed"), null=True, editable=False
    )
    english_changed_at = models.DateTimeField(
        _("English version last changed"), null=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        saved = getattr(self, "_saved_texts", {})
        update_fields = kwargs.get("update_fields")
        now, changed = timezone.now(), []
        for side, stamp in enumerate(["vietnamese_changed_at", "english_changed_at"]):
            fields = [
                self._meta.get_field(pair[side])
                for pair in twins(type(self))
                if update_fields is None or pair[side] in update_fields
            ]
            # Compared as it will be stored (rich text sanitised) with what was loaded; a
            # field not loaded (deferred) counts as unchanged.
            if any(
                field.pre_save(self, self._state.adding) != saved.get(field.attname, "")
                for field in fields
                if self._state.adding or field.attname in saved
            ):
                setattr(self, stamp, now)
                changed.append(stamp)
        if update_fields is not None and changed:
            kwargs["update_fields"] = {*update_fields, *changed}
        super().save(*args, **kwargs)
        self._saved_texts = {
            field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields
        }

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._saved_texts = {
            name: value
            for name, value in zip(field_names, values, strict=True)
            if value is not models.DEFERRED
        }
        return row

    def english_is_older(self):
        """Return True if the English version was last changed before the Vietnamese one."""
        english = any(getattr(self, name) for _vietnamese, name in twins(type(self)))
        return bool(
            english
            and self.english_changed_at
            and self.vietnamese_changed_at
            and self.english_changed_at < self.vietnamese_changed_at
        )
