from django import template

from core.names import staff_name as name_of

register = template.Library()


@register.filter
def staff_name(user):
    """Return a staff member's name in Vietnamese order (core.names.staff_name)."""
    return name_of(user)
