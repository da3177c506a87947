"""Rules the database keeps by itself, the canonical snapshot, the preview render hook,
the admin and the demo issue."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from bulletins import services
from bulletins.document import SECTION_POLICY
from bulletins.models import Approval, Issue, Item, ItemKind
from bulletins.selectors.documents import issue_document, working_document
from bulletins.snapshot import content_sha256, document_from_data, document_to_data
from bulletins.workflow import current_version, issue_transition
from tests.factories import make_accepted_submission, make_issue, make_user
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db


def raw_issue(editor, **fields):
    values = {
        "volume_year": 2023,
        "number": 9,
        "cumulative_number": 90,
        "issued_on": date(2023, 12, 1),
        "created_by": editor,
    }
    values.update(fields)
    return Issue.objects.create(**values)


@pytest.mark.parametrize(
    "fields",
    [
        {"number": 2},  # (volume year, number) already used
        {"number": 3, "cumulative_number": 67},  # cumulative number already used
        {"number": 3, "cumulative_number": 91, "status": "published"},  # no such status
        {"number": 0, "cumulative_number": 91},  # 第0期
        {"number": 3, "cumulative_number": 91, "volume_year": 1900},
    ],
)
def test_the_database_refuses_what_the_services_refuse(editor, fields):
    make_issue(editor)  # 2023年第2期（总第67期）
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_issue(editor, **fields)


def test_a_submission_is_placed_in_one_item_only_even_bypassing_the_services(
    editor, alliance_a, secretary_a
):
    issue = make_issue(editor)
    submission = make_accepted_submission(alliance_a, secretary_a, editor, title="甲联盟动态")
    item = services.item_place_submission(
        issue_id=issue.pk, submission_id=submission.pk, actor=editor
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(
            issue=issue,
            section=item.section,
            kind=ItemKind.SUBMISSION,
            submission=submission,
            title="重复",
            body_html="<p>x</p>",
            created_by=editor,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(  # an editorial item cannot claim a submission
            issue=issue,
            section=item.section,
            kind=ItemKind.EDITORIAL,
            submission=submission,
            title="x",
            body_html="<p>x</p>",
            created_by=editor,
        )


def test_one_valid_approval_per_stage(editor, reviewer):
    issue = make_issue(editor)
    for section in issue.sections.all():
        services.item_create(
            issue_id=issue.pk, section_id=section.pk, title="稿", body_html="<p>x</p>", actor=editor
        )
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    version = current_version(Issue.objects.get(pk=issue.pk))
    Approval.objects.create(issue=issue, version=version, stage="review", actor=reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(issue=issue, version=version, stage="review", actor=reviewer)


def test_snapshot_round_trips_and_its_hash_ignores_the_approvers_names(editor):
    issue = make_issue(editor)
    services.item_create(
        issue_id=issue.pk,
        section_id=issue.sections.get(title=SECTION_POLICY).pk,
        title="标题",
        body_html="<p>正文</p><table><tr><td>1</td></tr></table>",
        actor=editor,
    )
    doc = working_document(issue)
    assert document_from_data(document_to_data(doc)) == doc
    sha, data = content_sha256(doc)
    doc.end_matter.signer = "李新男"
    doc.watermark = "送审稿"
    assert content_sha256(doc)[0] == sha
    doc.items[0].title = "改了"
    assert content_sha256(doc)[0] != sha
    assert data["format"] == 1


def test_admin_lists_issues_read_only(client, editor, administrator):
    issue = make_issue(editor)
    force_login_verified(client, administrator)
    page = client.get(reverse("admin:bulletins_issue_changelist"))
    assert page.status_code == 200 and "2023年第2期（总第67期）" in page.text
    detail = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk]))
    assert detail.status_code == 200
    assert client.post(reverse("admin:bulletins_issue_delete", args=[issue.pk])).status_code == 403
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_demo_loader_creates_one_draft_with_the_next_numbers(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    # The seed bulletins are imported first (the archive), then the draft follows them.
    assert sorted(
        Issue.objects.filter(source="imported", status="signed").values_list(
            "cumulative_number", flat=True
        )
    ) == [62, 65, 66]
    issue = Issue.objects.get(source="system")
    # After 2023年第1期（总第66期）: number 1 of the volume of the draft's own date
    # (tests/bulletins/test_demo_coherence.py has the whole story).
    year = issue.issued_on.year
    assert issue.issue_line == f"{year}年第1期（总第67期）"
    assert issue.status == "draft"
    doc = issue_document(issue)
    assert doc.items and doc.items[0].attribution.startswith("（联盟协发网秘书处")


def test_demo_issue_follows_existing_issues(settings):
    from django.core.management import call_command

    editor = make_user(Role.EDITOR, username="editor")
    make_issue(editor, volume_year=2026, number=1, cumulative_number=84)
    Issue.objects.update(status="signed")
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    assert Issue.objects.filter(cumulative_number=85).exists()
