"""A signed version of a real issue (bulletins) distributed through the seam."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from bulletins import services as issue_services
from bulletins.models import Issue, IssueStatus
from bulletins.selectors.documents import version_document
from bulletins.workflow import current_version
from distribution.models import ArchiveEntry, DispatchKind
from distribution.pipeline import signed_version_distribute
from tests.bulletins.test_workflow import act, bring_to, ready_issue

from .helpers import lists_with_contacts, publication


def final_pdf(issue, version) -> str:
    """A stand-in for the render job's final PDF of the version."""
    return publication(issue_id=issue.pk, version_id=version.pk).pdf_name


@pytest.fixture
def signed_issue(db, editor, reviewer, signer):
    lists_with_contacts(report=2, send=1)
    issue = ready_issue(editor)
    bring_to(IssueStatus.SIGNED, issue, editor, reviewer, signer)
    return Issue.objects.get(pk=issue.pk)


def distribute(version, **kwargs):
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        return signed_version_distribute(
            version_id=version.pk,
            pdf_name=final_pdf(version.issue, version),
            document=version_document(version),
            **kwargs,
        )


@pytest.mark.django_db
def test_a_signed_version_goes_to_the_lists_and_into_the_archive(signed_issue, signer):
    version = signed_issue.signed_version
    dispatch = distribute(version, actor=signer)
    assert dispatch.kind == DispatchKind.ISSUE
    assert (dispatch.issue_id, dispatch.version_id) == (signed_issue.pk, version.pk)
    assert dispatch.issue_line == "2023年第2期（总第67期）"
    assert dispatch.deliveries.count() == 11
    assert [s["title"] for s in dispatch.toc] == [s.title for s in signed_issue.sections.all()]
    entry = ArchiveEntry.objects.get(issue_id=signed_issue.pk)
    assert entry.document["end_matter"]["signer"] == signer.display_name
    assert entry.document["watermark"] == ""  # the signed text, not a preview
    assert distribute(version) == dispatch  # once per version


@pytest.mark.django_db
def test_an_unsigned_version_never_goes_out(db, editor, reviewer):
    lists_with_contacts(report=1, send=0)
    issue = ready_issue(editor)
    bring_to(IssueStatus.AWAITING_SIGNATURE, issue, editor, reviewer, None)
    version = current_version(Issue.objects.get(pk=issue.pk))
    with pytest.raises(ValidationError, match="尚未签发，不能分发"):
        distribute(version)


@pytest.mark.django_db
def test_a_signed_correction_goes_as_a_notice_to_the_same_recipients(
    signed_issue, editor, reviewer, signer
):
    original = distribute(signed_issue.signed_version)
    act(signed_issue, "correct", editor, "第二篇联盟名称有误。")
    item = signed_issue.items.order_by("pk")[1]
    issue_services.item_update(
        item_id=item.pk, title="更正后的标题", body_html="<p>正文。</p>", actor=editor
    )
    for action, actor in (("submit", editor), ("approve", reviewer), ("sign", signer)):
        act(signed_issue, action, actor)
    signed_issue.refresh_from_db()
    correction = distribute(signed_issue.signed_version)
    assert correction.kind == DispatchKind.CORRECTION and correction.corrects == original
    assert correction.correction_note == "第二篇联盟名称有误。"
    assert set(correction.deliveries.values_list("email", flat=True)) == set(
        original.deliveries.values_list("email", flat=True)
    )
    assert ArchiveEntry.objects.get(issue_id=signed_issue.pk).edition == 2
