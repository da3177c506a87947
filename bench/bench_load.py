"""Load: a deadline rush of secretariats and a download rush of recipients against gunicorn
and PostgreSQL on loopback.

    SECRET_KEY=bench-only .venv/bin/python bench/bench_load.py [--users 200] [--smoke]

Starts its own throwaway PostgreSQL cluster and gunicorn (gthread) on free loopback ports,
with production-like settings (``citisa.settings``, DEBUG off, WhiteNoise static, a
filesystem Celery broker and file e-mail in a temporary folder). Builds the data through
the services: the alliance registry, one secretariat account per simulated secretariat,
an open call for submissions, and a signed issue whose final PDF (rendered once, for real)
has been distributed to one contact per simulated recipient.

Then, with one thread per simulated user:

1. arrival: each secretariat opens the login page (and its static files), logs in through
   the form with its CSRF token and opens the submission form, ramped over ``--ramp`` s;
2. deadline rush: every secretariat submits a news item with a photo and a PDF attachment
   within ``--window`` s (one in ten double-clicks: the same form twice at once), opens
   the page it is sent to and the photo shown on it; in the same window every
   recipient opens its signed download link and downloads the PDF.

Prints p50/p95/p99/max latency, throughput and errors per step, then checks the database:
exactly one submitted Submission per secretariat with both files on disk and their hashes
right (0 lost, 0 duplicated), every download recorded once with its receipt, and the bytes
each recipient got equal to the rendition's. Exits non-zero on a missed target.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import logging
import os
import random
import re
import resource
import signal
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from servers import ROOT, Gunicorn, ThrowawayPostgres, cpu_seconds, remove
from webclient import Browser, Recorder, StepFailed, input_value, static_paths

sys.path.insert(0, str(ROOT))
from bulletins.document import SECTION_ALLIANCES

PASSWORD = "deadline-rush-2026"  # noqa: S105 - a throwaway database's accounts
SECRETARIAT_SHARE = 0.75  # of the simulated users; the rest are recipients
DOUBLE_CLICK_EVERY = 10  # one secretariat in ten sends its form twice

# Latency targets (ms, p95) on the 2-core machine, with the load generator on it too.
TARGETS_P95_MS = {
    "submission (POST)": 2000,
    "submission form (GET)": 1000,
    "submission page (GET)": 1000,
    "submission photo (GET)": 1000,
    "download page (GET)": 1000,
    "download PDF (GET)": 1000,
    # PBKDF2 (1,000,000 iterations) is ~0.2 s of CPU per login by design.
    "login (POST)": 3000,
}
STEPS = [
    "login page (GET)",
    "static files (GET)",
    "login (POST)",
    "submission form (GET)",
    "submission (POST)",
    "double click (POST)",
    "submission page (GET)",
    "submission photo (GET)",
    "download page (GET)",
    "download PDF (GET)",
]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="simulated users (200)")
    parser.add_argument(
        "--smoke",
        "--quick",
        dest="smoke",
        action="store_true",
        help="a small run (10 users), latency targets not enforced",
    )
    parser.add_argument(
        "--ramp", type=float, help="seconds over which the secretariats log in (60; smoke 2)"
    )
    parser.add_argument("--window", type=float, help="seconds of the deadline rush (10; smoke 1)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    args = parser.parse_args()
    if args.smoke:
        args.users = min(args.users, 10)
    if args.users < 2:
        parser.error("--users must be at least 2 (a secretariat and a recipient)")
    if args.ramp is None:
        args.ramp = 2.0 if args.smoke else 60.0
    if args.window is None:
        args.window = 1.0 if args.smoke else 10.0
    args.secretariats = min(args.users - 1, max(1, round(args.users * SECRETARIAT_SHARE)))
    args.recipients = max(1, args.users - args.secretariats)
    return args


# --- Environment and data --------------------------------------------------------------------


def environment(folder: Path, database_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_DEBUG", "EMAIL_HOST", "CELERY_BROKER_URL", "CACHE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="citisa.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-only",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CITISA_VAR_DIR=str(folder / "var"),
        CELERY_BROKER_FOLDER=str(folder / "var" / "broker"),
        EMAIL_FILE_PATH=str(folder / "var" / "mail"),
        LOG_LEVEL="WARNING",
        SITE_URL="http://127.0.0.1",
    )
    return env


def sample_jpeg() -> bytes:
    """A 1600×1200 photo-like JPEG (noise over gradients, so it does not compress away)."""
    from PIL import Image

    rng = random.Random(8)
    image = Image.radial_gradient("L").resize((1600, 1200)).convert("RGB")
    noise = Image.frombytes("RGB", (400, 300), rng.randbytes(400 * 300 * 3)).resize((1600, 1200))
    image = Image.blend(image, noise, 0.35)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def sample_pdf(n: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": f"附件 {n}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SENTENCES = [
    "会议总结了联盟本年度在关键共性技术攻关、标准制定和成果转化方面的工作",
    "来自高校、科研院所和骨干企业的{n}位代表参加会议",
    "会议审议通过了联盟新一届理事会成员名单和年度工作计划",
    "与会专家围绕产业链协同创新、知识产权共享机制和人才联合培养进行了深入交流",
    "联盟发布了第{n}批团体标准，涵盖检测方法、产品规范和绿色制造评价",
    "地方科技主管部门负责人到会致辞，肯定了联盟在区域产业升级中的作用",
    "会上签署了{n}项产学研合作协议，合同金额合计约{n}亿元",
    "联盟秘书处介绍了公共技术服务平台的建设进展和开放共享情况",
    "会议期间还举办了新技术新产品展示和企业技术需求对接活动",
    "下一步，联盟将继续围绕国家重大需求组织成员单位开展联合攻关",
]


def news_body(username: str, index: int) -> str:
    """A news item of ~500 characters, different for every secretariat (some alike)."""
    rng = random.Random(index)
    picked = rng.sample(SENTENCES, 7)
    text = "。".join(s.format(n=rng.randint(3, 90)) for s in picked)
    return (
        f"<p>近日，{username}所在联盟在北京召开2026年度技术创新成果对接会。{text}。</p>"
        f"<p>（联盟秘书处供稿，联系人：秘书处联络员{index:03d}）</p>"
    )


def build_data(args):
    """Everything the users need, through the services. Returns the plan of the run."""
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.services import user_create
    from alliances.models import Alliance
    from alliances.services import staff_assign
    from bulletins import renditions
    from bulletins.models import Issue, RenditionKind
    from bulletins.services.layout import item_create
    from bulletins.workflow import current_version, issue_transition
    from distribution.demo import load_distribution_lists
    from distribution.links import link_token
    from distribution.models import Contact, Dispatch, Organisation
    from distribution.services import contact_add
    from submissions.calls import call_open
    from tests.factories import make_issue

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_alliances", verbosity=0)
    alliances = list(Alliance.objects.order_by("pk"))
    secretaries = []
    for n in range(args.secretariats):
        user = user_create(
            username=f"sec{n:03d}",
            password=None,
            full_name=f"秘书处联络员{n:03d}",
            email=f"sec{n:03d}@example.org",
        )
        staff_assign(alliance=alliances[n % len(alliances)], user=user)
        secretaries.append(user.username)
    # One hash for all (0.2 s each): every login still checks it at full cost.
    User.objects.filter(username__in=secretaries).update(password=make_password(PASSWORD))

    def staff(role, name):
        return user_create(username=name, password=None, full_name=name, roles=[role])

    editor = staff(Role.EDITOR, "bench-editor")
    reviewer = staff(Role.REVIEWER, "bench-reviewer")
    signer = staff(Role.SIGNER, "bench-signer")
    call = call_open(
        title="2026年第2期征稿",
        deadline=timezone.localdate() + timedelta(days=1),
        issue_label="2026年第2期",
        actor=editor,
    )

    load_distribution_lists()
    organisations = list(Organisation.objects.order_by("pk"))
    n = 0
    while Contact.objects.filter(is_active=True).count() < args.recipients:
        contact_add(
            organisation=organisations[n % len(organisations)],
            name=f"接收人{n:03d}",
            email=f"recipient{n:03d}@example.org",
        )
        n += 1
    extra = Contact.objects.filter(is_active=True).order_by("-pk")[args.recipients :]
    Contact.objects.filter(pk__in=[c.pk for c in extra]).update(is_active=False)

    issue = make_issue(editor)
    for section in issue.sections.all():
        item_create(
            issue_id=issue.pk,
            section_id=section.pk,
            title=f"{section.title}：联盟召开年度工作会议",
            body_html="<p>会议总结了本年度工作，部署了下一阶段的重点任务。</p>",
            actor=editor,
        )
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    issue = Issue.objects.get(pk=issue.pk)
    version_id = current_version(issue).pk
    issue_transition(issue_id=issue.pk, action="approve", actor=reviewer, version_id=version_id)
    issue_transition(issue_id=issue.pk, action="sign", actor=signer, version_id=version_id)
    started = time.perf_counter()
    final = renditions.rendition_render(version_id=version_id, kind=RenditionKind.FINAL)
    render_seconds = time.perf_counter() - started
    dispatch = Dispatch.objects.get(version_id=version_id)  # started by the final render
    links = [
        (d.pk, reverse("distribution:download", kwargs={"token": link_token(d)}))
        for d in dispatch.deliveries.order_by("pk")
    ]
    assert len(links) == args.recipients, (len(links), args.recipients)
    assert final.sha256 == dispatch.pdf_sha256
    return {
        "secretaries": secretaries,
        "call_id": call.pk,
        "links": links,
        "pdf_sha256": final.sha256,
        "pdf_size": dispatch.pdf_size,
        "dispatch_id": dispatch.pk,
        "render_seconds": render_seconds,
    }


# --- The simulated users --------------------------------------------------------------------


class Run:
    def __init__(self, args, plan, server: Gunicorn, *, probe=dict):
        self.args, self.plan, self.server = args, plan, server
        self.probe = probe  # CPU seconds so far, by process group
        self.cpu_at_deadline: dict = {}
        self.recorder = Recorder()
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.arrived = threading.Barrier(args.secretariats, action=self._deadline)
        self.deadline_start = 0.0
        self.deadline_open = threading.Event()
        self.submitted: dict[str, dict] = {}
        self.downloads: dict[int, dict] = {}
        self.photo = sample_jpeg()
        rng = random.Random(2026)
        self.arrivals = sorted(rng.uniform(0, args.ramp) for _ in range(args.secretariats))
        self.slots = [rng.uniform(0, args.window) for _ in range(args.users)]

    def _deadline(self):
        self.cpu_at_deadline = self.probe()
        self.deadline_start = time.perf_counter() + 0.5
        self.deadline_open.set()

    def browser(self) -> Browser:
        return Browser("127.0.0.1", self.server.port, self.recorder)

    def fail(self, who: str, error: Exception) -> None:
        with self.lock:
            self.failures.append(f"{who}: {error}")

    def wait_slot(self, index: int) -> None:
        self.deadline_open.wait()
        delay = self.deadline_start + self.slots[index] - time.perf_counter()
        if delay > 0:
            time.sleep(delay)

    def secretariat(self, index: int, username: str, t0: float) -> None:
        b = self.browser()
        form_page = None
        try:
            time.sleep(max(0.0, t0 + self.arrivals[index] - time.perf_counter()))
            page = b.get("login page (GET)", "/accounts/login/")
            for path in static_paths(page.text):
                b.get("static files (GET)", path)
            answer = b.post_form(
                "login (POST)",
                "/accounts/login/",
                {
                    "csrfmiddlewaretoken": input_value(page.text, "csrfmiddlewaretoken"),
                    "username": username,
                    "password": PASSWORD,
                },
                expect=(302,),
            )
            if answer.location.startswith("/accounts/login"):
                raise StepFailed("login refused")
            form_page = b.get(
                "submission form (GET)", f"/submissions/new/?call={self.plan['call_id']}"
            )
        except StepFailed as error:
            self.fail(username, error)
        finally:
            with contextlib.suppress(threading.BrokenBarrierError):
                self.arrived.wait()
        if form_page is None:
            return
        self.wait_slot(index)
        title = f"联盟{username}召开2026年度技术创新成果对接会"
        attachment = sample_pdf(index)
        try:
            html = form_page.text
            fields = {
                "csrfmiddlewaretoken": input_value(html, "csrfmiddlewaretoken"),
                "form_token": input_value(html, "form_token"),
                "alliance": input_value(html, "alliance"),
                "title": title,
                "body_html": news_body(username, index),
                "contact_name": f"秘书处联络员{index:03d}",
                "contact_phone": f"010-6218{index:04d}",
                "suggested_section": SECTION_ALLIANCES,
                "call": str(self.plan["call_id"]),
                "do": "submit",
            }
            with self.lock:
                self.submitted[username] = {
                    "title": title,
                    "attachment_sha256": hashlib.sha256(attachment).hexdigest(),
                }
            files = [
                ("images", "现场照片.jpg", "image/jpeg", self.photo),
                ("attachments", "会议议程.pdf", "application/pdf", attachment),
            ]
            if index % DOUBLE_CLICK_EVERY == 5:  # the smoke run has one too
                # A double click at the deadline: the same form (same token) sent again
                # while the first is on its way. Both must end on the submission's page.
                twin = threading.Thread(target=self.second_click, args=(b, fields, files))
                twin.start()
            answer = b.post_multipart(
                "submission (POST)", "/submissions/new/", fields, files, expect=(302,)
            )
            page = b.get("submission page (GET)", answer.location)
            if title not in page.text:
                raise StepFailed("the submission page does not show the title")
            # The browser then fetches the photo shown in the body (a permission-checked view).
            photos = re.findall(r'<img[^>]+src="(/submissions/\d+/media/[^"]+)"', page.text)
            if not photos:
                raise StepFailed("the submission page does not show the photo")
            photo = b.get("submission photo (GET)", photos[0])
            if not photo.body.startswith(b"\xff\xd8\xff"):
                raise StepFailed("the photo is not a JPEG")
        except StepFailed as error:
            self.fail(username, error)

    def second_click(self, first: Browser, fields, files) -> None:
        b = self.browser()
        b.cookies = dict(first.cookies)
        try:
            time.sleep(random.uniform(0, 0.3))
            answer = b.post_multipart(
                "double click (POST)", "/submissions/new/", fields, files, expect=(302,)
            )
            if not answer.location.startswith("/submissions/"):
                raise StepFailed(f"a double click went to {answer.location}")
        except StepFailed as error:
            self.fail("double click", error)

    def recipient(self, index: int, delivery_id: int, path: str) -> None:
        b = self.browser()
        self.wait_slot(self.args.secretariats + index)
        try:
            b.get("download page (GET)", path)
            pdf = b.get("download PDF (GET)", path + "pdf")
            got = {
                "size": len(pdf.body),
                "header": pdf.body[:5],
                "sha256": hashlib.sha256(pdf.body).hexdigest(),
            }
            with self.lock:
                self.downloads[delivery_id] = got
            if got["header"] != b"%PDF-" or got["size"] != self.plan["pdf_size"]:
                raise StepFailed(f"not the PDF: {got['size']} bytes, {got['header']!r}")
            if got["sha256"] != self.plan["pdf_sha256"]:
                raise StepFailed("the PDF's SHA-256 differs from the rendition's")
        except StepFailed as error:
            self.fail(f"recipient {delivery_id}", error)

    def go(self) -> None:
        t0 = time.perf_counter() + 0.2
        threads = [
            threading.Thread(target=self.secretariat, args=(i, name, t0), daemon=True)
            for i, name in enumerate(self.plan["secretaries"])
        ] + [
            threading.Thread(target=self.recipient, args=(i, delivery_id, path), daemon=True)
            for i, (delivery_id, path) in enumerate(self.plan["links"])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        self.t0 = t0


# --- Figures and checks --------------------------------------------------------------------


def nearest_rank(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def report(run: Run) -> list[str]:
    by_step = defaultdict(list)
    for sample in run.recorder.samples:
        by_step[sample.step].append(sample)
    misses = []
    print(
        f"{'step':24} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'req/s':>7}  target p95"
    )
    for step in STEPS:
        samples = by_step.get(step, [])
        if not samples:
            continue
        ms = sorted(s.seconds * 1000 for s in samples)
        errors = sum(not s.ok for s in samples)
        span = max(s.start + s.seconds for s in samples) - min(s.start for s in samples)
        rate = len(samples) / span if span > 0 else float("nan")
        target = TARGETS_P95_MS.get(step)
        p95 = nearest_rank(ms, 0.95)
        verdict = ""
        if target is not None:
            verdict = f"≤ {target} ms {'PASS' if p95 <= target else 'MISS'}"
            if p95 > target:
                misses.append(f"{step} p95 {p95:.0f} ms > {target} ms")
        print(
            f"{step:24} {len(samples):5d} {errors:4d} {nearest_rank(ms, 0.5):8.0f} {p95:8.0f} "
            f"{nearest_rank(ms, 0.99):8.0f} {ms[-1]:8.0f} {rate:7.1f}  {verdict}"
        )
    samples = run.recorder.samples
    wall = max(s.start + s.seconds for s in samples) - min(s.start for s in samples)
    rush = [s for s in samples if s.start >= run.deadline_start]
    rush_wall = max(s.start + s.seconds for s in rush) - run.deadline_start if rush else 0
    print(
        f"all requests: {len(samples)} in {wall:.1f} s ({len(samples) / wall:.1f} req/s); "
        f"deadline rush: {len(rush)} in {rush_wall:.1f} s ({len(rush) / max(rush_wall, 1e-9):.1f}"
        " req/s)"
    )
    return misses


def server_cost(run: Run, cpu_start: dict, cpu_end: dict) -> None:
    """Server CPU (gunicorn + PostgreSQL) per request in each phase, and what that makes
    of the machine's cores: a capacity that does not depend on who else loads the machine."""
    if not run.cpu_at_deadline:
        return
    rush = sum(s.start >= run.deadline_start for s in run.recorder.samples)
    arrival = len(run.recorder.samples) - rush
    for label, before, after, n in (
        ("arrival (log in, open the form)", cpu_start, run.cpu_at_deadline, arrival),
        ("deadline rush (submit, download)", run.cpu_at_deadline, cpu_end, rush),
    ):
        seconds = sum(after[k] - before[k] for k in ("gunicorn", "PostgreSQL"))
        if n and seconds > 0:
            print(
                f"server CPU, {label}: {seconds:.1f} s for {n} requests = "
                f"{seconds / n * 1000:.0f} ms each → at most {os.cpu_count() * n / seconds:.0f} "
                f"req/s of this mix on {os.cpu_count()} idle cores"
            )


def verify(run: Run) -> list[str]:
    """The database after the run: nothing lost, nothing twice, every download recorded."""
    from django.core.files.storage import default_storage

    from distribution.models import Delivery, DeliveryEvent
    from submissions.models import Submission, SubmissionEvent, SubmissionVersion

    problems = []
    lost = duplicated = bad_files = 0
    for username, sent in run.submitted.items():
        rows = list(
            Submission.objects.filter(submitted_by__username=username).prefetch_related("files")
        )
        if not rows:
            lost += 1
            continue
        if len(rows) > 1:
            duplicated += len(rows) - 1
        row = rows[0]
        if row.status != Submission.Status.SUBMITTED or row.title != sent["title"]:
            lost += 1
            continue
        if SubmissionVersion.objects.filter(submission=row, kind="submitted").count() != 1:
            duplicated += 1
        if SubmissionEvent.objects.filter(submission=row, action="submit").count() != 1:
            duplicated += 1
        files = {f.kind: f for f in row.files.all() if f.removed_at is None}
        if set(files) != {"image", "attachment"} or len(row.files.all()) != 2:
            bad_files += 1
            continue
        for f in files.values():
            if not default_storage.exists(f.file.name):
                bad_files += 1
                continue
            with default_storage.open(f.file.name, "rb") as handle:
                data = handle.read()
            if hashlib.sha256(data).hexdigest() != f.sha256 or len(data) != f.size:
                bad_files += 1
        if files["attachment"].sha256 != sent["attachment_sha256"]:
            bad_files += 1
        if f'src="{files["image"].file.name}"' not in row.body_html:
            bad_files += 1
    attempted = len(run.submitted)
    stray = Submission.objects.exclude(
        submitted_by__username__in=list(run.submitted)
    ).count()  # drafts of secretariats whose POST never got that far would show here
    print(
        f"submissions: {attempted} attempted, {attempted - lost} stored and submitted, "
        f"{lost} lost, {duplicated} duplicated, {bad_files} with missing or wrong files, "
        f"{stray} stray"
    )
    if lost or duplicated or bad_files or stray:
        problems.append("submissions lost, duplicated or with bad files")
    if attempted != run.args.secretariats:
        problems.append(f"only {attempted} of {run.args.secretariats} secretariats got to submit")

    deliveries = Delivery.objects.filter(dispatch_id=run.plan["dispatch_id"])
    recorded = deliveries.filter(download_count=1, first_downloaded_at__isnull=False).count()
    receipts = DeliveryEvent.objects.filter(delivery__in=deliveries, action="receipt").count()
    right = sum(1 for d in run.downloads.values() if d["sha256"] == run.plan["pdf_sha256"])
    print(
        f"downloads: {len(run.plan['links'])} links, {right} PDFs byte-identical to the "
        f"rendition ({run.plan['pdf_size']} bytes), {recorded} recorded once, "
        f"{receipts} receipts"
    )
    if not (right == recorded == receipts == len(run.plan["links"])):
        problems.append("downloads missing, wrong or not recorded")
    return problems


def cpu_now(server: Gunicorn, postgres: ThrowawayPostgres) -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "gunicorn": cpu_seconds(server.process.pid if server.process else None),
        "PostgreSQL": cpu_seconds(postgres.pid),
        "load generator": usage.ru_utime + usage.ru_stime,
    }


def main() -> int:
    args = arguments()
    # Stopped from outside (a test's timeout, kill): still stop the servers in ``finally``.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = Path(tempfile.mkdtemp(prefix="citisa-load-"))
    postgres = ThrowawayPostgres(folder)
    server = None
    keep = False
    try:
        postgres.start()
        env = environment(folder, postgres.url)
        os.environ.update(env)
        import django

        django.setup()
        # The fan-out and preview messages queued by the set-up stay in the temporary
        # broker folder (no worker here); kombu warns that filesystem:// has no host.
        logging.getLogger("kombu.connection").setLevel(logging.ERROR)
        started = time.perf_counter()
        plan = build_data(args)
        print(
            f"data: {len(plan['secretaries'])} secretariats, {len(plan['links'])} recipients, "
            f"final PDF {plan['pdf_size']} bytes rendered in {plan['render_seconds']:.1f} s; "
            f"set-up {time.perf_counter() - started:.1f} s"
        )
        from django.db import connections

        connections.close_all()
        postgres.durable()
        server = Gunicorn(folder, env=env, workers=args.workers, threads=args.threads).start()
        load_before = os.getloadavg()
        run = Run(args, plan, server, probe=lambda: cpu_now(server, postgres))
        cpu_start = cpu_now(server, postgres)
        wall = time.perf_counter()
        run.go()
        wall = time.perf_counter() - wall
        cpu_end = cpu_now(server, postgres)
        load_after = os.getloadavg()
        print(
            f"gunicorn gthread {args.workers} workers × {args.threads} threads; PostgreSQL on "
            f"127.0.0.1; {args.users} users ({args.secretariats} secretariats arriving over "
            f"{args.ramp:.0f} s, submitting within {args.window:.0f} s; {args.recipients} "
            f"recipients downloading in the same window); {os.cpu_count()} cores"
        )
        print(
            "load average before/after: "
            + " ".join(f"{x:.2f}" for x in load_before)
            + " / "
            + " ".join(f"{x:.2f}" for x in load_after)
        )
        cpu = {k: v - cpu_start[k] for k, v in cpu_end.items()}
        print(
            f"CPU seconds during the {wall:.0f} s run: "
            + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
            + f" (the machine has {os.cpu_count() * wall:.0f} in that time)"
        )
        misses = report(run)
        server_cost(run, cpu_start, cpu_end)
        server_errors = server.server_errors()
        errors = sum(not s.ok for s in run.recorder.samples)
        print(f"errors: {errors} failed requests, {server_errors} 5xx in the gunicorn log")
        for line in run.failures[:10]:
            print("  " + line)
        problems = verify(run)
        if errors or server_errors or run.failures:
            problems.append("requests failed")
        if args.smoke:
            # Ten users on cold workers measure start-up, not load: figures for information.
            print("smoke run: latency figures for information only (targets: the full run)")
        else:
            problems += misses
        print("target: 0 errors, 0 lost, 0 duplicated; p95 as above: ", end="")
        print("PASS" if not problems else "MISS — " + "; ".join(problems))
        keep = bool(os.environ.get("BENCH_KEEP"))
        return 1 if problems else 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second TERM must not skip the stops
        if server is not None:
            server.stop()
        postgres.stop()
        if keep:
            print(f"kept {folder}")
        else:
            remove(folder)


if __name__ == "__main__":
    sys.exit(main())
