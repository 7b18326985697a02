"""What roles may do with the union's own information, in bundles the roles table joins."""

# The introduction pages and the directory of leaders and departments.
EDIT_PAGES = [
    f"about.{action}_{model}"
    for model in ("intropage", "department", "officer")
    for action in ("add", "change", "delete", "view")
]
# The union's identity ("Thông tin cổng") and the related portals.
LEAD = [
    "about.add_portalidentity",
    "about.change_portalidentity",
    "about.view_portalidentity",
    "about.add_relatedportal",
    "about.change_relatedportal",
    "about.delete_relatedportal",
    "about.view_relatedportal",
]
