"""Benchmark: the editors' inbox with 10,000 submissions from 130 alliances.

    SECRET_KEY=t .venv/bin/python bench/bench_inbox.py

Sets Django up itself on a throwaway SQLite database under ``var/bench/`` (never the dev
database), fills it in bulk, then requests four inbox pages through Django's test client as
an editor: the first page, a filtered page, a keyword search and a deep page. It prints the
server time per page (p50/p95 over repeated requests) and the number of queries, measured
once with 1,000 rows and again with 10,000 rows to show the count does not grow with rows.

Target: p95 <= 50 ms and <= 10 queries per page. Exits 1 when a target is missed.
``--smoke``: 100 and 300 rows, two requests per page, figures printed, no target enforced.
"""

import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta

from common import ROOT, setup_django, smoke_requested

SMOKE = smoke_requested()
DB_PATH = ROOT / "var" / "bench" / "bench_inbox.sqlite3"
setup_django("bench_inbox")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

ALLIANCES = 130
SMALL, LARGE = (100, 300) if SMOKE else (1_000, 10_000)
REPEAT = 2 if SMOKE else 40
TARGET_P95_MS = 50.0
TARGET_QUERIES = 10

SUBJECTS = [
    "化纤",
    "粉末冶金",
    "数控机床",
    "太阳能光热",
    "第三代半导体",
    "再生资源",
    "花卉",
    "肉类加工",
    "水环境",
    "海洋材料",
    "制鞋",
    "应急救援装备",
    "集成电路封测",
    "钒钛资源",
    "建筑信息模型",
]
EVENTS = [
    "召开年会",
    "举办高峰论坛",
    "发布团体标准",
    "召开理事会",
    "开展技术交流",
    "组织专家研讨会",
    "启动大数据平台二期项目",
    "举办成果对接会",
    "参加国际标准会议",
    "通过绩效评价",
]
SENTENCES = [
    "会议以“数字引擎 智慧未来”为主题，采用线下与线上直播相结合的方式举办。",
    "联盟专家组评审认为，这批团体标准的发布实施进一步支撑了领域标准制定。",
    "来自四十余家成员单位的一百七十余位专家参加了会议。",
    "双方将通过新技术的应用，提高系统运行效率和可靠性。",
    "平台致力于汇集和加工国内外材料领域的海量数据，提供知识服务。",
    "会议审议通过了年度工作报告和下一年度工作计划。",
    "与会代表围绕产业链协同创新、成果转化等议题进行了深入交流。",
    "联盟理事长单位牵头的国家重点研发计划项目通过综合绩效评价。",
]
SECTIONS = ["重要政策动态", "联盟联络组及协发网动态", "试点联盟及协发网网员单位动态"]
STATUS_WEIGHTS = [
    ("submitted", 30),
    ("revision_requested", 8),
    ("accepted", 20),
    ("declined", 12),
    ("published", 25),
    ("draft", 5),
]


def build(total: int, *, rng: random.Random, start: int) -> None:
    """Add submissions up to ``total`` rows (bulk inserts; the app's services are exercised
    by the test suite, here only the read side is measured)."""
    from accounts.models import User
    from alliances.models import Alliance
    from core.text import html_to_text
    from submissions.models import CallForSubmissions, DuplicateWarning, Submission

    alliances = list(Alliance.objects.order_by("pk"))
    authors = {u.username: u for u in User.objects.filter(username__startswith="sec")}
    calls = list(CallForSubmissions.objects.all())
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    now = timezone.now()
    rows = []
    for n in range(start, total):
        alliance = alliances[n % len(alliances)]
        status = rng.choice(statuses)
        title = f"{alliance.short_name}{rng.choice(EVENTS)}（{n}）"
        body = "".join(f"<p>{rng.choice(SENTENCES)}{rng.choice(SENTENCES)}</p>" for _ in range(4))
        submitted = None if status == "draft" else now - timedelta(minutes=n * 97 % 1_000_000)
        rows.append(
            Submission(
                alliance=alliance,
                status=status,
                title=title,
                body_html=body,
                search_text=f"{title}\n{html_to_text(body)}".lower(),
                suggested_section=rng.choice(SECTIONS),
                submitted_by=authors[f"sec{alliance.pk}"],
                submitted_at=submitted,
                call=rng.choice(calls) if rng.random() < 0.3 else None,
                contact_name="联系人",
            )
        )
    Submission.objects.bulk_create(rows, batch_size=1000)
    ids = list(Submission.objects.exclude(status="draft").values_list("pk", flat=True)[start:])
    DuplicateWarning.objects.bulk_create(
        DuplicateWarning(submission_id=a, other_id=b, other_label="相似稿件", score=0.9)
        for a, b in zip(ids[::50], ids[1::50], strict=False)
    )


def setup_base(rng: random.Random):
    from accounts.models import Role, RoleGrant, User
    from accounts.services import user_create
    from alliances.models import Alliance, SecretariatStaff
    from submissions.models import CallForSubmissions

    Alliance.objects.bulk_create(
        Alliance(
            full_name=f"{SUBJECTS[i % len(SUBJECTS)]}{i:03d}产业技术创新战略联盟",
            short_name=f"{SUBJECTS[i % len(SUBJECTS)]}{i:03d}联盟",
            code=f"{1 + i // 99}{i % 99 + 1:02d}",
        )
        for i in range(ALLIANCES)
    )
    users = User.objects.bulk_create(
        User(username=f"sec{a.pk}", password="!", email=f"sec{a.pk}@example.org")  # noqa: S106
        for a in Alliance.objects.all()
    )
    users = {u.username: u for u in User.objects.filter(username__startswith="sec")}
    RoleGrant.objects.bulk_create(RoleGrant(user=u, role=Role.SECRETARIAT) for u in users.values())
    SecretariatStaff.objects.bulk_create(
        SecretariatStaff(alliance=a, user=users[f"sec{a.pk}"]) for a in Alliance.objects.all()
    )
    editor = user_create(username="bench-editor", password=None, roles=[Role.EDITOR])
    for k in range(6):
        CallForSubmissions.objects.create(
            title=f"第{k + 1}期征稿",
            deadline=timezone.localdate() + timedelta(days=30 * k),
            opened_by=editor,
        )
    return editor


def scenarios():
    from alliances.models import Alliance
    from submissions.models import CallForSubmissions

    alliance = Alliance.objects.order_by("pk")[7]
    call = CallForSubmissions.objects.order_by("pk").first()
    return [
        ("first page", {}),
        (
            "filtered page",
            {
                "status": "accepted",
                "section": SECTIONS[2],
                "submitted_from": (timezone.localdate() - timedelta(days=400)).isoformat(),
                "o": "-alliance",
            },
        ),
        ("filtered by alliance+call", {"alliance": alliance.pk, "call": call.pk}),
        ("keyword search", {"q": "理事会 年度工作报告"}),
        ("deep page", {"page": 340}),
    ]


def measure(client, params, *, repeat):
    url = reverse("submissions:inbox")
    for _ in range(1 if SMOKE else 3):  # warm caches (templates, jieba, SQLite pages)
        assert client.get(url, params).status_code == 200
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    match = re.search(r"符合条件的稿件 (\d+) 篇", response.content.decode())
    rows = int(match.group(1))
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    return p50, p95, len(queries), rows


def main() -> int:
    rng = random.Random(20260301)
    # The test client's host; not ``setup_test_environment()``, which instruments template
    # rendering and would slow down what is measured.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    started = time.perf_counter()
    editor = setup_base(rng)
    build(SMALL, rng=rng, start=0)
    client = Client()
    client.force_login(editor)
    small = {
        name: measure(client, params, repeat=1 if SMOKE else 5) for name, params in scenarios()
    }
    build(LARGE, rng=rng, start=SMALL)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    setup_seconds = time.perf_counter() - started
    from submissions.models import Submission

    print(
        f"inbox benchmark: {Submission.objects.count():,} submissions, {ALLIANCES} alliances, "
        f"SQLite at {DB_PATH.relative_to(ROOT)} (setup {setup_seconds:.1f} s), "
        f"{REPEAT} requests per page, load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    print(
        f"{'page':<28}{'rows':>7}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{f'@{SMALL:,} rows':>12}"
    )
    ok = True
    for name, params in scenarios():
        p50, p95, queries, rows = measure(client, params, repeat=REPEAT)
        q_small = small[name][2]
        fine = p95 <= TARGET_P95_MS and queries <= TARGET_QUERIES and queries == q_small
        ok &= fine
        print(
            f"{name:<28}{rows:>7}{p50:>9.1f}{p95:>9.1f}{queries:>9}{q_small:>12}"
            f"  {'ok' if fine else 'MISSED'}"
        )
    print(
        f"target: p95 <= {TARGET_P95_MS:.0f} ms, <= {TARGET_QUERIES} queries, "
        f"same count at {SMALL:,} and {LARGE:,} rows: {'met' if ok else 'MISSED'}"
        + (" (smoke run: not enforced)" if SMOKE else "")
    )
    return 0 if ok or SMOKE else 1


if __name__ == "__main__":
    sys.exit(main())
