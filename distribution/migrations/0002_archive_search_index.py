"""A GIN index for the archive's full-text search, on PostgreSQL only.

The expression is the one ``distribution.search`` queries with
(``SearchVector("search_text", config="simple")``), so the planner can use it. SQLite has
no GIN indexes; there the search falls back to LIKE over the segmented terms.
"""

from django.db import migrations

INDEX = "distribution_archive_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON distribution_archiveentry "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("distribution", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
