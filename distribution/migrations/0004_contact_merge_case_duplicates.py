"""One contact per mailbox and organisation, whatever the case of the address's letters.

Before, ``Zhang@x.cn`` and ``zhang@x.cn`` could be two contacts of one organisation (only
the domain was lower-cased), and the mailbox got the bulletin twice. This migration merges
such duplicates; the next (0004) replaces the unique constraint on ``(organisation,
email)`` by one on ``(organisation, Lower(email))``. Two migrations, so two transactions:
on PostgreSQL a table with pending deferred-constraint checks (the re-pointed deliveries,
the deleted contacts) cannot be altered or indexed in the same transaction.

The merge keeps, in each group, the contact that still receives the bulletin (the oldest
of them; the oldest of all when none does), so the mailbox goes on receiving what it
received. Every delivery of a duplicate — its delivery history, download receipts
included — is re-pointed to the survivor before the duplicate is deleted. A contact's list
membership is its organisation, which the whole group shares, so nothing is lost there; a
mailbox that is a contact of two organisations stays two contacts (the dispatch sends it
one e-mail). The survivor keeps the address as it was spelt. Not reversible in data: the
merged rows are gone (their history rows stay in the contact history).
"""

from django.db import migrations


def merge_case_duplicates(apps, schema_editor):
    Contact = apps.get_model("distribution", "Contact")
    Delivery = apps.get_model("distribution", "Delivery")
    groups: dict[tuple[int, str], list] = {}
    rows = Contact.objects.order_by("pk").values_list("pk", "organisation_id", "email", "is_active")
    for pk, organisation_id, email, is_active in rows:
        groups.setdefault((organisation_id, email.lower()), []).append((pk, is_active))
    for members in groups.values():
        if len(members) < 2:
            continue
        active = [pk for pk, is_active in members if is_active]
        survivor = active[0] if active else members[0][0]
        duplicates = [pk for pk, _ in members if pk != survivor]
        Delivery.objects.filter(contact_id__in=duplicates).update(contact_id=survivor)
        Contact.objects.filter(pk__in=duplicates).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0003_history_verbose_names"),
    ]

    operations = [
        migrations.RunPython(merge_case_duplicates, migrations.RunPython.noop),
    ]
