"""System-wide rows that belong to no domain app."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task; the health check reads it."""

    hostname = models.CharField("工作进程", max_length=200, unique=True)
    seen_at = models.DateTimeField("最近一次心跳")
    tasks_seen = models.PositiveIntegerField("心跳次数", default=0)

    class Meta:
        verbose_name = "后台任务进程心跳"
        verbose_name_plural = "后台任务进程心跳"

    def __str__(self):
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
