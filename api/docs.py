"""The API's reference, /api/v1/docs: a page of the portal, in Vietnamese.

Django Ninja's Swagger UI speaks only English and is a page apart from the site; this
draws the same OpenAPI schema (api.get_openapi_schema(), the one /api/v1/openapi.json
gives) with the portal's own templates. The schema's texts stay English, for programs;
the page shows each through the catalogue, so a new endpoint or parameter needs its
Vietnamese in locale/vi (tests/api/test_docs.py reads the page for English).
"""

from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.utils.translation import pgettext, pgettext_lazy
from ninja.openapi.docs import DocsBase

# The catalogue's context for the schema's texts: "documents", a tag here, is not the
# documents' menu entry.
CONTEXT = "API reference"
# The schema's types in words; dates are strings of a format.
TYPES = {
    "string": pgettext_lazy(CONTEXT, "text"),
    "integer": pgettext_lazy(CONTEXT, "whole number"),
    "boolean": pgettext_lazy(CONTEXT, "true or false"),
    "date": pgettext_lazy(CONTEXT, "date (YYYY-MM-DD)"),
}
WHERE = {
    "path": pgettext_lazy(CONTEXT, "in the address"),
    "query": pgettext_lazy(CONTEXT, "after ?"),
}


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple
    # An address readers can open as it is (no part of the path to fill in).
    example: str | None


def translated(text):
    return pgettext(CONTEXT, text) if text else ""


def kind(schema):
    """Return the type of a parameter's schema in words ("whole number")."""
    options = schema.get("anyOf", [schema])
    for option in options:
        if option.get("type") == "null":
            continue
        name = option.get("format") if option.get("format") in TYPES else option.get("type")
        return str(TYPES.get(name, name or ""))
    return ""


def endpoints(schema):
    """Return the API's endpoints grouped by tag: [(tag, [Endpoint, …]), …], in schema order."""
    groups = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = tuple(
                Parameter(
                    name=parameter["name"],
                    where=str(WHERE.get(parameter["in"], parameter["in"])),
                    kind=kind(parameter["schema"]),
                    required=parameter.get("required", False),
                    description=translated(parameter.get("description")),
                )
                for parameter in operation.get("parameters", [])
            )
            endpoint = Endpoint(
                method=method.upper(),
                path=path,
                summary=translated(operation.get("summary")),
                description=translated(operation.get("description")),
                parameters=parameters,
                example=path if method == "get" and "{" not in path else None,
            )
            tag = (operation.get("tags") or [""])[0]
            groups.setdefault(translated(tag), []).append(endpoint)
    return list(groups.items())


class PortalDocs(DocsBase):
    """The reference as a page of the site, from the API's OpenAPI schema."""

    def render_page(self, request, api, **kwargs):
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "title": translated(schema["info"]["title"]),
            "description": translated(schema["info"].get("description")),
            "version": schema["info"]["version"],
            "groups": endpoints(schema),
            "openapi_url": self.get_openapi_url(api, kwargs),
        }
        return TemplateResponse(request, "api/docs.html", context)
