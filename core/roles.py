"""What roles may do with the base's own data, in bundles the roles table joins."""

# Keep old addresses working: add and edit redirects, see and drop recorded former slugs.
REDIRECTS = [
    *(f"core.{action}_redirect" for action in ("add", "change", "delete", "view")),
    "core.view_formerslug",
    "core.delete_formerslug",
]
