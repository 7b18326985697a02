"""What roles may do with the photo library, in bundles the project's roles table joins."""

# Upload and reuse; contributors edit only their own images
# (photos.models.ImageQuerySet.visible_to and photos.admin decide which).
UPLOAD = ["photos.add_image", "photos.change_image", "photos.delete_image", "photos.view_image"]
# See, edit and delete every image.
MANAGE = ["photos.manage_library"]
