"""Every payload of the corpus through every HTML entry path, checked where it is stored,
on every page that shows it (with an HTML5 parser, not by counting substrings) and in the
HTML handed to WeasyPrint.

Entry paths: the secretariat's form (rich text and plain fields), a .docx (text and
hyperlinks), the editor's revision of a submission, the issue's item and free-block
editors, the Django admin, the importer (parser and web upload/preview), and the search
boxes (reflected). A second set writes the payloads straight into the database, past the
services, to prove the pages sanitise again before rendering.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from bulletins import services as issue_services
from bulletins.document import SECTION_ALLIANCES, IssueDocument, ItemDoc, Masthead, SectionDoc
from bulletins.importer import BulletinParseError, decode_bulletin, parse_bulletin
from bulletins.models import FreeBlock, Issue, Item
from bulletins.rendering.fetcher import ProjectFileFetcher, RefusedURL
from bulletins.rendering.markup import print_html, web_html
from bulletins.selectors.documents import issue_document
from core.sanitise import clean_body, sanitise_html
from core.text import visible_text
from submissions.models import Submission
from tests.factories import make_issue, make_submission
from tests.seeds import MD_SEED
from tests.submissions.files import make_docx
from tests.two_factor import force_login_verified

from .htmlcheck import fragment_problems, page_problems, pdf_input_problems
from .xss_corpus import PAYLOADS, STORED_PAYLOADS

pytestmark = pytest.mark.django_db

IDS = [name for name, _ in PAYLOADS]
ALL = "".join(payload for _, payload in STORED_PAYLOADS)  # written past the services
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stored_ok(html: str, where: str) -> None:
    problems = fragment_problems(html)
    assert not problems, f"{where} stores executable HTML: {problems} in {html[:300]!r}"


def page_ok(response, where: str) -> str:
    assert response.status_code in {200, 400}, f"{where}: HTTP {response.status_code}"
    content = response.content.decode()
    problems = page_problems(content)
    assert not problems, f"{where}: {problems}"
    return content


def text_of(payload: str) -> str:
    """What a title keeps of a payload: no invisible or direction-changing characters
    (NUL included: ``visible_text``), whitespace squashed by the service."""
    return " ".join(visible_text(payload).split())


# --- the allow-list itself ------------------------------------------------------------


@pytest.mark.parametrize(("name", "payload"), PAYLOADS, ids=IDS)
def test_the_allow_list_leaves_nothing_executable(name, payload):
    for cleaned in (sanitise_html(payload), clean_body(payload), clean_body(payload * 2)):
        stored_ok(cleaned, "nh3 policy")
        assert not pdf_input_problems(cleaned), pdf_input_problems(cleaned)
        assert sanitise_html(cleaned) == cleaned  # stable: a second pass changes nothing


def test_one_policy_for_submissions_bulletins_and_the_importer():
    from bulletins.importer import html as importer_html
    from bulletins.rendering import markup
    from submissions import bodies

    assert importer_html.sanitise_html is sanitise_html
    assert markup.sanitise_html is sanitise_html
    assert bodies.clean_body is clean_body


# --- entry path: the secretariat's form -----------------------------------------------


@pytest.mark.parametrize(("name", "payload"), PAYLOADS, ids=IDS)
def test_secretariat_form(name, payload, client, alliance_a, secretary_a, editor):
    client.force_login(secretary_a)
    token = str(uuid.uuid4())
    data = {
        "form_token": token,
        "title": f"标题{payload}",
        "body_html": f"<p>正文</p>{payload}",
        "suggested_section": "试点联盟及协发网网员单位动态",
        "contact_name": payload[:50],
        "contact_phone": payload[:40],
        "call": "",
        "do": "save",
    }
    answer = page_ok(client.post(reverse("submissions:new"), data, follow=True), "form answer")
    submission = Submission.objects.get(client_token=token)
    stored_ok(submission.body_html, "submission body")
    # The title loses what cannot be seen (NUL included) and is kept as text, escaped on
    # output.
    assert submission.title == text_of(f"标题{payload}")
    if "\x00" in payload:  # the contact fields refuse NUL, saying so: no submit with it
        assert "不可见的空字符" in answer
        return
    page_ok(client.get(reverse("submissions:edit", args=[submission.pk])), "edit page")
    page_ok(client.get(reverse("submissions:detail", args=[submission.pk])), "detail (own)")
    page_ok(client.get(reverse("submissions:mine")), "my submissions")
    client.post(reverse("submissions:edit", args=[submission.pk]), {**data, "do": "submit"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    client.force_login(editor)
    page_ok(client.get(reverse("submissions:detail", args=[submission.pk])), "detail (editor)")
    page_ok(client.get(reverse("submissions:inbox")), "inbox")
    page_ok(client.get(reverse("submissions:inbox"), {"q": payload}), "inbox search")
    page_ok(client.get(reverse("submissions:revise", args=[submission.pk])), "revise page")


# --- entry path: a .docx --------------------------------------------------------------


@pytest.mark.parametrize(("name", "payload"), PAYLOADS, ids=IDS)
def test_docx_text_and_hyperlinks(name, payload, client, alliance_a, secretary_a):
    client.force_login(secretary_a)
    # The payload as the document's title and text, and as the target of a hyperlink (the
    # scheme payloads are what a hyperlink can carry; the others land in href all the same).
    target = payload.split('"')[1] if payload.count('"') >= 2 else payload
    target = target.replace('"', "%22")  # make_docx does not escape quotes in Target=""
    docx = make_docx([payload, f"段落{payload}"], title=payload, links={"链接": target})
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = str(uuid.uuid4())
    response = client.post(
        reverse("submissions:new"),
        {
            "form_token": token,
            "title": "",
            "body_html": "",
            "suggested_section": "试点联盟及协发网网员单位动态",
            "call": "",
            "do": "save",
            "docx": SimpleUploadedFile("稿件.docx", docx),
        },
        follow=True,
    )
    content = page_ok(response, "docx import answer")
    submission = Submission.objects.get(client_token=token)
    stored_ok(submission.body_html, "body from docx")
    if NOT_XML.search(payload):  # such a file is not well-formed XML: Word never writes it
        assert "Word 文档无法读取" in content and not submission.body_html
    else:
        assert "链接" in submission.body_html
    page_ok(client.get(reverse("submissions:detail", args=[submission.pk])), "detail")
    page_ok(client.get(reverse("submissions:edit", args=[submission.pk])), "edit page")


# --- entry path: the editor's revision --------------------------------------------------


@pytest.mark.parametrize(("name", "payload"), PAYLOADS, ids=IDS)
def test_editor_revision(name, payload, client, alliance_a, secretary_a, editor):
    submission = make_submission(alliance_a, secretary_a, status="submitted")
    client.force_login(editor)
    response = client.post(
        reverse("submissions:revise", args=[submission.pk]),
        {"title": f"改{payload}", "body_html": f"<p>改后正文</p>{payload}", "note": payload[:200]},
    )
    if "\x00" in payload:  # refused by Django's form fields, with the field's message
        assert "不可见的空字符" in page_ok(response, "revision refused")
        return
    assert response.status_code == 302, response.content.decode()[:500]
    submission.refresh_from_db()
    stored_ok(submission.body_html, "revised body")
    for version in submission.versions.all():
        stored_ok(version.body_html, "version")
    page_ok(client.get(reverse("submissions:detail", args=[submission.pk])), "detail")
    page_ok(client.get(reverse("submissions:diff", args=[submission.pk])), "diff")
    diff = client.get(reverse("submissions:diff", args=[submission.pk]), HTTP_HX_REQUEST="true")
    page_ok(diff, "diff fragment (HTMX)")
    client.force_login(secretary_a)
    page_ok(client.get(reverse("submissions:detail", args=[submission.pk])), "detail (author)")


# --- entry path: the issue's item and free-block editors --------------------------------


def _check_issue_outputs(client, issue, where):
    page_ok(client.get(reverse("bulletins:assemble", args=[issue.pk])), f"{where}: assembly")
    page_ok(client.get(reverse("bulletins:detail", args=[issue.pk])), f"{where}: issue page")
    document = issue_document(issue)
    web = web_html(document, image_url=lambda path: f"/x/{path}")
    assert not page_problems(web), f"{where}: web edition {page_problems(web)}"
    printed = print_html(document)
    assert not pdf_input_problems(printed), f"{where}: PDF input {pdf_input_problems(printed)}"


@pytest.mark.parametrize(("name", "payload"), PAYLOADS, ids=IDS)
def test_item_and_block_editors(name, payload, client, editor):
    issue = make_issue(editor)
    section = issue.sections.first()
    client.force_login(editor)
    response = client.post(
        reverse("bulletins:item_new", args=[issue.pk]),
        {
            "section": section.pk,
            "title": f"稿{payload}",
            "toc_title": payload[:120],
            "body_html": f"<p>正文</p>{payload}",
            "attribution": payload[:200],
        },
    )
    if "\x00" in payload:  # refused by Django's form fields, with the field's message
        assert "不可见的空字符" in page_ok(response, "item refused")
        return
    assert response.status_code == 302, response.content.decode()[:300]
    item = Item.objects.get(issue=issue)
    stored_ok(item.body_html, "item body")
    page_ok(client.get(reverse("bulletins:item_edit", args=[issue.pk, item.pk])), "item form")
    response = client.post(
        reverse("bulletins:block_new", args=[issue.pk]),
        {"kind": "note", "title": f"块{payload}"[:120], "body_html": f"<p>内容</p>{payload}"},
    )
    assert response.status_code == 302, response.content.decode()[:300]
    stored_ok(FreeBlock.objects.get(issue=issue).body_html, "free block")
    _check_issue_outputs(client, issue, "editor input")


# --- past the services: pages sanitise again before rendering ---------------------------


def test_pages_sanitise_stored_html_again(client, alliance_a, secretary_a, editor):
    """Rows written past the services (old data, a bug, a shell) still render safely: every
    page that prints stored HTML runs it through the allow-list again."""
    submission = make_submission(alliance_a, secretary_a, status="accepted", editor=editor)
    issue = make_issue(editor)
    item = issue_services.item_place_submission(
        issue_id=issue.pk, submission_id=submission.pk, actor=editor
    )
    issue_services.block_add(
        issue_id=issue.pk, kind="note", title="说明", body_html="<p>x</p>", actor=editor
    )
    before = issue_services.version_snapshot(issue=issue, actor=editor)
    Submission.objects.filter(pk=submission.pk).update(body_html=ALL)
    Item.objects.filter(pk=item.pk).update(body_html=ALL, title=ALL[:300])
    FreeBlock.objects.filter(issue=issue).update(body_html=ALL)
    after = issue_services.version_snapshot(issue=issue, actor=editor)
    client.force_login(editor)
    for name, query in (
        ("diff", {"from": before.pk, "to": "current"}),
        ("diff", {"from": before.pk, "to": after.pk}),
        ("history", {}),
    ):
        page_ok(client.get(reverse(f"bulletins:{name}", args=[issue.pk]), query), name)
    page_ok(client.get(reverse("bulletins:web", args=[issue.pk, after.pk])), "version web")
    page_ok(client.get(reverse("submissions:detail", args=[submission.pk])), "submission")
    page_ok(client.get(reverse("bulletins:item_edit", args=[issue.pk, item.pk])), "item form")
    _check_issue_outputs(client, issue, "raw rows")


# --- entry path: the importer ---------------------------------------------------------


def _seed_with(payload: str) -> str:
    seed = Path(MD_SEED).read_text(encoding="utf-8")
    marker = "## ➤ 重要政策动态\n"
    injected = (
        f"{marker}\n### 载荷{payload}\n\n{payload}\n\n段落**{payload}**内\n\n"
        "（联盟协发网秘书处和联盟试点工作联络组摘述）\n\n"
    )
    return seed.replace(marker, injected, 1)


@pytest.mark.parametrize(("name", "payload"), PAYLOADS, ids=IDS)
def test_importer_parser(name, payload):
    data = _seed_with(payload).encode()
    if "\x00" in payload:
        with pytest.raises(BulletinParseError, match="不是文本文件"):
            decode_bulletin(data)
        return
    result = parse_bulletin(decode_bulletin(data))
    if not NOT_XML.search(payload) and "\t" not in payload:
        assert any("载荷" in item.title for item in result.items)
    for item in result.items:
        stored_ok(item.body_html, "imported body")
    for block in result.document.free_blocks if result.document else []:
        stored_ok(block.body_html, "imported block")


@pytest.mark.parametrize(
    ("name", "payload"),
    [p for p in PAYLOADS if p[0] in {"script", "img-onerror", "breakout-double", "noscript"}],
    ids=lambda value: value if "<" not in value and '"' not in value else "",
)
def test_web_import_preview_and_saved_issue(name, payload, client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    upload = SimpleUploadedFile(f"{payload[:40]}.md", _seed_with(payload).encode())
    response = client.post(reverse("bulletins:import"), {"file": upload})
    assert response.status_code == 302
    preview = response["Location"]
    page_ok(client.get(preview), "import preview")
    response = client.post(preview, {"action": "save", "force": "on"})
    assert response.status_code == 302
    issue = Issue.objects.get()
    for item in issue.items.all():
        stored_ok(item.body_html, "saved import")
    page_ok(client.get(response["Location"]), "imported issue page")
    document = issue_document(issue)
    assert not pdf_input_problems(print_html(document))


def test_web_import_preview_with_every_payload(client, editor):
    """All payloads in one uploaded file: the preview page shows them all as text."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    text = _seed_with("".join(p for _, p in PAYLOADS if "\x00" not in p))
    upload = SimpleUploadedFile('"><img src=x onerror=alert(1)>.md', text.encode())
    response = client.post(reverse("bulletins:import"), {"file": upload})
    assert response.status_code == 302
    page_ok(client.get(response["Location"]), "import preview")


# --- the archive (web edition of a published issue) and its search ----------------------


def test_archive_web_edition_and_search(client, settings, recipient):
    from distribution.services import publication_distribute
    from tests.distribution.helpers import lists_with_contacts, publication

    settings.CITISA_ARCHIVE_PUBLIC = False
    lists_with_contacts(report=1, send=0)
    doc = IssueDocument(
        masthead=Masthead(volume_year=2023, number=1, cumulative_number=66, issued_on=date.today()),
        sections=[
            SectionDoc(
                title=SECTION_ALLIANCES,
                items=[
                    ItemDoc(title=f"稿{payload}", body_html=payload, attribution=payload)
                    for _, payload in STORED_PAYLOADS
                ],
            )
        ],
    )
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        publication_distribute(publication=publication(issue_id=7, doc=doc))
    client.force_login(recipient)
    page_ok(client.get("/archive/7/"), "archive web edition")
    page_ok(client.get("/archive/"), "archive index")
    for _, payload in STORED_PAYLOADS:
        page_ok(client.get("/archive/", {"q": payload[:100]}), f"archive search {payload!r}")


# --- reflected: search boxes and query strings ------------------------------------------


@pytest.mark.parametrize(("name", "payload"), PAYLOADS, ids=IDS)
def test_reflected_query_strings(name, payload, client, editor, administrator):
    page_ok(client.get(reverse("accounts:login"), {"next": payload}), "login next")
    client.force_login(editor)
    for url in ("submissions:inbox", "bulletins:index", "alliances:index"):
        page_ok(client.get(reverse(url), {"q": payload, "status": payload}), url)
    force_login_verified(client, administrator)
    page_ok(client.get("/admin/submissions/submission/", {"q": payload}), "admin search")


# --- plain-text fields: names, comments, alliance names, the admin -----------------------


def test_plain_text_fields_are_escaped(client, alliance_a, secretary_a, editor, administrator):
    payload = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    force_login_verified(client, administrator)
    response = client.post(
        "/admin/alliances/alliance/add/",
        {
            "full_name": f"载荷{payload}产业技术创新战略联盟",
            "short_name": f"载荷{payload}联盟"[:60],
            "code": "999",
            "website": "javascript:alert(1)",
            "is_active": "on",
            "notes": payload,
        },
    )
    page_ok(response, "admin add with a javascript: website")
    assert "javascript:alert(1)" not in [a.website for a in alliance_a.__class__.objects.all()]
    alliance_a.__class__.objects.filter(pk=alliance_a.pk).update(
        full_name=f"甲{payload}", short_name=f"甲{payload}"[:50], notes=payload
    )
    name_length = secretary_a._meta.get_field("full_name").max_length  # PostgreSQL enforces it
    secretary_a.__class__.objects.filter(pk=secretary_a.pk).update(full_name=payload[:name_length])
    page_ok(client.get("/admin/alliances/alliance/"), "admin alliances")
    page_ok(client.get(f"/admin/alliances/alliance/{alliance_a.pk}/change/"), "admin change")
    submission = make_submission(alliance_a, secretary_a, status="submitted", title=payload)
    Submission.objects.filter(pk=submission.pk).update(body_html=ALL)
    page_ok(client.get("/admin/submissions/submission/"), "admin submissions")
    page_ok(client.get(f"/admin/submissions/submission/{submission.pk}/change/"), "admin body")
    client.force_login(editor)
    page_ok(client.get(reverse("alliances:index")), "alliance registry")
    page_ok(client.get(reverse("alliances:detail", args=[alliance_a.pk])), "alliance page")
    client.post(
        reverse("submissions:transition", args=[submission.pk]),
        {"action": "request_revision", "comment": payload},
    )
    page_ok(client.get(reverse("submissions:detail", args=[submission.pk])), "comment shown")
    page_ok(client.get(reverse("submissions:inbox")), "inbox with names")
    issue = make_issue(editor)
    issue_services.comment_add(issue_id=issue.pk, body=payload, actor=editor)
    page_ok(client.get(reverse("bulletins:detail", args=[issue.pk])), "issue comment")


def test_uploaded_file_names_are_escaped(client, alliance_a, secretary_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.submissions.files import PDF

    client.force_login(secretary_a)
    token = str(uuid.uuid4())
    names = ['"><img src=x onerror=alert(1)>.pdf', "<script>alert(1)<\\script>.pdf"]
    response = client.post(
        reverse("submissions:new"),
        {
            "form_token": token,
            "title": "附件",
            "body_html": "<p>正文</p>",
            "suggested_section": "试点联盟及协发网网员单位动态",
            "call": "",
            "do": "save",
            "attachments": [SimpleUploadedFile(n, PDF) for n in names]
            + [SimpleUploadedFile('"><svg onload=alert(1)>.exe', b"MZ\x90\x00")],
        },
    )
    content = page_ok(response, "form answer with a refused file name")
    assert "文件类型不支持" in content
    submission = Submission.objects.get(client_token=token)
    assert submission.files.count() == 2
    page_ok(client.get(reverse("submissions:edit", args=[submission.pk])), "edit page files")
    page_ok(client.get(reverse("submissions:detail", args=[submission.pk])), "detail files")
    for row in submission.files.all():
        response = client.get(reverse("submissions:file", args=[submission.pk, row.pk]))
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment") and "\n" not in disposition


# --- the renderer's URL fetcher ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file:///proc/self/environ",
        "http://127.0.0.1:9/track.png",
        "https://example.org/a.png",
        "ftp://example.org/a.png",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "file://evil.example/share/a.png",
        "{media}/../../../etc/passwd",
        "{media}/%2e%2e/%2e%2e/etc/passwd",
        "{media}/missing.png",
        "{media}/link-out.png",
        "{media}",
    ],
)
def test_the_pdf_fetcher_refuses_everything_outside_its_folders(url, settings, tmp_path):
    media = tmp_path / "media"
    media.mkdir(parents=True, exist_ok=True)
    (media / "link-out.png").symlink_to("/etc/passwd")
    url = url.replace("{media}", media.as_uri())
    fetcher = ProjectFileFetcher(roots=[media])
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_pdf_fetcher_serves_media_images(tmp_path):
    media = tmp_path / "media"
    (media / "submissions" / "1").mkdir(parents=True)
    (media / "submissions" / "1" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    fetcher = ProjectFileFetcher(roots=[media])
    assert fetcher.fetch((media / "submissions" / "1" / "a.png").as_uri()) is not None


def test_a_render_with_every_payload_fetches_nothing_outside(editor, settings, tmp_path):
    """The real PDF render of an issue holding the whole corpus: the fetcher is asked for
    nothing it refuses and the PDF carries no embedded file."""
    from bulletins.rendering import render_pdf

    doc = IssueDocument(
        masthead=Masthead(volume_year=2023, number=1, cumulative_number=66, issued_on=date.today()),
        sections=[
            SectionDoc(title=SECTION_ALLIANCES, items=[ItemDoc(title="载荷", body_html=ALL)])
        ],
    )
    seen = []
    original = ProjectFileFetcher.fetch

    def spy(self, url, headers=None):
        seen.append(url)
        return original(self, url, headers)

    with mock.patch.object(ProjectFileFetcher, "fetch", spy):
        result = render_pdf(doc)
    assert result.pdf.startswith(b"%PDF")
    outside = [url for url in seen if str(settings.MEDIA_ROOT) not in url and "/static" not in url]
    assert outside == [], outside
    assert b"/EmbeddedFile" not in result.pdf and b"root:x:0:0" not in result.pdf


def test_contact_import_report_escapes_what_the_sheet_held(client, administrator):
    """A contact sheet is user input too: its cells come back on the import report (the
    refused rows and their reasons) and on the lists page."""
    from distribution.demo import load_distribution_lists

    load_distribution_lists()
    payload = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    rows = [
        "名单,单位,姓名,电子邮箱",
        f'报,"{payload.replace(chr(34), chr(34) * 2)}",{payload[:20]},x@example.org',
        f"送,科技部,{payload[2:30]},bad{payload[2:12]}@example.org",
    ]
    from django.core.files.uploadedfile import SimpleUploadedFile

    force_login_verified(client, administrator)
    response = client.post(
        reverse("distribution:import"),
        {"file": SimpleUploadedFile("名单.csv", "\n".join(rows).encode())},
    )
    assert response.status_code == 302
    report = page_ok(client.get(response["Location"]), "import report")
    assert "onerror" in report  # shown, as text
    page_ok(client.get(reverse("distribution:lists")), "lists page")


def test_the_distribution_e_mail_escapes_titles_and_names(settings):
    """The HTML e-mail to recipients lists 本期导读 (item titles) and greets the contact by
    name: both are user input."""
    from distribution.emails import delivery_message
    from distribution.models import Delivery
    from distribution.services import publication_distribute
    from tests.distribution.helpers import lists_with_contacts, publication

    payload = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    lists_with_contacts(report=1, send=0)
    doc = IssueDocument(
        masthead=Masthead(volume_year=2023, number=1, cumulative_number=66, issued_on=date.today()),
        sections=[
            SectionDoc(
                title=SECTION_ALLIANCES,
                items=[ItemDoc(title=t, body_html=t) for _, t in STORED_PAYLOADS],
            )
        ],
    )
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        publication_distribute(publication=publication(issue_id=8, doc=doc))
    delivery = Delivery.objects.first()
    # As long as the columns hold (PostgreSQL enforces the 50 characters of a name).
    Delivery.objects.filter(pk=delivery.pk).update(
        name=payload[: Delivery._meta.get_field("name").max_length],
        organisation_name=payload[: Delivery._meta.get_field("organisation_name").max_length],
    )
    delivery.refresh_from_db()
    message = delivery_message(delivery)
    html_part = message.alternatives[0][0]
    assert "onerror" in html_part  # the titles are there, as text
    assert not page_problems(html_part), page_problems(html_part)
    assert "<" not in message.to[0].split("<", 1)[0]  # the display name cannot open a tag
