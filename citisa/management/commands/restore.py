from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from citisa.backups import BackupError, MediaSwapError, restore_apply, restore_prepare


class Command(BaseCommand):
    help = (
        "从 backup 生成的归档恢复数据库和私有文件（先完整校验，再替换现有数据）。"
        "Restore the database and MEDIA_ROOT from an archive made by `backup`."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份归档文件")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接替换现有数据库和文件")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="不询问（没有 --yes 时即取消）",
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="备份的迁移状态比代码旧时，恢复后运行 migrate",
        )

    def handle(self, *args, archive, yes=False, migrate=False, **options):
        self.stdout.write(f"校验备份 / verifying {archive} …")
        try:
            prepared = restore_prepare(Path(archive), migrate=migrate)
        except BackupError as error:
            raise CommandError(f"{error}\n现有数据未做任何改动。Nothing was changed.") from error
        manifest = prepared.manifest
        self.stdout.write(
            f"备份可用 / archive verified: 创建于 created {manifest['created_at']}，"
            f"提交 commit {manifest.get('git_commit') or '未知'}，"
            f"{sum(manifest['row_counts'].values())} 行 rows，{len(manifest['media'])} 个文件 files。"
        )
        if not yes and not self._confirmed(options):
            prepared.discard()
            raise CommandError("已取消，未做任何改动。Cancelled; nothing was changed.")
        try:
            result = restore_apply(
                prepared,
                migrate_after=(lambda: call_command("migrate", interactive=False, verbosity=0))
                if migrate
                else None,
            )
        except MediaSwapError as error:
            raise CommandError(
                f"{error}\nThe database was restored; media were not swapped in."
            ) from error
        except BackupError as error:
            raise CommandError(
                f"{error}\n数据库恢复未完成；原有文件（MEDIA_ROOT）未被替换。"
                "请检查数据库后重新运行 restore，或从另一份备份恢复。\n"
                "The database restore failed; media were left as they were. "
                "Fix the cause and run restore again."
            ) from error
        counts_ok, media_ok = result.counts_match, result.media_match
        self.stdout.write(
            f"恢复完成 / restored: 数据表行数 row counts {'一致 match' if counts_ok else '不一致 DIFFER'}"
            f"（{len(result.row_counts)} 个模型 models）；文件 media "
            f"{'一致 match' if media_ok else '不一致 DIFFER'}（{len(result.media)} 个 files）"
            + ("；已运行 migrate / migrated" if result.migrated else "")
        )
        if not (counts_ok and media_ok):
            differing = sorted(
                label
                for label in set(result.row_counts) | set(manifest["row_counts"])
                if result.row_counts.get(label) != manifest["row_counts"].get(label)
            )
            raise CommandError(
                "恢复后的数据与备份清单不符 / restored data differ from the manifest: "
                + "、".join(differing[:20])
            )

    def _confirmed(self, options) -> bool:
        if not options.get("interactive", True):
            return False
        try:
            answer = input(
                "这将替换当前的数据库和全部文件。This replaces the current data. 输入 yes 继续："
            )
        except EOFError:
            return False
        return answer.strip().lower() == "yes"
