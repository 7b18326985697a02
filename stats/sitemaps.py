"""The readership's page in the sitemap (gathered by core.sitemaps.collect())."""

PAGES = ["stats:most-read"]
