from django.core.management.base import BaseCommand

from distribution.services import archive_reindex


class Command(BaseCommand):
    help = "重新为往期简报建立全文检索词（修改检索词典后执行）。"

    def handle(self, *args, **options):
        count = archive_reindex()
        self.stdout.write(f"已重新索引 {count} 期简报。")
