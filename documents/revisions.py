"""Document revisions: the record's words compared and restored (core.revisions)."""

from django.utils.translation import gettext as _

from core import revisions

RESTORED_FIELDS = ["number", "signer", "summary"]


def compare(old_version, new_version):
    """Return [(label, diff_html, changed)] for the number, signer and summary."""
    old, new = old_version.field_dict, new_version.field_dict
    return revisions.compare_texts(
        [
            (_("Number and symbol"), old["number"], new["number"]),
            (_("Signed by"), old["signer"], new["signer"]),
            (_("Summary"), old["summary"], new["summary"]),
        ]
    )


def restore(document, version, user):
    """Bring back the words of a revision as a new revision; the workflow state stays."""
    return revisions.restore(document, version, user, RESTORED_FIELDS)
