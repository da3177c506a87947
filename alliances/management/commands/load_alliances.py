import json
from pathlib import Path

from django.core.management.base import BaseCommand

from alliances.services import registry_load

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "registry.json"


class Command(BaseCommand):
    help = "载入联盟名录（默认为往期简报中出现的全部联盟及其别名），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT))

    def handle(self, *args, file, **options):
        records = json.loads(Path(file).read_text(encoding="utf-8"))
        created, updated = registry_load(records=records)
        self.stdout.write(
            f"联盟名录：新增 {created} 个，更新 {updated} 个，共 {len(records)} 条记录。"
        )
