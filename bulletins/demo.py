"""Demo content for ``make run``: the seed bulletins imported into the archive, then one
call for submissions and one draft issue with the next numbers, if none exists: dated three
weeks ahead, numbered in the volume of that date's year, its call closing a week before it."""

from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from accounts.models import User
from core.demo import demo_loader
from submissions.calls import call_open
from submissions.models import CallForSubmissions, Submission

from .document import SECTION_POLICY
from .importer import decode_bulletin, parse_bulletin
from .importer.save import import_save
from .models import Issue
from .services.issues import issue_create, numbering_problem
from .services.layout import item_create, item_place_submission

# The seed bulletins, kept with the importer (so that a clone alone has an archive).
BUNDLED_SEEDS = Path(__file__).resolve().parent / "importer" / "seeds"
# (file name prefix, the masthead the file does not print)
SEED_OPTIONS = {
    "000_": {"year": 2022, "number": 6, "cumulative": 65, "issued_on": date(2023, 1, 16)},
    "001_": {},
    "002_": {},
}


DEMO_CALL_TITLE = "{label}简报征稿"


# The demo draft is dated this many days ahead; its call for submissions closes a week
# before that date, so that the call, the draft and its date tell one story.
DEMO_ISSUE_LEAD_DAYS = 21
DEMO_CALL_CLOSES_DAYS_BEFORE = 7
# The demo archive stops at 2023年第1期（总第66期）; a draft dated years later starts the
# volume of its own year, an override the office would also make after a pause.
DEMO_NUMBERING_NOTE = "演示数据：档案只导入了几期旧简报，本期按出刊年份编号。"


def demo_next_numbers() -> dict:
    """The issue the demo call for submissions and the demo draft are for: the draft
    being assembled, or else the issue after the newest, dated ``DEMO_ISSUE_LEAD_DAYS``
    ahead and numbered in the volume of that date's year (the next number when the newest
    issue is of that year, else number 1). Keys: volume_year, number, cumulative_number,
    issued_on."""
    assembling = Issue.objects.exclude(status="signed").order_by("-cumulative_number").first()
    if assembling is not None:
        return {
            "volume_year": assembling.volume_year,
            "number": assembling.number,
            "cumulative_number": assembling.cumulative_number,
            "issued_on": assembling.issued_on,
        }
    issued_on = timezone.localdate() + timedelta(days=DEMO_ISSUE_LEAD_DAYS)
    last = Issue.objects.order_by("-cumulative_number").first()
    # An empty system: as if after 2023年第1期（总第66期）, the newest seed bulletin.
    last_year, last_number, last_cumulative = (
        (last.volume_year, last.number, last.cumulative_number) if last else (2023, 1, 66)
    )
    same_volume = issued_on.year <= last_year
    return {
        "volume_year": last_year if same_volume else issued_on.year,
        "number": last_number + 1 if same_volume else 1,
        "cumulative_number": last_cumulative + 1,
        "issued_on": issued_on,
    }


def demo_call_deadline(issued_on: date) -> date:
    """The demo call closes a week before its issue's date (never before today)."""
    return max(timezone.localdate(), issued_on - timedelta(days=DEMO_CALL_CLOSES_DAYS_BEFORE))


@demo_loader(order=10)  # first: the demo call and draft are the issue after the archive
def demo_archive(folder: Path | None = None):
    """Import the three seed bulletins as signed old issues (idempotent: an issue already
    imported with the same content is left as it is). Their 本期导读 differs from the body
    in a title or two (listed as problems), which is how they were printed: forced."""
    editor = User.objects.get(username="editor")
    folder = folder or BUNDLED_SEEDS
    for prefix, options in SEED_OPTIONS.items():
        path = next(iter(sorted(folder.glob(f"{prefix}*.txt"))), None)
        if path is None:
            continue
        result = parse_bulletin(decode_bulletin(path.read_bytes()), **options)
        import_save(result, actor=editor, source_name=path.name, force=True)


@demo_loader(order=20)  # after the archive, before the demo submissions that answer it
def demo_call():
    """The call for submissions for the issue after the archive (once)."""
    numbers = demo_next_numbers()
    label = f"{numbers['volume_year']}年第{numbers['number']}期"
    editor = User.objects.filter(username="editor").first()
    if editor is None or CallForSubmissions.objects.filter(issue_label=label).exists():
        return
    call_open(
        title=DEMO_CALL_TITLE.format(label=label),
        issue_label=label,
        deadline=demo_call_deadline(numbers["issued_on"]),
        remind_days_before=3,
        description="请各联盟秘书处报送近期工作动态，每篇800字以内，可附1至2张图片。",
        actor=editor,
    )


@demo_loader
def demo_issue():
    if Issue.objects.exclude(status="signed").exists():
        return
    editor = User.objects.get(username="editor")
    numbers = demo_next_numbers()
    numbered = {k: numbers[k] for k in ("volume_year", "number", "cumulative_number")}
    override = bool(numbering_problem(**numbered))
    issue = issue_create(
        **numbered,
        issued_on=numbers["issued_on"],
        override_numbering=override,
        numbering_note=DEMO_NUMBERING_NOTE if override else "",
        actor=editor,
    )
    policy = issue.sections.get(title=SECTION_POLICY)
    item_create(
        issue_id=issue.pk,
        section_id=policy.pk,
        title="科技部印发《关于进一步加强产业技术创新战略联盟建设的意见》",
        toc_title="科技部印发加强联盟建设的意见",
        body_html=(
            "<p>近日，科技部印发《关于进一步加强产业技术创新战略联盟建设的意见》，"
            "提出以企业为主体、市场为导向、产学研深度融合，推动联盟在关键核心技术攻关、"
            "标准制定和成果转化中发挥更大作用。</p>"
            "<p>《意见》要求各试点联盟健全运行机制，加强联盟之间的协同，"
            "定期报送工作进展。</p>"
        ),
        attribution="（联盟协发网秘书处和联盟试点工作联络组摘述。信息来源：科技部网站）",
        actor=editor,
    )
    _place_demo_submissions(issue, editor)


def _place_demo_submissions(issue, editor):
    """Place the accepted submissions the submissions demo made, if any."""
    for submission in Submission.objects.filter(
        status=Submission.Status.ACCEPTED, bulletin_items__isnull=True
    )[:5]:
        item_place_submission(issue_id=issue.pk, submission_id=submission.pk, actor=editor)
