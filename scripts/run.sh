#!/usr/bin/env bash
# `make run`: the web server and a real Celery worker (with beat) on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
# Exported: the settings of the web server and of the worker (which sends the e-mails)
# derive SITE_URL, the address in e-mail links, from them unless SITE_URL is set.
export HOST="${HOST:-127.0.0.1}"
export PORT="${PORT:-8000}"

mkdir -p var/log
$PY manage.py migrate --no-input -v0
$PY manage.py load_demo
# Render the PDFs the demo archive and drafts still lack (beat would wait five minutes).
$PY manage.py sweep

$PY -m celery -A citisa worker --beat --pool=prefork --concurrency=2 -l INFO \
  --schedule var/celerybeat-schedule >var/log/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM

cat <<TXT

  citisa 已启动：  http://$HOST:$PORT/
  后台任务进程（Celery worker + beat）日志：var/log/worker.log
  邮件写入：var/mail/     健康检查：http://$HOST:$PORT/healthz
  以上演示账号的密码均为 citisa-demo-2026。
  签发（signer）和管理员（admin）登录还需两步验证：用上面的密钥添加到身份验证器，
  或使用 var/demo-recovery-codes.txt 中的一次性恢复码。按 Ctrl-C 停止。

TXT
$PY manage.py runserver "$HOST:$PORT"
