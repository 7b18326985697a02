"""Walking the public site as a reader does: from pages by their links, and the sitemaps.

One walk for the tests that must reach every kind of public page by themselves (the
invalidation walk, the reflow walk), so that a new page is covered as soon as a link or
a sitemap leads to it.
"""

import re

# Where readers' pages are not: the admin, previews, uploads, files.
NOT_PAGES = ("/admin/", "/xem-truoc/", "/ckeditor/", "/static/", "/media/", "/api/")
LINK = re.compile(r'(?:href|src)="(/[^"#]*)"')
LOCATION = re.compile(r"<loc>https?://testserver(/[^<]*)</loc>")


def read(reader, url, **headers):
    """GET as an anonymous reader: no cookie kept from one page to the next."""
    response = reader.get(url, **headers)
    reader.cookies.clear()
    return response


def walk(reader, start, wanted=lambda url: True):
    """Yield (url, response) of the public pages reached from start, breadth first.

    start: the first addresses (add "/sitemap.xml" for the sitemaps' pages). wanted(url)
    decides, before a page is read, whether to read it. Only pages answered 200 and not
    streamed are yielded, and only their links are followed; the caller stops the walk
    when it has enough.
    """
    queue, seen = list(start), set()
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith(NOT_PAGES):
            continue
        seen.add(url)
        if not wanted(url):
            continue
        response = read(reader, url)
        if response.status_code != 200 or response.streaming:
            continue
        yield url, response
        content = response.content.decode()
        for link in [*LOCATION.findall(content), *LINK.findall(content)]:
            link = link.replace("&amp;", "&")
            if link not in seen:
                queue.append(link)
