"""Test data built through the services, as the application builds it."""

from datetime import date

import factory

from accounts.models import Role
from accounts.services import user_create
from alliances.services import alliance_create, evaluation_period_create, staff_assign

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.Factory):
    class Meta:
        model = dict

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = PASSWORD
    roles = ()

    @classmethod
    def _create(cls, model_class, **kwargs):
        return user_create(**kwargs)


class AllianceFactory(factory.Factory):
    class Meta:
        model = dict

    full_name = factory.Sequence(lambda n: f"测试{n:03d}产业技术创新战略联盟")
    short_name = factory.Sequence(lambda n: f"测试{n:03d}联盟")
    code = None
    aliases = ()

    @classmethod
    def _create(cls, model_class, **kwargs):
        return alliance_create(**kwargs)


def make_user(role: str, **kwargs):
    return UserFactory(roles=[role], **kwargs)


def make_secretary(alliance, **kwargs):
    user = UserFactory(roles=[Role.SECRETARIAT], **kwargs)
    staff_assign(alliance=alliance, user=user)
    return user


# --- submissions ------------------------------------------------------------------------
SUBMISSION_PATHS = {
    # status -> the moves (after submit) that reach it, and who makes them
    "draft": [],
    "submitted": ["submit"],
    "revision_requested": ["submit", "request_revision"],
    "accepted": ["submit", "accept"],
    "declined": ["submit", "decline"],
    "published": ["submit", "accept", "publish"],
    "withdrawn": ["submit", "withdraw"],
}


def make_periods(editor, n, first_year=2020):
    """``n`` consecutive yearly evaluation periods from ``first_year``."""
    return [
        evaluation_period_create(
            name=f"{year}年度",
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
            actor=editor,
        )
        for year in range(first_year, first_year + n)
    ]


def make_submission(
    alliance,
    author,
    *,
    status="submitted",
    title="化纤联盟协办中国纺织科技成果对接峰会",
    body_html="<p>中国纺织科技成果对接峰会暨第九届“中国十大纺织科技”发布会日前在晋江市举办。</p>",
    editor=None,
    call=None,
    section=None,
):
    """A submission of ``alliance`` by ``author`` (a secretary), moved to ``status`` through
    the services and the workflow, as the application does it."""
    from accounts.models import Role
    from submissions.models import Section
    from submissions.services import DraftInput, draft_save, printed_version_record
    from submissions.workflow import submission_transition

    submission, _ = draft_save(
        actor=author,
        alliance=alliance,
        data=DraftInput(
            title=title,
            body_html=body_html,
            call_id=call.pk if call else None,
            suggested_section=section or Section.ALLIANCES,
        ),
    )
    moves = SUBMISSION_PATHS[status]
    if len(moves) > 1 and editor is None:
        editor = make_user(Role.EDITOR)
    for action in moves:
        actor = author if action in {"submit", "withdraw"} else editor
        comment = "请补充活动时间和参会单位。" if action in {"request_revision", "decline"} else ""
        if action == "publish":  # the workflow publishes only where printing is recorded
            printed_version_record(
                submission_id=submission.pk,
                title=submission.title,
                body_html=submission.body_html,
                issue_label="2026年第1期（总第83期）",
                actor=editor,
            )
        submission_transition(
            submission_id=submission.pk, action=action, actor=actor, comment=comment
        )
    submission.refresh_from_db()
    return submission


# --- bulletins (issues) -------------------------------------------------------------------
def make_issue(editor, *, volume_year=2023, number=2, cumulative_number=67, issued_on=None):
    """A draft issue created by ``editor`` through the service (default sections)."""
    from datetime import date

    from bulletins.services.issues import issue_create

    return issue_create(
        volume_year=volume_year,
        number=number,
        cumulative_number=cumulative_number,
        issued_on=issued_on or date(2023, 5, 20),
        actor=editor,
    )


def make_accepted_submission(alliance, secretary, editor, *, title, body_html="", section=None):
    """A submission of ``alliance`` submitted by ``secretary`` and accepted by ``editor``."""
    return make_submission(
        alliance,
        secretary,
        status="accepted",
        editor=editor,
        title=title,
        body_html=body_html or f"<p>{title}。近日，联盟召开会议，成员单位代表参加。</p>",
        section=section,
    )


def confirmed_transition_data(issue, action: str, user, **extra) -> dict:
    """The POST of ``action`` (送审, 审核通过, 签发) as its confirmation page sends it: the
    token built by the same function the page uses, the version, and ``extra`` fields
    (``acknowledged="1"`` when printed organisations have no address)."""
    from bulletins.confirmation import token_for
    from bulletins.models import Issue
    from bulletins.workflow import current_version

    issue = Issue.objects.get(pk=issue.pk)
    data = {"action": action, "confirmation": token_for(issue=issue, action=action, user=user)}
    version = current_version(issue)
    if action != "submit" and version is not None:
        data["version"] = version.pk
    return {**data, **extra}
