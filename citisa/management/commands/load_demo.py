from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citisa.demo import demo_recovery_codes_path, demo_totp_secret, load_demo


class Command(BaseCommand):
    help = "载入演示数据：联盟名录、每个角色一个演示账号、若干待处理稿件。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="在非调试模式下也载入（会创建已知密码的账号）"
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "演示账号使用公开的密码，只能在调试模式下载入；确需载入请加 --force。"
            )
        logins = load_demo(stdout=self.stdout, force=force)
        self.stdout.write("演示账号（用户名 / 密码 / 角色）：")
        for username, password, roles in logins:
            self.stdout.write(f"  {username:<10} {password}  {roles}")
        self.stdout.write(
            "签发（signer）和管理员（admin）登录时还要两步验证：\n"
            f"  在身份验证器中添加密钥 {demo_totp_secret()} 后输入其 6 位数字，\n"
            f"  或输入一个一次性恢复码，见 {demo_recovery_codes_path()}"
        )
