"""Admin pieces shared by the portal's apps."""

from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _site_header():
    from about.identity import current_identity

    return gettext("%(name)s portal") % {"name": current_identity().name}


# Read at each page, so that a change of the union's name shows at once.
admin.site.site_header = lazy(_site_header, str)()
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Content management")


class VietnameseSlugAdmin(admin.ModelAdmin):
    """An admin whose live slug field folds Vietnamese the way portal.text.slugify_vi does.

    Django's own slug script turns "đ" into "dj" and drops other Vietnamese
    letters; ours folds the text first and must come after it.
    """

    class Media:
        js = ["admin/js/urlify.js", "admin/js/vietnamese_urlify.js"]
