from django import template

from communes import lineage

register = template.Library()


@register.simple_tag
def now_of(unit):
    """Return what a unit is today: {% now_of commune as now %}, printed "(nay là …)"."""
    return lineage.now(unit)
