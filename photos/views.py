"""CKEditor's uploader and file browser, both backed by the photo library.

They replace django-ckeditor's own views, which stored any file under the name it
was sent with, skipped the CSRF check and showed everyone's uploads to everyone.
"""

import re
from pathlib import PurePosixPath

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from core.crawlers import not_for_crawlers
from core.csp import editor_page
from core.validators import MAX_IMAGE_BYTES, ImageUploadField
from photos.models import Image

# Room for the multipart envelope around a file of the largest size allowed.
MAX_REQUEST_BYTES = MAX_IMAGE_BYTES + 64 * 1024
BROWSE_PAGE_SIZE = 24
# CKEditor names the callback of the window that opened the browser by a number.
FUNC_NUM = re.compile(r"[0-9]{1,9}")


class UploadForm(forms.Form):
    upload = ImageUploadField(
        error_messages={"required": gettext_lazy("Choose an image to upload.")},
    )


def refusal(message, status=200):
    # CKEditor shows error.message only from a 200 answer; other codes get its own text.
    return JsonResponse({"uploaded": 0, "error": {"message": str(message)}}, status=status)


@not_for_crawlers
@editor_page
@csrf_exempt  # Checked below, once the size is known to be sane: see _store_upload.
def upload(request):
    """Take an image from CKEditor (its upload tab) into the photo library; answer JSON.

    The answer is always JSON, never a script: nothing the request sends is
    written back into code the browser runs.
    """
    if request.method != "POST":
        return refusal(_("Send the image with POST."), status=405)
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("photos.add_image")):
        return refusal(_("You may not upload images."), status=403)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_REQUEST_BYTES + 1
    if length > MAX_REQUEST_BYTES:
        # Refused before a byte of the body is read.
        return refusal(_("The image is larger than 10 MB. Please upload a smaller file."))
    return _store_upload(request)


@csrf_protect
def _store_upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return refusal(" ".join(form.errors["upload"]))
    image = Image(file=form.cleaned_data["upload"], uploaded_by=request.user)
    image.save()
    return JsonResponse(
        {"uploaded": 1, "fileName": PurePosixPath(image.file.name).name, "url": image.url}
    )


@not_for_crawlers
@editor_page
@never_cache
@staff_member_required
def browse(request):
    """List the library images the user may reuse, searchable, for CKEditor's "Browse server"."""
    if not request.user.has_perm("photos.view_image"):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    images = Image.objects.visible_to(request.user).select_related("uploaded_by")
    if query:
        images = images.search(query)
    func_num = request.GET.get("CKEditorFuncNum", "")
    context = {
        **admin.site.each_context(request),
        "title": _("Photo library"),
        "is_popup": True,
        "query": query,
        "page_obj": Paginator(images, BROWSE_PAGE_SIZE).get_page(request.GET.get("page")),
        # Only digits reach the page, and only as data for the script to read.
        "func_num": func_num if FUNC_NUM.fullmatch(func_num) else "",
    }
    return render(request, "photos/browse.html", context)
