"""A reorganisation as a file: the units before and after it, and the links between them.

The shipped file, data/thai_nguyen_2025.json, is the 2025 arrangement of the former
Bắc Kạn province: its districts and 108 commune-level units as they were on 30 June
2025, the 92 commune-level units of Thái Nguyên from 1 July 2025, and, for each
former unit, the unit it went into with the clause of the resolution. The file says
where its data comes from and carries the licence of the dataset it was read from.

    {"date": "2025-07-01",
     "before": {"provinces": [{"code", "kind", "name"}], "districts": [... "province"],
                "communes": [... "district"]},
     "after": {"provinces": [... "resolution", "clause"],
               "communes": [... "province", "resolution", "clause"]},
     "links": {"provinces": [{"from", "to", "resolution", "clause", "whole"}],
               "communes": [...]}}

Units "before" end the day before `date`, units "after" begin on it; a link goes
from a unit before (its code) to a unit after (its code), so a code may name a unit
on each side. import_lineage writes it with write_arrangement(), in one transaction:
a unit already stored (by its code while it existed, or by its name when it has no
code, as import_communes leaves them) is completed, never renamed; nothing is
written if any entry is bad.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import translation

from communes.csv_format import BadRowsError
from communes.importing import save_changes
from communes.models import LINKS, Commune, District, Province, legal_basis

SHIPPED = Path(__file__).resolve().parent / "data" / "thai_nguyen_2025.json"
LEVELS = {"provinces": Province, "districts": District, "communes": Commune}
# What each level's entries refer to, by code, on the same side.
PARENTS = {"districts": ("province", "provinces"), "communes": ("district", "districts")}


@dataclass
class Entry:
    """One unit of the file, checked."""

    where: str
    level: str
    code: str
    kind: str
    name: str
    parent: str = ""
    province: str = ""
    resolution: str = ""
    clause: str = ""


@dataclass
class Arrangement:
    date: datetime.date
    before: dict
    after: dict
    links: dict


def read_file(path):
    """Return the checked Arrangement of a file; raise BadRowsError listing every problem."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BadRowsError([f"cannot read the file: {error}"]) from None
    return read_data(data)


def read_data(data):
    errors = []
    if not isinstance(data, dict):
        raise BadRowsError(["the file is not a JSON object"])
    try:
        date = datetime.date.fromisoformat(str(data.get("date")))
    except ValueError:
        raise BadRowsError(
            [f"date {data.get('date')!r} is not a date written YYYY-MM-DD"]
        ) from None
    sides = {}
    for side in ["before", "after"]:
        sides[side] = {}
        groups = data.get(side)
        if not isinstance(groups, dict):
            errors.append(f"{side}: missing, or not an object of levels")
            continue
        for level in groups:
            if level not in LEVELS:
                errors.append(f"{side}: unknown level {level!r} (known: {', '.join(LEVELS)})")
        for level, model in LEVELS.items():
            sides[side][level] = read_units(side, level, model, groups.get(level, []), errors)
    for side, levels in sides.items():
        for level, (field, parent_level) in PARENTS.items():
            for entry in levels.get(level, {}).values():
                if entry.parent and entry.parent not in levels.get(parent_level, {}):
                    errors.append(f"{entry.where}: {field} {entry.parent!r} is not in {side}")
                if entry.province and entry.province not in levels.get("provinces", {}):
                    errors.append(f"{entry.where}: province {entry.province!r} is not in {side}")
    links = {}
    for level, items in (data.get("links") or {}).items():
        if level not in LEVELS:
            errors.append(f"links: unknown level {level!r}")
            continue
        links[level] = read_links(level, items, sides, errors)
    if errors:
        raise BadRowsError(errors)
    return Arrangement(date=date, before=sides["before"], after=sides["after"], links=links)


def read_units(side, level, model, items, errors):
    units = {}
    kinds = set(model.Kind.values)
    for index, item in enumerate(items if isinstance(items, list) else [None]):
        where = f"{side}.{level}[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: not an object")
            continue
        code, name, kind = (str(item.get(key) or "").strip() for key in ["code", "name", "kind"])
        problems = [
            f"{key} is missing" for key, value in [("code", code), ("name", name)] if not value
        ]
        if kind not in kinds:
            problems.append(f"kind {kind!r} is not one of: {', '.join(sorted(kinds))}")
        if code in units:
            problems.append(f"code {code!r} is already {units[code].where}")
        if problems:
            errors += [f"{where}: {problem}" for problem in problems]
            continue
        field = PARENTS.get(level, (None,))[0]
        units[code] = Entry(
            where=where,
            level=level,
            code=code,
            kind=kind,
            name=name,
            parent=str(item.get(field) or "") if field and field != "province" else "",
            province=str(item.get("province") or ""),
            resolution=str(item.get("resolution") or ""),
            clause=str(item.get("clause") or ""),
        )
    return units


def read_links(level, items, sides, errors):
    links = []
    for index, item in enumerate(items if isinstance(items, list) else [None]):
        where = f"links.{level}[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: not an object")
            continue
        source, target = str(item.get("from") or ""), str(item.get("to") or "")
        if source not in sides["before"].get(level, {}):
            errors.append(f"{where}: from {source!r} is not a unit before")
        if target not in sides["after"].get(level, {}):
            errors.append(f"{where}: to {target!r} is not a unit after")
        whole = item.get("whole", True)
        if not isinstance(whole, bool):
            errors.append(f"{where}: whole {whole!r} is not true or false")
        links.append(
            {
                "from": source,
                "to": target,
                "resolution": str(item.get("resolution") or ""),
                "clause": str(item.get("clause") or ""),
                "whole": whole,
            }
        )
    return links


def existing_on(model, day):
    return model.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
    )


class StoredUnits:
    """The units of one level that existed on a day, read once and found by code or name."""

    def __init__(self, model, day):
        self.model = model
        self.by_code, self.without_code = {}, {}
        for unit in existing_on(model, day):
            if unit.code:
                self.by_code[unit.code] = unit
            else:
                key = (unit.name, getattr(unit, "district_id", None))
                self.without_code.setdefault(key, []).append(unit)

    def find(self, entry, district=None):
        """Return the stored unit an entry describes, or a new one.

        By its code among the units that existed that day; else, among those without a
        code, by name and the district a commune was in. A unit is never renamed: a
        code held by a unit of another name is an error.
        """
        found = self.by_code.get(entry.code)
        if found is not None:
            if found.name != entry.name:
                raise ValueError(
                    f"code {entry.code!r} belongs to {found.name!r}, not {entry.name!r}; "
                    "a unit is never renamed"
                )
            return found
        key = (entry.name, district.pk if district is not None else None)
        matches = self.without_code.get(key, [])
        if len(matches) > 1:
            raise ValueError(f"several units without a code are named {entry.name!r}")
        return matches[0] if matches else self.model(name=entry.name)


def write_arrangement(arrangement):
    """Write an Arrangement; return counts per (level, outcome). Raise BadRowsError if refused.

    Stored units and links are read once per level and side, not once per entry.
    """
    counts, errors = Counter(), []
    last_day = arrangement.date - datetime.timedelta(days=1)
    stored = {"before": {}, "after": {}}
    with transaction.atomic():
        for side, day, dates in [
            ("before", last_day, {"valid_until": last_day}),
            ("after", arrangement.date, {"valid_from": arrangement.date}),
        ]:
            for level, model in LEVELS.items():
                stored[side][level] = {}
                units = StoredUnits(model, day)
                for entry in getattr(arrangement, side)[level].values():
                    try:
                        unit = write_unit(units, entry, dates, stored[side])
                    except ValueError as error:
                        errors.append(f"{entry.where}: {error}")
                        continue
                    counts[level, unit[1]] += 1
                    stored[side][level][entry.code] = unit[0]
        for level, links in arrangement.links.items():
            link_model = LINKS[LEVELS[level]]
            existing = {
                (link.predecessor_id, link.successor_id): link
                for link in link_model.objects.filter(
                    predecessor__in=stored["before"][level].values()
                )
            }
            for index, item in enumerate(links):
                predecessor = stored["before"][level].get(item["from"])
                successor = stored["after"][level].get(item["to"])
                if predecessor is None or successor is None:
                    continue  # its unit's error is reported
                link = existing.get((predecessor.pk, successor.pk)) or link_model(
                    predecessor=predecessor, successor=successor
                )
                values = {key: item[key] for key in ["resolution", "clause", "whole"]}
                try:
                    outcome = save_changes(
                        link,
                        values | {"date": arrangement.date},
                        # Both ends were just written, the pair looked up above.
                        trusted=["predecessor", "successor"],
                    )
                except ValueError as error:
                    errors.append(f"links.{level}[{index}]: {error}")
                    continue
                existing[predecessor.pk, successor.pk] = link
                counts["links", outcome] += 1
        if errors:
            raise BadRowsError(errors)
    return counts


def write_unit(units, entry, dates, stored):
    """Create or complete one unit; return it and "created", "updated" or "unchanged"."""
    values = {"kind": entry.kind, "code": entry.code, **dates}
    district = None
    for field, level, code in [
        ("province", "provinces", entry.province),
        ("district", "districts", entry.parent),
    ]:
        if code and code not in stored[level]:
            raise ValueError(f"its {field} {code!r} was refused")
    if entry.province:
        values["province"] = stored["provinces"][entry.province]
    if entry.parent:
        district = values["district"] = stored["districts"][entry.parent]
        if district.province_id:
            values["province"] = district.province
    if entry.resolution:
        # Stored as an editor would type it, whatever the language of the command.
        with translation.override("vi"):
            values["basis"] = legal_basis(entry.resolution, entry.clause)
    unit = units.find(entry, district)
    # Its province and district were written by this import a moment before.
    return unit, save_changes(unit, values, trusted=["province", "district"])
