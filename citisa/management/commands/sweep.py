from django.core.management.base import BaseCommand

from bulletins.importer.staging import staged_prune
from bulletins.renditions import renditions_sweep
from distribution.services import deliveries_sweep
from submissions.notifications import unsent_event_ids
from submissions.tasks import send_event_email


class Command(BaseCommand):
    help = (
        "立即运行一次各项补漏任务（平时由 Celery beat 定时运行）：补生成缺少的简报 PDF、"
        "补发丢失的分发邮件和稿件通知、清理过期未确认的导入上传。make run 启动时运行一次。"
    )

    def handle(self, *args, **options):
        renders = renditions_sweep()
        interrupted, requeued = deliveries_sweep()
        pruned = staged_prune()
        events = list(unsent_event_ids())
        for event_id in events:
            send_event_email.delay(event_id)
        self.stdout.write(
            f"补漏：排队生成 PDF {len(renders)} 份；分发邮件中断 {interrupted} 封、重新排队 {requeued} 封；"
            f"稿件通知补发 {len(events)} 封；清理过期的导入上传 {pruned} 个。"
        )
