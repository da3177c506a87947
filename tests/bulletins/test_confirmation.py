"""送审, 审核通过 and 签发 go through a confirmation page rendered by the server: what each
page shows, who may open it, a POST that skips it or carries a token for something else,
the signer's acknowledgement of organisations that would receive nothing, and the setting
that makes them a hard block. The reach figures come from distribution through
``bulletins.hooks``."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_grant
from bulletins import rendering, renditions, services
from bulletins.confirmation import token_for
from bulletins.models import Issue, IssueStatus, RenditionKind
from bulletins.rendering import RenderResult
from distribution.models import Organisation
from distribution.services import contact_add, organisation_add
from tests.bulletins.test_workflow import act, ready_issue
from tests.distribution.helpers import lists_with_contacts
from tests.factories import confirmed_transition_data, make_issue, make_user
from tests.two_factor import force_login_verified, give_authenticator

pytestmark = pytest.mark.django_db

# The end matter of the issues here: 科技部 and the alliances have addresses (the demo
# lists), 教育部 and 某某部 do not.
REPORT_TO = "科技部、教育部、某某部相关司局及部门"
SEND_TO = "各试点产业技术创新战略联盟"


@pytest.fixture(autouse=True)
def fast_pdfs(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(renditions, "_send", lambda version_id, kind: None)

    def render_pdf(document, *, pdf_variant=None):
        return RenderResult(
            pdf=f"%PDF-1.7 {document.watermark or 'final'}".encode(),
            pages=13,
            sha256=("f" if pdf_variant else "a") * 64,
            page_map={},
        )

    monkeypatch.setattr(rendering, "render_pdf", render_pdf)


@pytest.fixture
def lists(db):
    return lists_with_contacts(report=1, send=1)


def url(name, *args):
    return reverse(f"bulletins:{name}", args=args)


def confirm_url(issue, action):
    return url("confirm", issue.pk, action)


def with_end_matter(issue, editor, report_to=REPORT_TO, send_to=SEND_TO):
    services.issue_update(
        issue_id=issue.pk,
        issued_on=issue.issued_on,
        report_to=report_to,
        send_to=send_to,
        actor=editor,
    )
    return Issue.objects.get(pk=issue.pk)


def in_review(editor):
    issue = with_end_matter(ready_issue(editor), editor)
    version = act(issue, "submit", editor).version
    renditions.rendition_render(version_id=version.pk, kind=RenditionKind.PREVIEW)
    return Issue.objects.get(pk=issue.pk)


def awaiting_signature(editor, reviewer):
    issue = in_review(editor)
    act(issue, "approve", reviewer)
    return Issue.objects.get(pk=issue.pk)


def give_address(name, email):
    """An address for the printed organisation ``name`` on the 报 list (added if missing)."""
    report = Organisation.objects.get(name="科技部").distribution_list
    organisation = report.organisations.filter(name=name).first() or organisation_add(
        distribution_list=report, name=name
    )
    contact_add(organisation=organisation, name=f"{name}联络员", email=email)


def log_in(client, user):
    force_login_verified(client, user)  # signers and administrators need the second factor


# --- What each page shows -------------------------------------------------------------------


def test_the_sign_confirmation_shows_the_version_its_pdf_and_who_will_receive_it(
    client, editor, reviewer, signer, lists
):
    issue = awaiting_signature(editor, reviewer)
    log_in(client, signer)
    page = client.get(confirm_url(issue, "sign"))
    assert page.status_code == 200
    text = page.text
    assert "确认签发" in text and "2023年第2期（总第67期）" in text
    assert '<strong data-field="version">v1</strong>' in text
    assert "13 页" in text
    assert "aaaaaaaaaaaa" in text  # the preview PDF's SHA-256, short
    version = issue.versions.get()
    assert url("rendition_pdf", issue.pk, version.pk, "preview") + "?inline=1" in text
    # Per list: organisations and addresses that will receive it (demo: 4 ministries with
    # 5 addresses on 报; 3 groups with 5 addresses on 送), and in red who will not.
    report = re.search(r'<tr data-list="report">.*?</tr>', text, re.S).group(0)
    assert "3 个" in report and "2 个收不到" in report and "4 个" in report and "5 个" in report
    send = re.search(r'<tr data-list="send">.*?</tr>', text, re.S).group(0)
    assert "1 个" in send and "3 个" in send and "5 个" in send
    assert '<span class="unreached">教育部</span>、<span class="unreached">某某部</span>' in text
    assert 'name="acknowledged"' in text and "我已知悉" in text
    assert "立即通过电子邮件发送" in text


def test_the_approve_confirmation_shows_the_version_and_the_reach(client, editor, reviewer, lists):
    issue = in_review(editor)
    client.force_login(reviewer)
    text = client.get(confirm_url(issue, "approve")).text
    assert "确认审核通过" in text and "v1" in text and "aaaaaaaaaaaa" in text
    assert "送签发：李新男" not in text  # no signer exists yet
    assert '<span class="unreached">教育部</span>' in text
    assert 'name="acknowledged"' not in text  # only the signer acknowledges


def test_the_submit_confirmation_names_the_reviewers_and_the_problems(client, editor, reviewer):
    issue = ready_issue(editor)
    client.force_login(editor)
    text = client.get(confirm_url(issue, "submit")).text
    assert "确认送审" in text and "送审核：尚辉良" in text and "3 篇" in text
    empty = make_issue(editor, volume_year=2023, number=3, cumulative_number=68)
    text = client.get(confirm_url(empty, "submit")).text
    assert "本期还没有稿件，不能送审。" in text
    assert re.search(r"<button[^>]*disabled[^>]*>确认送审", text)


def test_the_reviewer_page_shows_the_reach_check(client, editor, reviewer, lists):
    issue = in_review(editor)
    client.force_login(reviewer)
    text = client.get(url("detail", issue.pk)).text
    assert "2 个收不到" in text and '<span class="unreached">某某部</span>' in text
    assert confirm_url(issue, "approve") in text  # the button leads to the confirmation


# --- Who may open them --------------------------------------------------------------------


@pytest.mark.parametrize(
    "action, expected",
    [
        # editor, reviewer, signer, administrator, secretariat, recipient
        ("submit", (200, 403, 403, 403, 404, 404)),
        ("approve", (403, 200, 403, 403, 404, 404)),
        ("sign", (403, 403, 200, 403, 404, 404)),
    ],
)
def test_only_the_holder_of_the_step_opens_its_confirmation(
    client, editor, reviewer, signer, administrator, secretary_a, recipient, lists, action, expected
):
    issue = {
        "submit": lambda: with_end_matter(ready_issue(editor), editor),
        "approve": lambda: in_review(editor),
        "sign": lambda: awaiting_signature(editor, reviewer),
    }[action]()
    users = (editor, reviewer, signer, administrator, secretary_a, recipient)
    for user, status in zip(users, expected, strict=True):
        log_in(client, user)
        response = client.get(confirm_url(issue, action))
        assert response.status_code == status, (user.username, response.status_code)
    client.logout()
    assert client.get(confirm_url(issue, action)).status_code == 302  # to the login page


def test_a_signer_who_edited_the_issue_may_not_open_the_sign_confirmation(
    client, editor, reviewer, lists
):
    both = make_user(Role.SIGNER, username="both")
    role_grant(user=both, role=Role.EDITOR)
    give_authenticator(both)
    issue = with_end_matter(ready_issue(both), both)
    act(issue, "submit", both)
    act(issue, "approve", reviewer)
    log_in(client, both)
    response = client.get(confirm_url(issue, "sign"), follow=True)
    assert response.redirect_chain == [(url("detail", issue.pk), 302)]
    assert "编辑与签发分离" in response.text


def test_a_confirmation_for_a_step_already_taken_goes_back_to_the_issue(
    client, editor, reviewer, lists
):
    issue = awaiting_signature(editor, reviewer)
    client.force_login(reviewer)
    response = client.get(confirm_url(issue, "approve"), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", issue.pk)
    assert "不能审核通过" in response.text
    assert client.get(confirm_url(issue, "withdraw")).status_code == 404


# --- A POST that skips the confirmation changes nothing ------------------------------------


@pytest.mark.parametrize("action", ["submit", "approve", "sign"])
def test_a_post_without_the_confirmation_changes_nothing(
    client, editor, reviewer, signer, lists, action
):
    issue, user = {
        "submit": lambda: (with_end_matter(ready_issue(editor), editor), editor),
        "approve": lambda: (in_review(editor), reviewer),
        "sign": lambda: (awaiting_signature(editor, reviewer), signer),
    }[action]()
    before = issue.status
    data = confirmed_transition_data(issue, action, user, acknowledged="1")
    del data["confirmation"]
    log_in(client, user)
    response = client.post(url("transition", issue.pk), data, follow=True)
    issue.refresh_from_db()
    assert issue.status == before
    assert response.redirect_chain[0][0] == confirm_url(issue, action)
    assert "须先在确认页面核对内容后再确认，本次操作没有生效" in response.text
    assert 'name="confirmation"' in response.text  # and the way on is right there


def test_a_token_for_an_earlier_version_changes_nothing(client, editor, reviewer, lists):
    issue = in_review(editor)
    stale = confirmed_transition_data(issue, "approve", reviewer)  # the reviewer's page, v1
    act(issue, "withdraw", editor)
    item = issue.items.first()
    services.item_update(
        item_id=item.pk, title="改过的标题", toc_title="", body_html="<p>新。</p>", actor=editor
    )
    act(issue, "submit", editor)  # v2
    client.force_login(reviewer)
    response = client.post(url("transition", issue.pk), stale, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_REVIEW and not issue.approvals.exists()
    assert "已不是当前版本" in response.text or "不是当前版本" in response.text
    # The v1 token with the v2 id changes nothing either: the token names the version.
    forged = {**stale, "version": issue.versions.get(number=2).pk}
    response = client.post(url("transition", issue.pk), forged, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_REVIEW
    assert "本次审核通过没有生效" in response.text


def test_a_token_for_another_action_or_user_changes_nothing(
    client, editor, reviewer, signer, lists
):
    issue = awaiting_signature(editor, reviewer)
    other_signer = make_user(Role.SIGNER, username="signer2")
    log_in(client, signer)
    for token in (
        token_for(issue=issue, action="approve", user=signer),  # another action
        token_for(issue=issue, action="sign", user=other_signer),  # another signer's page
        "not-a-token",
    ):
        data = confirmed_transition_data(issue, "sign", signer, acknowledged="1")
        response = client.post(
            url("transition", issue.pk), {**data, "confirmation": token}, follow=True
        )
        issue.refresh_from_db()
        assert issue.status == IssueStatus.AWAITING_SIGNATURE
        assert "本次" in response.text and "没有生效" in response.text


def test_an_expired_confirmation_changes_nothing(client, settings, editor, reviewer, lists):
    issue = in_review(editor)
    data = confirmed_transition_data(issue, "approve", reviewer)
    settings.CITISA_CONFIRMATION_MAX_AGE = -1
    client.force_login(reviewer)
    response = client.post(url("transition", issue.pk), data, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.IN_REVIEW
    assert "已经失效" in response.text


def test_a_submit_token_is_void_once_the_content_changes(client, editor, lists):
    issue = with_end_matter(ready_issue(editor), editor)
    data = confirmed_transition_data(issue, "submit", editor)
    item = issue.items.first()
    services.item_update(
        item_id=item.pk, title="又改了", toc_title="", body_html="<p>新。</p>", actor=editor
    )
    client.force_login(editor)
    response = client.post(url("transition", issue.pk), data, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert "不是当前版本" in response.text


# --- The acknowledgement and the hard block -------------------------------------------------


def test_signing_with_unreached_organisations_needs_the_acknowledgement(
    client, editor, reviewer, signer, lists
):
    issue = awaiting_signature(editor, reviewer)
    log_in(client, signer)
    data = confirmed_transition_data(issue, "sign", signer)
    response = client.post(url("transition", issue.pk), data, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.AWAITING_SIGNATURE
    assert "没有电子邮箱地址，签发后收不到简报：教育部、某某部" in response.text
    assert "请勾选“我已知悉”" in response.text
    response = client.post(url("transition", issue.pk), {**data, "acknowledged": "1"}, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SIGNED
    assert "已签发" in response.text


def test_a_list_change_after_the_confirmation_voids_it(client, editor, reviewer, signer, lists):
    issue = awaiting_signature(editor, reviewer)
    data = confirmed_transition_data(issue, "sign", signer, acknowledged="1")
    give_address("教育部", "moe@example.org")  # the signer saw a different list
    log_in(client, signer)
    response = client.post(url("transition", issue.pk), data, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.AWAITING_SIGNATURE
    assert "收件名单有了变化" in response.text


def test_the_hard_block_setting_refuses_to_sign_until_every_printed_organisation_is_reached(
    client, settings, editor, reviewer, signer, lists
):
    settings.CITISA_SIGN_REQUIRES_FULL_REACH = True
    issue = awaiting_signature(editor, reviewer)
    log_in(client, signer)
    page = client.get(confirm_url(issue, "sign")).text
    assert "才能签发" in page and re.search(r"<button[^>]*disabled[^>]*>确认签发", page)
    data = confirmed_transition_data(issue, "sign", signer, acknowledged="1")
    response = client.post(url("transition", issue.pk), data, follow=True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.AWAITING_SIGNATURE
    assert "须先在分发名单中为它们添加地址，才能签发" in response.text
    give_address("教育部", "moe@example.org")
    give_address("某某部", "mmb@example.org")
    page = client.get(confirm_url(issue, "sign")).text
    assert "版记所列的单位都有电子邮箱地址" in page and 'name="acknowledged"' not in page
    data = confirmed_transition_data(issue, "sign", signer)
    client.post(url("transition", issue.pk), data)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SIGNED


# --- The reach check during assembly -------------------------------------------------------


def test_the_assembly_lists_unreached_organisations_until_they_have_an_address(
    client, editor, lists
):
    issue = with_end_matter(ready_issue(editor), editor, report_to="科技部、教育部相关司局及部门")
    client.force_login(editor)
    text = client.get(url("assemble", issue.pk)).text
    todo = re.search(r"送审前还需处理：.*?</div>", text, re.S).group(0)
    assert "版记「报」所列的 1 个单位没有电子邮箱地址" in todo
    assert '<span class="unreached">教育部</span>' in todo
    assert reverse("distribution:lists") in todo
    assert "可以送审" in todo  # it does not stop 送审
    give_address("教育部", "moe@example.org")
    text = client.get(url("assemble", issue.pk)).text
    assert "送审前还需处理" not in text
    assert "版记所列单位都有电子邮箱地址" in text
