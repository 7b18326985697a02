from django.db import OperationalError

from core.views import server_error


def test_healthz_answers_ok_without_touching_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_ok_when_the_database_answers(db, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_503_when_the_database_does_not(db, client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr("core.views.connection", Unreachable())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_an_error_from_the_database_outside_a_view_is_a_503_not_a_500(db, rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert "Cổng thông tin tạm thời gián đoạn" in response.content.decode()


def test_other_errors_get_the_500_page(db, rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
