"""Write the rows read by communes.csv_format to the database, in one transaction.

Every instance passes its model's own validation (full_clean) before it is
saved, so rules such as "the end month cannot come before the start" live on
the models only; what a model refuses is reported as "row N: reason". Every
write is recorded (Report), so that the admin can show what a file would change
before it is written: it runs the same import and rolls it back.
"""

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext

from communes.csv_format import BadRowsError, column_text, format_month, row_problem
from communes.models import Commune, CommuneSupport, District, Province, SupportProgram

# The file's column for a model field, where the names differ.
FIELD_COLUMNS = {
    SupportProgram: {"title": "program"},
    Province: {"name": "province"},
    District: {"name": "district", "kind": "district_kind", "code": "district_code"},
    Commune: {
        "name": "commune",
        "kind": "commune_kind",
        "code": "commune_code",
        "valid_from": "commune_valid_from",
        "valid_until": "commune_valid_until",
    },
}


def refusal(instance, error):
    """Return the reasons of a ValidationError, each led by the column it is about."""
    columns = FIELD_COLUMNS.get(type(instance), {})
    reasons = []
    for name, messages in error.message_dict.items():
        prefix = "" if name == NON_FIELD_ERRORS else f"{column_text(columns.get(name, name))}: "
        reasons += [prefix + message for message in messages]
    return "; ".join(reasons)


def save_changes(instance, values, trusted=()):
    """Create or update instance with values; return "created", "updated" or "unchanged".

    Raise ValueError with the model's reasons if its validation refuses the values.
    Fields named in `trusted` hold units saved by the same import: their existence and
    the constraints on them, checked by the caller, are not looked up again.
    """
    changed = {name for name, value in values.items() if getattr(instance, name) != value}
    if instance.pk is not None and not changed:
        return "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    try:
        instance.full_clean(exclude=trusted)
    except ValidationError as error:
        raise ValueError(refusal(instance, error)) from None
    outcome = "created" if instance.pk is None else "updated"
    instance.save()
    return outcome


def find_unit(model, code, identity, year):
    """Return the unit of the year with this code or, without one, matching identity.

    Else a new one. A code names a unit only while it exists: a 2026 row finds the
    2026 unit that reuses a 2022 unit's code. Names as they were at the time are
    never rewritten: a code that belongs to a unit of another name, or a unit whose
    code differs, is a bad row.
    """
    units = model.objects.existing_in(year)
    if code:
        found = list(units.filter(code=code)[:2])
        if len(found) > 1:
            # Both the old and the new unit existed that year (2025): the name decides.
            found = [unit for unit in found if unit.name == identity["name"]][:1] or found
        if len(found) > 1:
            raise ValueError(
                gettext("several %(units)s had code %(code)s in %(year)s; give the name")
                % {"units": model._meta.verbose_name_plural, "code": repr(code), "year": year}
            )
        if found:
            found = found[0]
            differing = [name for name, value in identity.items() if getattr(found, name) != value]
            if differing:
                raise ValueError(
                    gettext(
                        "code %(code)s belongs to %(unit)s %(name)s (%(fields)s differ); "
                        "history is kept with links (import_lineage)"
                    )
                    % {
                        "code": repr(code),
                        "unit": model._meta.verbose_name,
                        "name": repr(found.name),
                        "fields": ", ".join(
                            str(model._meta.get_field(name).verbose_name) for name in differing
                        ),
                    }
                )
            return found
    matches = list(units.filter(**identity)[:2])
    if len(matches) > 1:
        raise ValueError(
            gettext("several %(units)s were named %(name)s in %(year)s; give the code")
            % {
                "units": model._meta.verbose_name_plural,
                "name": repr(identity["name"]),
                "year": year,
            }
        )
    if matches and code and matches[0].code and matches[0].code != code:
        raise ValueError(
            gettext("%(unit)s %(name)s has code %(known)s, the file says %(code)s")
            % {
                "unit": model._meta.verbose_name,
                "name": repr(identity["name"]),
                "known": repr(matches[0].code),
                "code": repr(code),
            }
        )
    return matches[0] if matches else model(**identity)


def unit_values(kind, code, **known):
    """Return the values a row sets on a unit; an empty code or date keeps the known one."""
    values = {"kind": kind, "code": code} if code else {"kind": kind}
    return values | {name: value for name, value in known.items() if value is not None}


def find_province(name, year):
    """Return the province of this name that existed in the year, or a new one."""
    matches = list(Province.objects.existing_in(year).filter(name=name)[:2])
    if len(matches) > 1:
        raise ValueError(
            gettext("several %(units)s were named %(name)s in %(year)s; give the code")
            % {"units": Province._meta.verbose_name_plural, "name": repr(name), "year": year}
        )
    return matches[0] if matches else Province(name=name)


# What an import does to each kind of row, in the order the admin's preview lists them.
KINDS = [SupportProgram, Province, District, Commune, CommuneSupport]
OUTCOMES = ["created", "updated", "removed", "unchanged"]


@dataclass(frozen=True)
class Change:
    """What an import did to one row: its model, outcome, name and changed fields."""

    model: type
    outcome: str
    name: str
    # (field, before, after) of each changed field of an updated row.
    fields: tuple = ()


@dataclass
class Report:
    """Every write of an import, in order."""

    changes: list = field(default_factory=list)

    @property
    def counts(self):
        """Return the number of rows per (kind, outcome): ("support", "created")."""
        return Counter((kind_name(change.model), change.outcome) for change in self.changes)

    def changes_anything(self):
        return any(change.outcome != "unchanged" for change in self.changes)

    def by_kind(self):
        """Return [(model, [(outcome, [changes])])] for the kinds and outcomes present."""
        grouped = defaultdict(lambda: defaultdict(list))
        for change in self.changes:
            grouped[change.model][change.outcome].append(change)
        return [
            (
                model,
                [
                    (outcome, grouped[model][outcome])
                    for outcome in OUTCOMES
                    if grouped[model][outcome]
                ],
            )
            for model in KINDS
            if model in grouped
        ]

    def digest(self):
        """Return a fingerprint of the changes: a confirmed preview must still be true."""
        text = json.dumps(
            [[kind_name(c.model), c.outcome, c.name, c.fields] for c in self.changes],
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(text.encode()).hexdigest()


def kind_name(model):
    """Return the word the command's summary uses for a kind of row: "support"."""
    return {CommuneSupport: "support", SupportProgram: "program"}.get(model, model._meta.model_name)


def display(instance, name, value):
    """Return a field's value as the preview shows it: labels of choices, dates day first."""
    if value is None or value == "":
        return "—"
    model_field = instance._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, models.Model):
        return str(value)
    if name in ("start_month", "end_month"):
        return format_month(value)
    if isinstance(model_field, models.DateField):
        return date_format(value, "SHORT_DATE_FORMAT")
    return Truncator(str(value)).chars(80)


def row_name(instance):
    """Return how the preview names a row: a commune with the district it belonged to."""
    if isinstance(instance, Commune) and instance.district_id:
        return f"{instance}, {instance.district}"
    if isinstance(instance, CommuneSupport):
        return f"{row_name(instance.commune)} ({instance.program.year})"
    return str(instance)


def save_and_record(report, instance, values, trusted=()):
    """save_changes(), recording the change with the fields that changed."""
    before = {name: getattr(instance, name) for name in values}
    outcome = save_changes(instance, values, trusted)
    fields = ()
    if outcome == "updated":
        fields = tuple(
            (
                str(instance._meta.get_field(name).verbose_name),
                display(instance, name, before[name]),
                display(instance, name, values[name]),
            )
            for name in values
            if before[name] != values[name]
        )
    report.changes.append(Change(type(instance), outcome, row_name(instance), fields))
    return outcome


def import_rows(programs, supports, remove_missing=False):
    """Write the rows of csv_format.read_rows; return the Report of what was written.

    With remove_missing, the supported communes of the file's years that it does not
    list are removed: the file is then the whole list of each of its years. What only
    the database or the models show (a code of another unit, a model's rule) is
    collected for every row, then raised as BadRowsError: nothing is written.
    """
    report, errors = Report(), defaultdict(list)
    with transaction.atomic():
        saved_programs = {}
        for year, row in sorted(programs.items()):
            program = SupportProgram.objects.filter(year=year).first() or SupportProgram()
            values = asdict(row)
            del values["number"]
            try:
                save_and_record(report, program, values)
            except ValueError as error:
                errors[row.number].append(str(error))
                continue
            saved_programs[year] = program

        districts, provinces, listed = {}, {}, set()
        for row in supports:
            try:
                province = None
                if row.province:
                    key = (row.province, row.year)
                    if key not in provinces:
                        provinces[key] = find_province(row.province, row.year)
                        save_and_record(report, provinces[key], {})
                    province = provinces[key]
                district = None
                if row.district:
                    key = (row.district, row.district_kind, row.district_code, row.year)
                    if key not in districts:
                        district = find_unit(
                            District, row.district_code, {"name": row.district}, row.year
                        )
                        values = unit_values(row.district_kind, row.district_code)
                        if province and not district.province_id:
                            values["province"] = province
                        save_and_record(report, district, values)
                        districts[key] = district
                    district = districts[key]
                commune = find_unit(
                    Commune,
                    row.commune_code,
                    {"name": row.commune, "district": district},
                    row.year,
                )
                values = unit_values(
                    row.commune_kind,
                    row.commune_code,
                    valid_from=row.commune_valid_from,
                    valid_until=row.commune_valid_until,
                )
                # A commune is in its district's province; one without a district, in the
                # province the row names.
                place = district.province if district else province
                if place and commune.province_id is None:
                    values["province"] = place
                save_and_record(report, commune, values)
                # A program the model refused is reported on its own row.
                program = saved_programs.get(row.year)
                if program is None:
                    continue
                support = CommuneSupport.objects.filter(
                    program=program, commune=commune
                ).first() or CommuneSupport(program=program, commune=commune)
                values = {"rating": row.rating, "officer": row.officer, "notes": row.notes}
                save_and_record(report, support, values)
                listed.add(support.pk)
            except ValueError as error:
                errors[row.number].append(str(error))
        if errors:
            raise BadRowsError(
                [
                    row_problem(number, "; ".join(reasons))
                    for number, reasons in sorted(errors.items())
                ]
            )
        if remove_missing:
            unlisted = (
                CommuneSupport.objects.filter(program__in=saved_programs.values())
                .exclude(pk__in=listed)
                .select_related("program", "commune__district")
            )
            for support in unlisted:
                report.changes.append(Change(CommuneSupport, "removed", row_name(support)))
            unlisted.delete()
    return report
