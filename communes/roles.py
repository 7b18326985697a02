"""What roles may do with the supported communes, in bundles the roles table joins."""

# Keep the yearly programs and their communes, import and export them as files (an import
# makes the units a file names), and keep the units with what each became.
MANAGE = [
    f"communes.{action}_{model}"
    for model in (
        "supportprogram",
        "communesupport",
        "province",
        "district",
        "commune",
        "provincelink",
        "districtlink",
        "communelink",
    )
    for action in ("add", "change", "delete", "view")
]
