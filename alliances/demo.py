"""Demo 活跃度评价 for ``make run``: three yearly evaluation periods with ratings for a few
alliances of the seed bulletins, so the ratings pages and the A级 badge show something.
Made-up values, marked as such in each rating's note. Idempotent."""

from datetime import date

from accounts.models import User
from core.demo import demo_loader

from .models import EvaluationPeriod
from .selectors import alliance_resolve
from .services import activity_ratings_record, evaluation_period_create

DEMO_NOTE = "演示数据，非真实评价结果"
PERIODS = [("2023年度", 2023), ("2024年度", 2024), ("2025年度", 2025)]
# short name -> levels for the three periods ("" = not rated in that period)
DEMO_RATINGS = {
    "化纤联盟": ["high", "high", "high"],  # A级 by the recorded ratings
    "粉末冶金联盟": ["high", "high", "fairly_high"],  # not: the latest is 较高
    "花卉联盟": ["high", "", "high"],  # not: 2024年度 missing breaks the chain
    "数控机床联盟": ["fairly_high", "high", "high"],
    "再生资源联盟": ["average", "fairly_high", "high"],
    "制鞋联盟": ["inactive", "average", "average"],
}


@demo_loader
def demo_ratings():

    editor = User.objects.get(username="editor")
    periods = []
    for name, year in PERIODS:
        period = EvaluationPeriod.objects.filter(name=name).first()
        if period is None:
            if EvaluationPeriod.objects.filter(
                starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1)
            ).exists():
                return  # someone recorded real periods over these years: leave them alone
            period = evaluation_period_create(
                name=name,
                starts_on=date(year, 1, 1),
                ends_on=date(year, 12, 31),
                notes="演示评价期",
                actor=editor,
            )
        periods.append(period)
    for index, period in enumerate(periods):
        if period.ratings.exists():
            continue
        decisions = {}
        for short_name, levels in DEMO_RATINGS.items():
            alliance = alliance_resolve(short_name)
            if alliance is not None and levels[index]:
                decisions[alliance.pk] = (levels[index], DEMO_NOTE)
        activity_ratings_record(period_id=period.pk, decisions=decisions, actor=editor)
