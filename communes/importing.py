"""Write the rows read by communes.csv_format to the database, in one transaction.

Every instance passes its model's own validation (full_clean) before it is
saved, so rules such as "the end month cannot come before the start" live on
the models only; what a model refuses is reported as "line N: reason".
"""

from collections import Counter, defaultdict
from dataclasses import asdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from communes.csv_format import BadRowsError
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
        prefix = "" if name == NON_FIELD_ERRORS else f"{columns.get(name, name)}: "
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
    label = model._meta.model_name
    units = model.objects.existing_in(year)
    if code:
        found = list(units.filter(code=code)[:2])
        if len(found) > 1:
            # Both the old and the new unit existed that year (2025): the name decides.
            found = [unit for unit in found if unit.name == identity["name"]][:1] or found
        if len(found) > 1:
            raise ValueError(f"several {label}s had code {code!r} in {year}; give the name")
        if found:
            found = found[0]
            differing = [name for name, value in identity.items() if getattr(found, name) != value]
            if differing:
                raise ValueError(
                    f"code {code!r} belongs to {label} {found.name!r} "
                    f"({', '.join(differing)} differ); history is kept with links "
                    "(import_lineage)"
                )
            return found
    matches = list(units.filter(**identity)[:2])
    if len(matches) > 1:
        raise ValueError(f"several {label}s are named {identity['name']!r}; give the code")
    if matches and code and matches[0].code and matches[0].code != code:
        raise ValueError(
            f"{label} {identity['name']!r} has code {matches[0].code!r}, the file says {code!r}"
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
        raise ValueError(f"several provinces were named {name!r} in {year}")
    return matches[0] if matches else Province(name=name)


def import_rows(programs, supports):
    """Write the rows of csv_format.read_rows; return counts per (kind, outcome).

    What only the database or the models show (a code of another unit, a
    model's rule) is collected for every row, then raised as BadRowsError:
    nothing is written.
    """
    counts, errors = Counter(), defaultdict(list)
    with transaction.atomic():
        saved_programs = {}
        for year, row in sorted(programs.items()):
            program = SupportProgram.objects.filter(year=year).first() or SupportProgram()
            values = asdict(row)
            del values["line"]
            try:
                counts["program", save_changes(program, values)] += 1
            except ValueError as error:
                errors[row.line].append(str(error))
                continue
            saved_programs[year] = program

        districts, provinces = {}, {}
        for row in supports:
            try:
                province = None
                if row.province:
                    key = (row.province, row.year)
                    if key not in provinces:
                        provinces[key] = find_province(row.province, row.year)
                        counts["province", save_changes(provinces[key], {})] += 1
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
                        counts["district", save_changes(district, values)] += 1
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
                counts["commune", save_changes(commune, values)] += 1
                # A program the model refused is reported on its own line.
                program = saved_programs.get(row.year)
                if program is None:
                    continue
                support = CommuneSupport.objects.filter(
                    program=program, commune=commune
                ).first() or CommuneSupport(program=program, commune=commune)
                values = {"rating": row.rating, "officer": row.officer, "notes": row.notes}
                counts["support", save_changes(support, values)] += 1
            except ValueError as error:
                errors[row.line].append(str(error))
        if errors:
            raise BadRowsError(
                [f"line {line}: {'; '.join(reasons)}" for line, reasons in sorted(errors.items())]
            )
    return counts
