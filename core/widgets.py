"""Form widgets the apps' admins share."""

from django.contrib.admin.widgets import AdminFileWidget


class ImagePreviewInput(AdminFileWidget):
    """The admin's file input for an image, with the image it holds shown beside it.

    Its template lives in core/templates/: Django's default form renderer reads the
    installed apps' template folders, not the project's templates/.
    """

    template_name = "core/widgets/image_preview.html"

    class Media:
        css = {"all": ["admin/css/image-preview.css"]}
