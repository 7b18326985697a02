"""Content-security policies that follow what a page shows.

Pages get settings.SECURE_CSP. A widget that needs another policy to work asks for it
while it renders (`require()`: CKEditor 4's RichTextEditor asks for settings.EDITOR_CSP),
and whatever page draws it, in whichever form, gets that policy, and no other page does.
A view that is part of the editor without drawing it (its image uploader and browser)
says so with `@editor_page`.
"""

from contextvars import ContextVar
from functools import wraps

from django.conf import settings

# The policies asked for while the current request's response was made.
_asked = ContextVar("policies_asked", default=None)


def require(policy):
    """Give the page being rendered this policy (a SECURE_CSP-style mapping)."""
    asked = _asked.get()
    if asked is not None:
        asked.append(policy)


def editor_page(view):
    """Give a view's answers the rich-text editor's policy (settings.EDITOR_CSP)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        require(settings.EDITOR_CSP)
        return view(*args, **kwargs)

    return wrapper


class WidgetPolicyMiddleware:
    """Set the policy that the page's widgets asked for, if any.

    It must stand after django.middleware.csp.ContentSecurityPolicyMiddleware, which
    then writes the header from the policy chosen here. A view's own csp_override() wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = []
        token = _asked.set(asked)
        try:
            response = self.get_response(request)
        finally:
            _asked.reset(token)
        if asked and not hasattr(response, "_csp_config"):
            response._csp_config = asked[-1]
        return response
