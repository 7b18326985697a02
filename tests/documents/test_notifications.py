"""A document's moves are mailed to the same people as an article's, in Vietnamese."""

import pytest
from django.core import mail
from django.urls import reverse

from documents.models import Document
from tests.factories import document_form_data, logged_in, make_user

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/documents/document/add/"
TITLE = "15-KH/TĐTN · Kế hoạch tổ chức các hoạt động Tháng Thanh niên năm 2025"


def press(client, document, action, **fields):
    """Press a workflow button on the document's change form, saving it as it stands."""
    document.refresh_from_db()
    data = document_form_data(edit_version=document.version, workflow_action=action, **fields)
    url = reverse("admin:documents_document_change", args=[document.pk])
    return client.post(url, data)


def test_submitting_returning_and_publishing_a_document_tell_the_newsroom(
    client, django_capture_on_commit_callbacks
):
    author = make_user("contributor", username="ngoctu")
    editor = make_user("editor", username="bientap")
    leader = make_user("publisher", username="lanhdao")

    with django_capture_on_commit_callbacks(execute=True):
        logged_in(client, author).post(ADD_URL, document_form_data(workflow_action="submit"))
    document = Document.objects.get()
    # Whoever may review documents is told; the author is not told of their own step.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "bientap@tinhdoan.example",
        "lanhdao@tinhdoan.example",
    ]
    assert mail.outbox[0].subject == f"Văn bản chờ duyệt: {TITLE}"
    assert "Ngoctu đã gửi văn bản" in mail.outbox[0].body
    assert f"/admin/documents/document/{document.pk}/change/" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = press(
            logged_in(client, editor), document, "return", workflow_comment="Thiếu ngày hiệu lực."
        )
    assert response.status_code == 302
    [returned] = mail.outbox
    assert returned.to == ["ngoctu@tinhdoan.example"]
    assert returned.subject == f"Văn bản bị trả lại: {TITLE}"
    assert "Thiếu ngày hiệu lực." in returned.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert press(logged_in(client, leader), document, "publish").status_code == 302
    [published] = mail.outbox
    assert published.to == ["ngoctu@tinhdoan.example"]
    assert published.subject == f"Văn bản đã đăng: {TITLE}"
    assert document.get_absolute_url() in published.body
