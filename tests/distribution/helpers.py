"""Test data for distribution, built through its services.

``publication(...)`` is the test double of the seam the render job will fill in
(``distribution.publication.Publication``): a real IssueDocument and a real PDF written to
the default storage.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfWriter

from bulletins.document import (
    SECTION_ALLIANCES,
    SECTION_NETWORK,
    SECTION_POLICY,
    EndMatter,
    IssueDocument,
    ItemDoc,
    Masthead,
    SectionDoc,
)
from distribution.demo import load_distribution_lists
from distribution.models import Organisation
from distribution.publication import Publication
from distribution.services import contact_add

_ids = itertools.count(1000)


def pdf_bytes(text: str = "citisa") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def document(
    *, year=2023, number=1, cumulative=66, issued_on=date(2023, 3, 20), extra_item=None
) -> IssueDocument:
    items_policy = [
        ItemDoc(
            title="科技部组织召开国家碳中和科技专家委员会第一次会议",
            body_html="<p>会议宣布成立首届国家碳中和科技专家委员会，并明确专家委员会具体职责。</p>",
            attribution="（联盟协发网秘书处和联盟试点工作联络组摘述）",
        ),
    ]
    items_alliances = [
        ItemDoc(
            title="第三代半导体联盟主办第八届国际第三代半导体论坛",
            body_html="<p>论坛围绕<strong>碳化硅</strong>、氮化镓功率器件展开交流。</p>",
            attribution="（第三代半导体产业技术创新战略联盟秘书处供稿）",
        ),
        ItemDoc(
            title="粉末冶金联盟发布 7 项团体标准",
            body_html="<p>标准涵盖粉末冶金零件的检测方法。</p><script>alert(1)</script>",
            attribution="（粉末冶金产业技术创新战略联盟秘书处供稿）",
        ),
    ]
    if extra_item:
        items_alliances.append(ItemDoc(title=extra_item, body_html=f"<p>{extra_item}</p>"))
    return IssueDocument(
        masthead=Masthead(
            volume_year=year, number=number, cumulative_number=cumulative, issued_on=issued_on
        ),
        sections=[
            SectionDoc(title=SECTION_POLICY, items=items_policy),
            SectionDoc(
                title=SECTION_NETWORK,
                items=[
                    ItemDoc(
                        title="联盟协发网暨中关村国联中心第二届第三次会议召开",
                        body_html="<p>会议以视频形式召开。</p>",
                    )
                ],
            ),
            SectionDoc(title=SECTION_ALLIANCES, items=items_alliances),
        ],
        end_matter=EndMatter(
            report_to="科技部相关司局及部门", send_to="各试点产业技术创新战略联盟"
        ),
    )


def publication(
    *,
    issue_id=None,
    version_id=None,
    edition=1,
    doc=None,
    correction_note="",
    pdf: bytes | None = None,
) -> Publication:
    issue_id = issue_id or next(_ids)
    version_id = version_id or next(_ids)
    name = default_storage.save(
        f"bulletins/final/issue-{issue_id}-v{version_id}.pdf",
        ContentFile(pdf or pdf_bytes(f"issue {issue_id} v{version_id}")),
    )
    return Publication(
        issue_id=issue_id,
        version_id=version_id,
        document=doc or document(),
        pdf_name=name,
        edition=edition,
        correction_note=correction_note,
    )


def lists_with_contacts(*, report: int = 2, send: int = 2, domain: str = "example.org"):
    """The real 报/送 lists (demo data) plus ``report`` contacts at 科技部 and ``send``
    at 各试点产业技术创新战略联盟 (besides the demo's eight)."""
    load_distribution_lists()
    ministry = Organisation.objects.get(name="科技部")
    alliances = Organisation.objects.get(name="各试点产业技术创新战略联盟")
    contacts = []
    for n in range(report):
        contacts.append(contact_add(organisation=ministry, name=f"报{n}", email=f"r{n}@{domain}"))
    for n in range(send):
        contacts.append(contact_add(organisation=alliances, name=f"送{n}", email=f"s{n}@{domain}"))
    return contacts


# --- Reading the e-mails the file backend wrote -----------------------------------------

_SEPARATOR = re.compile(rb"^-{79}\r?$", re.MULTILINE)


def mail_messages(folder: Path):
    """Every message the file-based e-mail backend wrote under ``folder``."""
    out = []
    if not folder.exists():
        return out
    for path in sorted(folder.glob("*.log")):
        for chunk in _SEPARATOR.split(path.read_bytes()):
            chunk = chunk.strip(b"\r\n")
            if chunk:
                out.append(message_from_bytes(chunk + b"\n", policy=policy.default))
    return out


def messages_of_dispatch(folder: Path, dispatch) -> list:
    token = str(dispatch.public_id)
    return [m for m in mail_messages(folder) if m.get("X-Citisa-Dispatch") == token]


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+/download/\S+/", body)
    assert match, body
    return match.group(0)
