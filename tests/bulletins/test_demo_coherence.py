"""The demo tells one story (the draft was dated today but numbered 2024年第1期
after the 2023 archive, and its call for submissions closed after it): the draft's numbers
follow the archive in the volume of its date's year, and the call closes before it."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from bulletins.demo import demo_next_numbers
from bulletins.models import Issue
from submissions.models import CallForSubmissions
from tests.factories import make_issue, make_user

pytestmark = pytest.mark.django_db


def test_the_loaded_demo_is_coherent(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent: still one draft, one call
    today = timezone.localdate()
    (draft,) = Issue.objects.exclude(status="signed")
    archive = list(Issue.objects.filter(status="signed").order_by("cumulative_number"))
    last = archive[-1]
    # Numbers: the next cumulative number; the next number of the same volume when the
    # draft is dated in the archive's last year, else number 1 of the draft's own year.
    assert draft.cumulative_number == last.cumulative_number + 1
    if draft.issued_on.year == last.volume_year:
        assert (draft.volume_year, draft.number) == (last.volume_year, last.number + 1)
    else:
        assert (draft.volume_year, draft.number) == (draft.issued_on.year, 1)
    # A skipped volume year is an override, and says why (the rule asks for a reason).
    skipped = draft.volume_year > last.volume_year + 1
    assert bool(skipped) == bool(draft.numbering_note)
    # Dates: after every archived issue, not in the past.
    assert all(issue.issued_on < draft.issued_on for issue in archive)
    assert draft.issued_on > today
    # The call is for this draft, still open, and closes before the draft's date.
    (call,) = CallForSubmissions.objects.all()
    assert call.issue_label == f"{draft.volume_year}年第{draft.number}期"
    assert call.closed_at is None
    assert today <= call.deadline < draft.issued_on


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Dated in the archive's last year: the next number of that volume.
        (date(2023, 5, 1), (2023, 2, 67, date(2023, 5, 22))),
        # Dated in the year after: number 1 of the next volume.
        (date(2023, 12, 20), (2024, 1, 67, date(2024, 1, 10))),
        # Dated years later (the demo today): number 1 of the draft's own year.
        (date(2026, 12, 7), (2026, 1, 67, date(2026, 12, 28))),
        (date(2026, 12, 20), (2027, 1, 67, date(2027, 1, 10))),
    ],
)
def test_the_demo_draft_is_numbered_in_the_volume_of_its_date(today, expected):
    editor = make_user(Role.EDITOR, username="editor")
    make_issue(
        editor, volume_year=2023, number=1, cumulative_number=66, issued_on=date(2023, 3, 20)
    )
    Issue.objects.update(status="signed")
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        numbers = demo_next_numbers()
    got = (
        numbers["volume_year"],
        numbers["number"],
        numbers["cumulative_number"],
        numbers["issued_on"],
    )
    assert got == expected
    assert numbers["issued_on"] - timedelta(days=21) == today
