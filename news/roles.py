"""What the newsroom's roles may do with news, in bundles the project's roles table joins.

Who may move which article in which state is decided by core.workflow from these.
"""

# Write articles with their photos, and submit them for review.
WRITE = [
    "news.add_article",
    "news.change_article",
    "news.view_article",
    "news.delete_article",
    "news.submit_article",
    # The photos are edited inline on the article's page.
    "news.add_photo",
    "news.change_photo",
    "news.delete_photo",
    "news.view_photo",
    "news.view_category",
]
# Review everyone's articles: return them or approve them.
REVIEW = ["news.review_article", "news.view_all_articles"]
# Publish, schedule and take down; keep the categories.
PUBLISH = [
    "news.publish_article",
    "news.add_category",
    "news.change_category",
    "news.delete_category",
]
