from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from citisa.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "备份数据库和全部私有文件（上传、PDF、导入）到一个归档文件，附清单（迁移状态、"
        "各表行数、每个文件的 SHA-256）。Back up the database and MEDIA_ROOT into one archive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="归档文件或目录（默认：设置 BACKUP_DIR，文件名带时间）",
        )
        parser.add_argument(
            "--compress",
            choices=["none", "gz", "zst"],
            default="gz",
            help="压缩方式（给出文件名时按扩展名决定）",
        )
        parser.add_argument("--keep", type=int, help="只保留目录中最新的 N 份备份，删除更早的")

    def handle(self, *args, output=None, compress="gz", keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1。")
        try:
            result = backup_create(
                output=Path(output) if output else None, compression=compress, keep=keep
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"备份完成 / backup written: {result.path}\n"
            f"  大小 size: {result.size / 1024 / 1024:.1f} MB；数据库 database: "
            f"{manifest['database']['vendor']}，{len(manifest['row_counts'])} 个模型 models，"
            f"{rows} 行 rows；文件 media files: {len(manifest['media'])}"
        )
        for path in result.pruned:
            self.stdout.write(f"  已删除旧备份 pruned: {path}")
