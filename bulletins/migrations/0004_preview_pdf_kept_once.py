"""The preview PDF of a version is kept once, as its preview Rendition: a version whose PDF
was only on ``IssueVersion.preview_pdf`` (stored before renditions existed) gets a done
preview Rendition naming the same file, then the field goes."""

from django.db import migrations
from django.utils import timezone


def previews_to_renditions(apps, schema_editor):
    IssueVersion = apps.get_model("bulletins", "IssueVersion")
    Rendition = apps.get_model("bulletins", "Rendition")
    versions = IssueVersion.objects.exclude(preview_pdf="").exclude(
        renditions__kind="preview"
    )
    for version in versions.iterator():
        if version.pages is None or not version.pdf_sha256:
            continue  # not a complete render: the sweeper renders it again
        Rendition.objects.create(
            version=version,
            kind="preview",
            status="done",
            pdf=version.preview_pdf.name,
            pages=version.pages,
            page_map=version.page_map or {},
            sha256=version.pdf_sha256,
            finished_at=timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0003_merge_0002_issue_import_source_0002_renditions"),
    ]

    operations = [
        migrations.RunPython(previews_to_renditions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="issueversion", name="preview_pdf"),
    ]
