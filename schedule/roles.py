"""What roles may do with the work calendar, in bundles the roles table joins."""

# Draft weeks and their entries; delete drafts.
DRAFT = [
    *(
        f"schedule.{action}_{model}"
        for model in ("week", "entry")
        for action in ("add", "change", "view")
    ),
    "schedule.delete_week",
    "schedule.delete_entry",
]
# Add, change and cancel entries of a week already published (readers see each change).
REVISE = ["schedule.revise_published_week"]
# Publish weeks (and delete published ones).
PUBLISH = ["schedule.publish_week"]
