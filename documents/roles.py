"""What the newsroom's roles may do with documents, in bundles the project's roles table joins.

Who may move which document in which state is decided by core.workflow from these, as
for articles.
"""

# Draft documents with their files, and submit them for review.
WRITE = [
    "documents.add_document",
    "documents.change_document",
    "documents.view_document",
    "documents.delete_document",
    "documents.submit_document",
    # The files are edited inline on the document's page.
    "documents.add_documentfile",
    "documents.change_documentfile",
    "documents.delete_documentfile",
    "documents.view_documentfile",
    "documents.view_documenttype",
    "documents.view_issuer",
    "documents.view_workfield",
]
# Review everyone's documents: return them or approve them.
REVIEW = ["documents.review_document", "documents.view_all_documents"]
# Publish and take down; keep the lists of types, issuing bodies and fields.
PUBLISH = [
    "documents.publish_document",
    *(
        f"documents.{verb}_{model}"
        for model in ("documenttype", "issuer", "workfield")
        for verb in ("add", "change", "delete")
    ),
]
