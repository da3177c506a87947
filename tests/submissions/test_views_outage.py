"""A submission with its attachments is stored whole or not at all when the database
fails half-way through the request (the PostgreSQL-restart drill in tests/drills does it
for real, but cannot choose the moment)."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from submissions import services, workflow
from submissions.models import Submission, SubmissionFile

from .files import PDF
from .test_views import form_data, upload

pytestmark = pytest.mark.django_db(transaction=True)


def fail(*_args, **_kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize(
    "broken",
    [(services, "files_add"), (workflow, "submission_transition")],
    ids=["while storing the attachments", "while submitting"],
)
def test_a_database_failure_half_way_leaves_nothing_and_answers_503_in_chinese(
    secretary_a, monkeypatch, broken
):
    monkeypatch.setattr(*broken, fail)
    client = Client(raise_request_exception=False)
    client.force_login(secretary_a)
    data = form_data(do="submit")

    def with_files():
        return {**data, "attachments": [upload("通知.pdf", PDF), upload("方案.pdf", PDF)]}

    response = client.post(reverse("submissions:new"), with_files())
    assert response.status_code == 503 and response["Retry-After"]
    page = response.content.decode()
    assert "系统暂时不可用" in page and "没有保存" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert not Submission.objects.exists() and not SubmissionFile.objects.exists()

    monkeypatch.undo()  # the database is back: the same form sent again is stored whole
    client.force_login(secretary_a)
    assert client.post(reverse("submissions:new"), with_files()).status_code == 302
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.files.filter(kind="attachment").count() == 2


def test_any_other_error_is_the_plain_500_page(secretary_a, monkeypatch):
    monkeypatch.setattr(services, "files_add", lambda **_kw: 1 / 0)
    client = Client(raise_request_exception=False)
    client.force_login(secretary_a)
    response = client.post(reverse("submissions:new"), form_data(do="submit"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()
    assert not Submission.objects.exists()
