"""Issue 17, findings 3 and 4: e-mail addresses.

3. One mailbox whatever the case of its letters: the contact-list import, the contact
   form, the database constraint and the dispatch all treat ``Zhang@x.cn`` and
   ``zhang@x.cn`` as one recipient (the spelling entered is kept for display), and the
   migration merges the duplicates already stored without losing deliveries.
4. Addresses outside the RFC limits are refused, each with its reason in Chinese.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from distribution.addresses import AddressRejected, normalise_email
from distribution.demo import load_distribution_lists
from distribution.models import Contact, Organisation
from distribution.services import contact_add, contacts_import, publication_distribute
from tests.distribution.helpers import publication

HEADER = ["名单", "单位", "姓名", "电子邮箱"]


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8-sig")


# --- 3: one mailbox, whatever the case --------------------------------------------------


@pytest.mark.django_db
def test_a_list_imported_in_two_halves_keeps_one_contact_per_mailbox(editor):
    load_distribution_lists()
    before = Contact.objects.count()
    first = [["报", "科技部", f"甲{n}", f"Person.{n}@Example.org"] for n in range(30)]
    # The second half repeats ten of the first half's mailboxes in other spellings, and one
    # mailbox twice within itself.
    second = [["报", "科技部", f"乙{n}", f"PERSON.{n}@example.ORG"] for n in range(10)]
    second += [["报", "科技部", f"丙{n}", f"other.{n}@example.org"] for n in range(20)]
    second += [["报", "科技部", "丙0", "Other.0@Example.org"]]
    report_1 = contacts_import(data=csv_bytes(first), filename="上半.csv", actor=editor)
    report_2 = contacts_import(data=csv_bytes(second), filename="下半.csv", actor=editor)
    assert report_1.created_count == 30
    assert report_2.created_count == 20
    reasons = {entry["row"]: "；".join(entry["reasons"]) for entry in report_2.rejected}
    assert len(reasons) == 11
    assert "已有使用 PERSON.0@example.org 的联系人（邮箱不区分大小写）" in reasons[2]
    assert "与第 12 行重复" in reasons[32]
    assert Contact.objects.count() == before + 50
    # The spelling entered is what is stored and shown.
    assert Contact.objects.filter(email="Person.7@example.org", name="甲7").exists()


@pytest.mark.django_db
def test_the_contact_form_and_the_database_refuse_a_case_variant(editor):
    load_distribution_lists()
    organisation = Organisation.objects.get(name="科技部")
    contact_add(organisation=organisation, name="张三", email="Zhang.San@MOST.example.cn")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="不区分大小写"):
        contact_add(organisation=organisation, name="张三", email="zhang.san@most.example.cn")
    # Past the service too: the unique constraint is on Lower(email).
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            organisation=organisation, name="张三", email="ZHANG.SAN@most.example.cn"
        )
    # Another organisation may have the same mailbox as a contact.
    other = Organisation.objects.get(name="财政部")
    contact_add(organisation=other, name="张三", email="zhang.san@most.example.cn")


@pytest.mark.django_db
def test_a_distribution_sends_once_per_mailbox(editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_distribution_lists()
    ministry = Organisation.objects.get(name="科技部")
    finance = Organisation.objects.get(name="财政部")
    contact_add(organisation=ministry, name="李四", email="Li.Si@Example.org")
    contact_add(organisation=finance, name="李四", email="li.si@example.org")
    contact_add(organisation=finance, name="王五", email="WANG5@example.org")
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        dispatch = publication_distribute(publication=publication())
    emails = [e.lower() for e in dispatch.deliveries.values_list("email", flat=True)]
    assert emails.count("li.si@example.org") == 1
    assert emails.count("wang5@example.org") == 1
    assert len(emails) == len(set(emails))
    # The first on the printed lists (报 before 送) is the one written to, as spelt.
    assert dispatch.deliveries.get(email__iexact="li.si@example.org").email == "Li.Si@example.org"


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_case_duplicates_keeping_their_deliveries():
    executor = MigrationExecutor(connection)
    before = [("distribution", "0003_history_verbose_names")]
    after = [("distribution", "0005_contact_mailbox_identity")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    DistributionList = apps.get_model("distribution", "DistributionList")
    Org = apps.get_model("distribution", "Organisation")
    OldContact = apps.get_model("distribution", "Contact")
    Dispatch = apps.get_model("distribution", "Dispatch")
    OldDelivery = apps.get_model("distribution", "Delivery")
    report = DistributionList.objects.create(kind="report", title="报送单位")
    send = DistributionList.objects.create(kind="send", title="送达单位")
    ministry = Org.objects.create(distribution_list=report, name="科技部", position=1)
    alliances = Org.objects.create(distribution_list=send, name="各联盟", position=1)

    def contact(org, email, active=True):
        return OldContact.objects.create(
            organisation=org, name="联系人", email=email, is_active=active
        )

    old = contact(ministry, "Zhao@example.org", active=False)  # stopped by the editors
    kept = contact(ministry, "zhao@example.org")  # the one that still receives
    later = contact(ministry, "ZHAO@example.org")
    elsewhere = contact(alliances, "zhao@example.org")  # another organisation: stays
    alone = contact(ministry, "Qian@example.org")
    lone_inactive = [
        contact(alliances, "Sun@example.org", False),
        contact(alliances, "sun@example.org", False),
    ]
    dispatch = Dispatch.objects.create(
        issue_id=1, version_id=1, kind="issue", issue_line="2023年第1期（总第66期）",
        issued_on=date(2023, 3, 20), subject="简报", pdf_name="x.pdf", pdf_sha256="0" * 64,
    )  # fmt: skip
    deliveries = {
        c.pk: OldDelivery.objects.create(
            dispatch=dispatch, contact=c, list_kind="report", organisation_name="科技部",
            name="联系人", email=c.email, status="sent", sent_at="2023-03-20T08:00:00+08:00",
        ).pk
        for c in (old, kept, later, alone, lone_inactive[1])
    }  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    Contact_ = apps.get_model("distribution", "Contact")
    Delivery_ = apps.get_model("distribution", "Delivery")
    remaining = set(Contact_.objects.values_list("pk", flat=True))
    assert remaining == {kept.pk, elsewhere.pk, alone.pk, lone_inactive[0].pk}
    assert Contact_.objects.get(pk=kept.pk).email == "zhao@example.org"
    # Every delivery is still there, pointing at the survivor of its mailbox.
    owners = dict(Delivery_.objects.values_list("pk", "contact_id"))
    assert len(owners) == 5
    for pk in (old.pk, kept.pk, later.pk):
        assert owners[deliveries[pk]] == kept.pk
    assert owners[deliveries[alone.pk]] == alone.pk
    assert owners[deliveries[lone_inactive[1].pk]] == lone_inactive[0].pk
    # The constraint now holds on Lower(email).
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact_.objects.create(organisation_id=ministry.pk, name="赵", email="zHaO@example.org")


# --- 4: the RFC limits -------------------------------------------------------------------

TOO_LONG_DOMAIN = "a@" + ".".join(["b" * 60] * 4) + ".org"  # 249 characters
REFUSED = [
    ("a" * 65 + "@example.org", "@ 前的部分超过 64 个字符"),
    ("user@[127.0.0.1]", "不能以 IP 地址作域名"),
    ("user@[IPv6:2001:db8::1]", "不能以 IP 地址作域名"),
    ("x" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org", "超过 254 个字符"),
    ("a@" + "b" * 64 + ".org", "域名中有一段超过 63 个字符"),
]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_addresses_outside_the_rfc_limits_are_refused_with_their_reason(address, reason):
    with pytest.raises(AddressRejected, match=reason):
        normalise_email(address)


def test_addresses_at_the_limits_are_accepted():
    assert normalise_email("a" * 64 + "@example.org") == "a" * 64 + "@example.org"
    assert normalise_email("a@" + "b" * 63 + ".org")
    assert normalise_email(TOO_LONG_DOMAIN) == TOO_LONG_DOMAIN


@pytest.mark.django_db
def test_the_import_gives_each_refused_row_its_reason(editor):
    load_distribution_lists()
    rows = [["报", "科技部", f"人{n}", address] for n, (address, _) in enumerate(REFUSED)]
    report = contacts_import(data=csv_bytes(rows), filename="名单.csv", actor=editor)
    assert report.created_count == 0
    reasons = {entry["row"]: "；".join(entry["reasons"]) for entry in report.rejected}
    for row, (_, reason) in enumerate(REFUSED, start=2):
        assert reason in reasons[row], (row, reasons.get(row))
