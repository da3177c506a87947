"""An axe-core scan of the main pages of every role: no serious or critical violation.

axe-core 4.11.0 is vendored from the npm registry at tests/vendor/axe-core/axe.min.js; it is
a test-only tool and never served by the site.

How the scan is organised, to keep it fast (one browser context per role, data built once):
a module-scoped fixture builds the data through the services (committed, as a transactional
test does, so the live server sees it), opens one context per role, logs in once through the
login form, visits every page of that role and runs axe on it. The tests, parametrised by
(role, page), then each check one page's result, so a failure names the page, the rule, its
help text and the offending nodes. The fixture flushes the database when the module is done,
as a transactional test would.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import (
    AllianceFactory,
    make_accepted_submission,
    make_secretary,
    make_submission,
    make_user,
)

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
BLOCKING = {"serious", "critical"}

# (role, page name) -> the path to visit, filled in once the data exists. The order is the
# order of the visits inside one role's context. "anonymous" is a context without a login.
PAGES: dict[str, list[str]] = {
    "anonymous": ["login", "404", "429 (login locked)"],
    "secretariat": [
        "home",
        "submission form (rich text)",
        "my submissions",
        "submission detail",
        "revision request answer",
        "withdraw confirmation",
        "draft delete confirmation",
        "calls for submissions",
        "call detail",
        "alliance registry",
        "alliance detail",
        "403",
    ],
    "editor": [
        "home",
        "inbox with filters",
        "submission triage",
        "accept confirmation",
        "submission edit",
        "publish elsewhere (name the issue)",
        "calls for submissions",
        "call detail",
        "issue list",
        "new issue",
        "issue assembly",
        "submit confirmation",
        "issue import upload",
        "distribution lists",
        "dispatch index",
        "dispatch progress",
        "archive list",
        "archive search",
        "archive detail",
    ],
    "reviewer": ["home", "issue review"],
    # The render status is a region of the issue page that HTMX polls: scanned in its page
    # (the signed issue, with its final PDF being rendered).
    # The sign confirmation, with the reach table and the acknowledgement; the signed issue
    # with its delivery block.
    "signer": ["home", "issue sign", "sign confirmation", "render status"],
    "recipient": ["home", "archive list", "download page (signed link)", "410 (revoked link)"],
    "administrator": ["home", "alliance registry", "alliance detail", "distribution lists"],
}
CASES = [(role, name) for role, names in PAGES.items() for name in names]


@dataclass
class Scan:
    url: str = ""
    status: int | None = None
    title: str = ""
    violations: list[dict] = field(default_factory=list)
    error: str = ""

    def blocking(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in BLOCKING]


def _build_data(tmp_media: Path) -> dict:
    """Every object the pages need, written through the services. Returns users and paths."""
    from bulletins import renditions
    from bulletins.models import Issue, IssueStatus
    from distribution.links import link_token
    from distribution.services import delivery_link_revoke
    from submissions.calls import call_open
    from tests.bulletins.test_workflow import bring_to, ready_issue
    from tests.distribution.helpers import lists_with_contacts
    from tests.distribution.test_pipeline import distribute

    alliance = AllianceFactory(
        full_name="化纤产业技术创新战略联盟", short_name="化纤联盟", code="118"
    )
    AllianceFactory(full_name="钒钛资源综合利用产业技术创新战略联盟", short_name="钒钛联盟")
    users = {
        "secretariat": make_secretary(alliance, username="a11y-secretary", full_name="张明"),
        "editor": make_user(Role.EDITOR, username="a11y-editor", full_name="杨丹泽"),
        "reviewer": make_user(Role.REVIEWER, username="a11y-reviewer", full_name="尚辉良"),
        "signer": make_user(Role.SIGNER, username="a11y-signer", full_name="李新男"),
        "recipient": make_user(Role.RECIPIENT, username="a11y-recipient", full_name="王收"),
        "administrator": make_user(Role.ADMINISTRATOR, username="a11y-admin", full_name="管理员"),
    }
    from tests.two_factor import give_authenticator

    give_authenticator(users["signer"])  # required for 签发 and 管理员
    give_authenticator(users["administrator"])
    secretary, editor = users["secretariat"], users["editor"]
    reviewer, signer = users["reviewer"], users["signer"]

    call = call_open(
        title="2024年第1期征稿",
        deadline=timezone.localdate() + timedelta(days=10),
        issue_label="2024年第1期",
        description="请各联盟秘书处于截止日期前投稿。",
        actor=editor,
    )
    submitted = make_submission(alliance, secretary, title="化纤联盟召开2024年度理事会", call=call)
    revision = make_submission(
        alliance,
        secretary,
        status="revision_requested",
        editor=editor,
        title="化纤联盟发布7项团体标准",
    )
    accepted = make_accepted_submission(alliance, secretary, editor, title="化纤联盟举办技术对接会")
    draft_submission = make_submission(
        alliance, secretary, status="draft", title="草稿：化纤联盟年度总结"
    )

    lists_with_contacts(report=2, send=2)
    with mock.patch.object(renditions, "_send", lambda version_id, kind: None):
        # Numbers follow one another: 2023年第3–6期（总第68–71期）.
        signed = ready_issue(editor, volume_year=2023, number=3, cumulative_number=68)
        bring_to(IssueStatus.SIGNED, signed, editor, reviewer, signer)
        in_review = ready_issue(editor, volume_year=2023, number=4, cumulative_number=69)
        bring_to(IssueStatus.IN_REVIEW, in_review, editor, reviewer, signer)
        to_sign = ready_issue(editor, volume_year=2023, number=5, cumulative_number=70)
        bring_to(IssueStatus.AWAITING_SIGNATURE, to_sign, editor, reviewer, signer)
        # The issue being assembled has items (so the ↑/↓ reorder buttons are scanned).
        draft = ready_issue(editor, volume_year=2023, number=6, cumulative_number=71)
    signed = Issue.objects.get(pk=signed.pk)
    dispatch = distribute(signed.signed_version, actor=signer)
    deliveries = list(dispatch.deliveries.order_by("pk"))
    gone = delivery_link_revoke(delivery_id=deliveries[1].pk, actor=editor)

    paths = {
        ("anonymous", "login"): "/accounts/login/",
        ("anonymous", "404"): "/no-such-page/",
        ("anonymous", "429 (login locked)"): "/accounts/login/",
        ("secretariat", "home"): "/",
        ("secretariat", "submission form (rich text)"): "/submissions/new/",
        ("secretariat", "my submissions"): "/submissions/",
        ("secretariat", "submission detail"): f"/submissions/{submitted.pk}/",
        ("secretariat", "revision request answer"): f"/submissions/{revision.pk}/edit/",
        ("secretariat", "withdraw confirmation"): f"/submissions/{submitted.pk}/withdraw/",
        ("secretariat", "draft delete confirmation"): (
            f"/submissions/{draft_submission.pk}/delete/"
        ),
        ("secretariat", "calls for submissions"): "/submissions/calls/",
        ("secretariat", "call detail"): f"/submissions/calls/{call.pk}/",
        ("secretariat", "alliance registry"): "/alliances/",
        ("secretariat", "alliance detail"): f"/alliances/{alliance.pk}/",
        ("secretariat", "403"): "/issues/",
        ("editor", "home"): "/",
        ("editor", "inbox with filters"): "/submissions/inbox/?status=submitted",
        ("editor", "submission triage"): f"/submissions/{submitted.pk}/",
        ("editor", "accept confirmation"): f"/submissions/{submitted.pk}/accept/",
        ("editor", "submission edit"): f"/submissions/{submitted.pk}/revise/",
        ("editor", "publish elsewhere (name the issue)"): f"/submissions/{accepted.pk}/publish/",
        ("editor", "calls for submissions"): "/submissions/calls/",
        ("editor", "call detail"): f"/submissions/calls/{call.pk}/",
        ("editor", "issue list"): "/issues/",
        ("editor", "new issue"): "/issues/new/",
        ("editor", "issue assembly"): f"/issues/{draft.pk}/assemble/",
        ("editor", "submit confirmation"): f"/issues/{draft.pk}/confirm/submit/",
        ("editor", "issue import upload"): "/issues/import/",
        ("editor", "distribution lists"): "/distribution/lists/",
        ("editor", "dispatch index"): "/distribution/",
        ("editor", "dispatch progress"): f"/distribution/{dispatch.pk}/",
        ("editor", "archive list"): "/archive/",
        ("editor", "archive search"): "/archive/?q=正文",
        ("editor", "archive detail"): f"/archive/{signed.pk}/",
        ("reviewer", "home"): "/",
        ("reviewer", "issue review"): f"/issues/{in_review.pk}/",
        ("signer", "home"): "/",
        ("signer", "issue sign"): f"/issues/{to_sign.pk}/",
        ("signer", "sign confirmation"): f"/issues/{to_sign.pk}/confirm/sign/",
        ("signer", "render status"): f"/issues/{signed.pk}/",
        ("recipient", "home"): "/",
        ("recipient", "archive list"): "/archive/",
        ("recipient", "download page (signed link)"): f"/download/{link_token(deliveries[0])}/",
        ("recipient", "410 (revoked link)"): f"/download/{link_token(gone)}/",
        ("administrator", "home"): "/",
        ("administrator", "alliance registry"): "/alliances/",
        ("administrator", "alliance detail"): f"/alliances/{alliance.pk}/",
        ("administrator", "distribution lists"): "/distribution/lists/",
    }
    assert set(paths) == set(CASES), set(CASES) ^ set(paths)
    return {"users": users, "paths": paths, "draft": draft}


def log_in(page, base: str, user) -> None:
    from tests.two_factor import browser_log_in

    browser_log_in(page, base, user)  # with the second step for signers and administrators
    expect(page.get_by_text(f"您好，{user.display_name}")).to_be_visible()


def lock_out(page, base: str) -> int | None:
    """Five wrong passwords for one made-up user name: the sixth attempt gets the 429 page."""
    response = None
    for _ in range(6):
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("用户名").fill("a11y-nobody")
        page.get_by_label("密码").fill("wrong-password")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="登录").click()
        response = navigation.value
    return response.status if response else None


def axe_scan(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "options => axe.run(document, options).then(r => r.violations.map(v => ({"
        "id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
        "nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))})))",
        AXE_OPTIONS,
    )
    return result


@pytest.fixture(scope="module")
def scans(
    django_db_setup, django_db_blocker, live_server, browser, artifacts_dir, tmp_path_factory
):
    shots = artifacts_dir / "a11y"
    shots.mkdir(exist_ok=True)
    media = tmp_path_factory.mktemp("a11y-media")
    results: dict[tuple[str, str], Scan] = {}
    from citisa.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the workflow's e-mails run inline, nothing queued
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        try:
            data = _build_data(media)
            base = live_server.url
            for role, names in PAGES.items():
                # axe is injected as a script element; bypass_csp lets this test-only tool
                # run under the site's Content-Security-Policy (script-src 'self') without
                # loosening the policy the site really sends.
                context = browser.new_context(
                    bypass_csp=True, locale="zh-CN", viewport={"width": 1280, "height": 900}
                )
                page = context.new_page()
                try:
                    if role != "anonymous":
                        log_in(page, base, data["users"][role])
                    for name in names:
                        scan = results[(role, name)] = Scan(url=data["paths"][(role, name)])
                        try:
                            if name.startswith("429"):
                                scan.status = lock_out(page, base)
                            else:
                                response = page.goto(base + scan.url, wait_until="load")
                                scan.status = response.status if response else None
                            if page.locator(".prose-editor").count():
                                # The rich-text editor is a module that starts after load.
                                page.locator(".ProseMirror[contenteditable=true]").wait_for()
                            scan.title = page.title()
                            scan.violations = axe_scan(page)
                            slug = f"{role}-{name}".replace(" ", "_").replace("/", "_")
                            page.screenshot(path=str(shots / f"{slug}.png"), full_page=True)
                        except Exception as exc:  # recorded, reported by that page's test
                            scan.error = f"{type(exc).__name__}: {exc}"
                finally:
                    context.close()
            (shots / "axe-results.json").write_text(
                json.dumps(
                    {f"{r} · {n}": s.__dict__ for (r, n), s in results.items()},
                    ensure_ascii=False,
                    indent=1,
                )
            )
            yield results
        finally:
            app.conf.task_always_eager = eager
            call_command("flush", interactive=False, verbosity=0)


EXPECTED_STATUS = {"404": 404, "403": 403, "429 (login locked)": 429, "410 (revoked link)": 410}


def _report(scan: Scan) -> str:
    lines = []
    for v in scan.blocking():
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize(("role", "name"), CASES, ids=[f"{r}:{n}" for r, n in CASES])
def test_no_serious_or_critical_axe_violation(scans, role, name):
    scan = scans[(role, name)]
    assert not scan.error, f"{scan.url}: {scan.error}"
    assert scan.status == EXPECTED_STATUS.get(name, 200), f"{scan.url} answered {scan.status}"
    assert not scan.blocking(), f"{role} · {name} ({scan.url}):\n{_report(scan)}"
    # Every page says what it is in its title, before the site's name.
    assert re.fullmatch(r".+ · 联盟简报编辑系统", scan.title) or name == "archive detail", (
        scan.title
    )
