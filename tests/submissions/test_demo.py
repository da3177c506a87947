import pytest
from django.core.management import call_command

from submissions.models import CallForSubmissions, Submission

pytestmark = pytest.mark.django_db


def test_demo_submissions_are_loaded_once(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    submissions = Submission.objects.select_related("alliance", "submitted_by")
    assert submissions.count() == 4
    assert {s.alliance.short_name for s in submissions} == {"化纤联盟", "粉末冶金联盟"}
    assert {s.submitted_by.username for s in submissions} == {"huaxian", "fenmo"}
    assert all(s.status == Submission.Status.SUBMITTED for s in submissions)
    assert all(s.versions.count() == 1 for s in submissions)
    call = CallForSubmissions.objects.get()
    assert call.closed_at is None and call.submissions.count() == 2


def test_the_demo_call_is_for_the_demo_draft_issue(settings):
    """The call for submissions names the issue being assembled: the one after the archive."""
    from bulletins.models import Issue

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    (draft,) = Issue.objects.exclude(status="signed")
    newest_signed = Issue.objects.filter(status="signed").order_by("-cumulative_number")[0]
    assert draft.cumulative_number == newest_signed.cumulative_number + 1
    call = CallForSubmissions.objects.get()
    assert call.issue_label == f"{draft.volume_year}年第{draft.number}期"
    assert call.title == f"{call.issue_label}简报征稿"
