"""{% picture %}: the responsive markup of a library image."""

import re

import pytest
from django.template import Context, Template

from tests.factories import image_upload, make_image

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load pictures %}" + source).render(Context(context))


def test_picture_offers_webp_and_jpeg_in_every_width():
    image = make_image(
        image_upload("rong.jpg", size=(1600, 900), image_format="JPEG"), alt_text="Lễ ra quân"
    )
    html = render('{% picture image sizes="(min-width: 48rem) 46rem, 100vw" %}', image=image)
    webp = ", ".join(f"/media/{r['webp']} {r['width']}w" for r in image.renditions)
    jpeg = ", ".join(f"/media/{r['fallback']} {r['width']}w" for r in image.renditions)
    largest = image.renditions[-1]
    assert html.strip() == (
        f'<picture><source type="image/webp" srcset="{webp}" '
        'sizes="(min-width: 48rem) 46rem, 100vw">'
        f'<img src="/media/{largest["fallback"]}" srcset="{jpeg}" '
        'sizes="(min-width: 48rem) 46rem, 100vw" alt="Lễ ra quân" width="1200" height="675" '
        'loading="lazy" decoding="async"></picture>'
    )


def test_the_image_above_the_fold_loads_first():
    image = make_image()
    html = render('{% picture image loading="eager" %}', image=image)
    assert 'loading="eager"' in html
    assert 'fetchpriority="high"' in html
    assert "lazy" not in html


def test_an_image_without_renditions_yet_shows_its_original():
    image = make_image(caption="Ảnh cũ")
    image.renditions = []
    html = render("{% picture image %}", image=image)
    assert "<source" not in html
    assert re.search(
        rf'<img src="/media/{image.file.name}" alt="Ảnh cũ" width="64" height="48"', html
    )
