from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Bắc Kạn Youth Union portal")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Content management")
