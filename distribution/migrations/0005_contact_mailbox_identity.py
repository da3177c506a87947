"""The unique constraint of a contact's address ignores case: one mailbox once per
organisation (the duplicates were merged by 0003)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0004_contact_merge_case_duplicates"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="contact",
            name="contact_email_once_per_organisation",
        ),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.UniqueConstraint(
                models.F("organisation"),
                django.db.models.functions.text.Lower("email"),
                name="contact_mailbox_once_per_organisation",
            ),
        ),
    ]
