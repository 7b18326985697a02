from django import template

from about.identity import current_identity

register = template.Library()


@register.filter
def localized(obj, field):
    """Return the field's text in the language shown: {{ page|localized:"title" }}."""
    return obj.localized(field)


@register.filter
def falls_back(obj, field):
    """Return True if an English page shows this field in Vietnamese, lacking a translation."""
    return obj.falls_back(field)


@register.simple_tag
def portal_identity():
    """Return the identity where no request gives it: {% portal_identity as identity %}."""
    return current_identity()


@register.filter
def tel(phone):
    """Return a phone number as a tel: link wants it: "0209 3870 (số mẫu)" gives "02093870"."""
    phone = str(phone).strip()
    digits = "".join(char for char in phone if char.isdigit())
    return f"+{digits}" if phone.startswith("+") else digits
