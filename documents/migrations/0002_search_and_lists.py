"""The documents' search index on each database, and the lists leaders start from.

SQLite: a contentless FTS5 table over the two folded columns, kept in step by triggers.
PostgreSQL: GIN indexes over to_tsvector('simple', …) of the same columns. The statements
are copies of documents.search at the time of writing: migrations do not import live code.
"""

from django.db import migrations

_COLUMNS = "search_text, search_files"
_NEW = "new.id, new.search_text, new.search_files"
_OLD = "old.id, old.search_text, old.search_files"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS documents_document_search USING fts5(
        {_COLUMNS}, content='', detail='column', tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER IF NOT EXISTS documents_document_search_insert
    AFTER INSERT ON documents_document BEGIN
        INSERT INTO documents_document_search(rowid, {_COLUMNS}) VALUES ({_NEW});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS documents_document_search_delete
    AFTER DELETE ON documents_document BEGIN
        INSERT INTO documents_document_search(documents_document_search, rowid, {_COLUMNS})
        VALUES ('delete', {_OLD});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS documents_document_search_update
    AFTER UPDATE OF search_text, search_files ON documents_document BEGIN
        INSERT INTO documents_document_search(documents_document_search, rowid, {_COLUMNS})
        VALUES ('delete', {_OLD});
        INSERT INTO documents_document_search(rowid, {_COLUMNS}) VALUES ({_NEW});
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS documents_document_search_insert",
    "DROP TRIGGER IF EXISTS documents_document_search_delete",
    "DROP TRIGGER IF EXISTS documents_document_search_update",
    "DROP TABLE IF EXISTS documents_document_search",
]
POSTGRESQL_CREATE = [
    """CREATE INDEX documents_document_search_all ON documents_document USING gin
        ((to_tsvector('simple', search_text || ' ' || search_files)))""",
    """CREATE INDEX documents_document_search_text ON documents_document USING gin
        ((to_tsvector('simple', search_text)))""",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS documents_document_search_all",
    "DROP INDEX IF EXISTS documents_document_search_text",
]

# The usual types of the union's documents, its issuing bodies and fields of work.
TYPES = [
    ("Kế hoạch", "ke-hoach"),
    ("Hướng dẫn", "huong-dan"),
    ("Thông báo", "thong-bao"),
    ("Quyết định", "quyet-dinh"),
    ("Nghị quyết", "nghi-quyet"),
    ("Chỉ thị", "chi-thi"),
    ("Báo cáo", "bao-cao"),
    ("Công văn", "cong-van"),
    ("Tài liệu sinh hoạt chi đoàn", "tai-lieu-sinh-hoat-chi-doan"),
]
ISSUERS = [
    ("Ban Chấp hành Trung ương Đoàn", "ban-chap-hanh-trung-uong-doan"),
    ("Ban Bí thư Trung ương Đoàn", "ban-bi-thu-trung-uong-doan"),
    ("Ban Chấp hành Tỉnh đoàn", "ban-chap-hanh-tinh-doan"),
    ("Ban Thường vụ Tỉnh đoàn", "ban-thuong-vu-tinh-doan"),
    ("Văn phòng Tỉnh đoàn", "van-phong-tinh-doan"),
]
FIELDS = [
    ("Công tác tổ chức, xây dựng Đoàn", "cong-tac-to-chuc-xay-dung-doan"),
    ("Tuyên truyền, giáo dục", "tuyen-truyen-giao-duc"),
    ("Phong trào thanh niên", "phong-trao-thanh-nien"),
    ("Công tác Đội và phong trào thiếu nhi", "cong-tac-doi-va-phong-trao-thieu-nhi"),
    ("Kiểm tra, giám sát", "kiem-tra-giam-sat"),
]


def run_for(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def fill_lists(apps, schema_editor):
    for model_name, entries in (("DocumentType", TYPES), ("Issuer", ISSUERS), ("WorkField", FIELDS)):
        model = apps.get_model("documents", model_name)
        for order, (name, slug) in enumerate(entries):
            model.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            run_for({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            run_for({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
        migrations.RunPython(fill_lists, migrations.RunPython.noop),
    ]
