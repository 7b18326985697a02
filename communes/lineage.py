"""Where each unit came from and what it is now, as pages read it.

The links of each level (provinces, districts, communes) are read in one query per
content version and remembered as a frozen Lineage (core.cache.remember): a year
page, a commune page or the list by today's units asks it what a unit became
without a query of its own, however long the chains.
"""

import functools
from dataclasses import dataclass
from types import MappingProxyType

from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext

from communes.models import LINKS, Commune, District, Province, legal_basis
from core import cache

KINDS = {"province": Province.Kind, "district": District.Kind, "commune": Commune.Kind}


@dataclass(frozen=True)
class Place:
    """A unit as lineage sentences name it: "xã Phủ Thông", in "tỉnh Thái Nguyên"."""

    level: str
    pk: int
    kind: str
    name: str
    slug: str
    code: str
    province_kind: str = ""
    province_name: str = ""

    def __str__(self):
        return f"{KINDS[self.level](self.kind).label} {self.name}"

    @property
    def province(self):
        if not self.province_name:
            return ""
        return f"{Province.Kind(self.province_kind).label} {self.province_name}"

    def get_absolute_url(self):
        if self.level != "commune":
            return ""
        return reverse("communes:commune-detail", kwargs={"slug": self.slug})


@dataclass(frozen=True)
class Step:
    """One link: all or part of `predecessor` went into `successor` on `date`, by law."""

    predecessor: Place
    successor: Place
    date: object
    resolution: str
    clause: str
    whole: bool

    @property
    def basis(self):
        return legal_basis(self.resolution, self.clause)


@dataclass(frozen=True)
class Now:
    """What a unit is today: the units at the end of its links."""

    places: tuple
    # One unit, reached by whole links only: "nay là"; otherwise "nay thuộc".
    single: bool

    def __bool__(self):
        return bool(self.places)

    @property
    def province(self):
        """Return the province of today's units, if they share one."""
        provinces = {place.province for place in self.places}
        return provinces.pop() if len(provinces) == 1 else ""

    @property
    def units(self):
        """Return today's units in words: "xã A và xã B, tỉnh Thái Nguyên"."""
        units = get_text_list([str(place) for place in self.places], gettext("and"))
        return f"{units}, {self.province}" if units and self.province else units

    def __str__(self):
        if not self.places:
            return ""
        if self.single:
            return gettext("(now %(units)s)") % {"units": self.units}
        return gettext("(now part of %(units)s)") % {"units": self.units}


# eq=False: compared and hashed as the one object remembered, for _index() below.
@dataclass(frozen=True, eq=False)
class Lineage:
    """Every link of one level of unit, as remembered for a content version."""

    steps: tuple

    def successors(self, pk):
        """Return the links out of the unit: what it went into."""
        return _index(self).out.get(pk, ())

    def predecessors(self, pk):
        """Return the links into the unit: what it was formed from."""
        return _index(self).into.get(pk, ())

    def now(self, pk):
        """Return what the unit is today: the units at the ends of its chains of links."""
        ends, single, seen, todo = [], True, {pk}, [pk]
        while todo:
            current = todo.pop(0)
            for step in self.successors(current):
                single = single and step.whole
                following = step.successor.pk
                if following in seen:
                    continue
                seen.add(following)
                if self.successors(following):
                    todo.append(following)
                else:
                    ends.append(step.successor)
        return Now(places=tuple(ends), single=single and len(ends) == 1)

    def ancestors(self, pk):
        """Return the pks of every unit the unit was formed from, however far back."""
        return self._walk(pk, self.predecessors, lambda step: step.predecessor.pk)

    def descendants(self, pk):
        """Return the pks of every unit the unit went into, however far on."""
        return self._walk(pk, self.successors, lambda step: step.successor.pk)

    def _walk(self, pk, steps, following):
        seen, todo = {pk}, [pk]
        while todo:
            for step in steps(todo.pop()):
                other = following(step)
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return frozenset(seen - {pk})


@dataclass(frozen=True)
class _Index:
    out: MappingProxyType
    into: MappingProxyType


@functools.lru_cache(maxsize=8)
def _index(lineage):
    """Return the lineage's links by unit, built once per remembered Lineage.

    The remembered Lineage is the same object for every request of this process
    until the content changes; the index is read-only (mapping proxies of tuples).
    """
    out, into = {}, {}
    for step in lineage.steps:
        out.setdefault(step.predecessor.pk, []).append(step)
        into.setdefault(step.successor.pk, []).append(step)
    return _Index(
        out=MappingProxyType({pk: tuple(steps) for pk, steps in out.items()}),
        into=MappingProxyType({pk: tuple(steps) for pk, steps in into.items()}),
    )


def place(unit):
    """Return the Place of a province, district or commune (its province selected)."""
    level = unit._meta.model_name
    province = getattr(unit, "province", None) if level != "province" else None
    return Place(
        level=level,
        pk=unit.pk,
        kind=unit.kind,
        name=unit.name,
        slug=unit.slug,
        code=unit.code,
        province_kind=province.kind if province else "",
        province_name=province.name if province else "",
    )


def load(model):
    """Return every link of model's units as a Lineage: one query."""
    links = LINKS[model].objects.order_by("date", "pk")
    if model is not Province:
        links = links.select_related("predecessor__province", "successor__province")
    else:
        links = links.select_related("predecessor", "successor")
    return Lineage(
        steps=tuple(
            Step(
                predecessor=place(link.predecessor),
                successor=place(link.successor),
                date=link.date,
                resolution=link.resolution,
                clause=link.clause,
                whole=link.whole,
            )
            for link in links
        )
    )


def lineage(model):
    """Return the Lineage of a level of unit as of the current content version."""
    return cache.remember(f"communes:lineage:{model._meta.model_name}", lambda: load(model))


def lineage_of(unit):
    return lineage(type(unit))


def now(unit):
    """Return what a unit is today (an empty Now if it is itself in force or ended alone)."""
    return lineage_of(unit).now(unit.pk)
