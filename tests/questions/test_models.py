from unittest import mock

import pytest
from django.db import IntegrityError, transaction

from questions.models import (
    CODE_ALPHABET,
    Question,
    format_tracking_code,
    new_tracking_code,
    normalise_tracking_code,
)
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def test_tracking_codes_are_eight_unambiguous_characters():
    codes = {new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 8 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("01ILO") & set(CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["hk7m-2qxp", "HK7M 2QXP", " hk7m2qxp ", "HK7M–2QXP"])
def test_typed_codes_are_read_whatever_their_case_and_separators(typed):
    assert normalise_tracking_code(typed) == "HK7M2QXP"
    assert format_tracking_code("HK7M2QXP") == "HK7M-2QXP"


def test_a_code_already_taken_is_drawn_again():
    taken = make_question().tracking_code
    with mock.patch("questions.models.new_tracking_code", side_effect=[taken, "ABCD2345"]):
        question = make_question(text="Câu hỏi thứ hai?")
    assert question.tracking_code == "ABCD2345"
    assert Question.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"email": "", "phone": ""}, "question_has_a_contact"),
        ({"status": "answered", "answer": ""}, "answered_question_has_an_answer"),
        # What CKEditor leaves when the text is deleted shows nothing: no answer either.
        ({"status": "answered", "answer": "<p>&nbsp;</p>"}, "answered_question_has_an_answer"),
        (
            {"status": "answered", "answer": "<p><br></p>\n<p> </p>"},
            "answered_question_has_an_answer",
        ),
        ({"is_published": True}, "published_question_is_answered"),
    ],
)
def test_the_database_refuses_inconsistent_questions(fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make_question(**fields)
