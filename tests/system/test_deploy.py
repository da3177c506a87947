"""The deployment files and the production guide stay true to the code."""

import configparser
import json
import os
import re
import runpy
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from core.uploads import MAX_ATTACHMENT_BYTES, MAX_DOCX_BYTES, MAX_IMAGE_BYTES

ROOT = Path(settings.BASE_DIR)
UNITS = ROOT / "deploy" / "systemd"
GUIDE = ROOT / "docs" / "production.md"
APP = "/srv/citisa/app"
SERVICES = ["citisa-web", "citisa-worker", "citisa-beat", "citisa-backup"]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


def exec_start(name: str) -> list[str]:
    return shlex.split(unit(f"{name}.service")["Service"]["ExecStart"])


def test_each_unit_starts_the_right_program_with_the_right_app():
    from citisa.celery import app

    web = exec_start("citisa-web")
    assert web[0] == f"{APP}/.venv/bin/gunicorn" and web[-1] == "citisa.wsgi"
    assert web[web.index("--config") + 1] == f"{APP}/deploy/gunicorn.conf.py"
    for name, role in (("citisa-worker", "worker"), ("citisa-beat", "beat")):
        command = exec_start(name)
        assert command[0] == f"{APP}/.venv/bin/celery"
        assert command[command.index("-A") + 1] == app.main == "citisa"
        assert command[3] == role
    assert exec_start("citisa-backup") == [
        f"{APP}/.venv/bin/python",
        f"{APP}/manage.py",
        "backup",
        "--keep",
        "14",
    ]
    timer = unit("citisa-backup.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
    assert (ROOT / "manage.py").is_file() and (ROOT / "citisa" / "wsgi.py").is_file()


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_is_hardened(name):
    service = unit(f"{name}.service")["Service"]
    assert service["User"] == "citisa" and service["Group"] == "citisa"
    assert service["ProtectSystem"] == "strict"
    assert "/srv/citisa/var" in service["ReadWritePaths"].split()
    for key in ("PrivateTmp", "NoNewPrivileges", "ProtectHome", "PrivateDevices"):
        assert service[key] == "yes", key
    assert service["EnvironmentFile"] == "/etc/citisa/citisa.env"
    assert service["WorkingDirectory"] == APP
    if name != "citisa-backup":
        assert service["Restart"] == "on-failure"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_systemd_analyze_verifies_the_units(tmp_path):
    # The units name /srv/citisa/app; point them at this checkout so the programs exist.
    for path in UNITS.iterdir():
        text = path.read_text().replace(f"{APP}/.venv", str(Path(sys.executable).parent.parent))
        (tmp_path / path.name).write_text(text.replace(APP, str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown key" not in result.stderr and "not executable" not in result.stderr


def test_gunicorn_config_values():
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["timeout"] == 60 and config["max_requests"] == 1000
    assert config["max_requests_jitter"] > 0 and config["preload_app"] is True
    assert config["bind"] == "127.0.0.1:8000" and config["workers"] >= 1
    sample = config["access_log_format"] % {
        "t": "[22/Nov/2026:10:00:00 +0800]",
        "h": "127.0.0.1",
        "m": "GET",
        "U": "/healthz",
        "s": "200",
        "B": "12",
        "D": "1500",
        "{x-request-id}o": "abc",
        "a": "curl/8",
    }
    assert json.loads(sample)["request_id"] == "abc"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_app_with_this_config(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CITISA_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "gunicorn-test-only-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "citisa.settings",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "citisa.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/accounts/login/",
                    headers={"X-Request-ID": "gunicorn-probe-1"},
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                    assert response.headers["X-Request-ID"] == "gunicorn-probe-1"
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    lines = (tmp_path / "gunicorn.log").read_text().splitlines()
    booted = [json.loads(x) for x in lines if x.startswith("{") and "Booting worker" in x]
    assert booted and booted[0]["logger"] == "gunicorn.error"


def test_nginx_config_matches_the_application():
    text = (ROOT / "deploy" / "nginx" / "citisa.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", text)
    limit = int(size.group(1)) * 1024 * 1024
    assert limit >= MAX_DOCX_BYTES + MAX_IMAGE_BYTES + MAX_ATTACHMENT_BYTES * 2
    assert "alias /srv/citisa/var/staticfiles/;" in text and settings.STATIC_URL == "/static/"
    assert "max-age=31536000" in text and "http2" in text
    directives = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    # Nothing serves private media from disk: no location, alias or root names it.
    assert not [d for d in directives if "media" in d], directives
    assert "X-Forwarded-Proto $scheme" in text
    production = (ROOT / "citisa" / "settings_production.py").read_text()
    assert 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")' in production


def _settings_variables() -> set[str]:
    names = set()
    pattern = re.compile(r"""(?:env|env_bool|env_list|os\.environ\.get)\(\s*["']([A-Z_]+)["']""")
    for path in [
        ROOT / "citisa" / "settings.py",
        ROOT / "citisa" / "settings_production.py",
        *(ROOT / "citisa" / "backups").glob("*.py"),
    ]:
        names |= set(pattern.findall(path.read_text()))
    return names | {"DJANGO_SETTINGS_MODULE"}


def _guide_table(heading: str) -> set[str]:
    text = GUIDE.read_text()
    section = re.split(rf"^#+ (?:\d+\. )?{heading}$", text, maxsplit=1, flags=re.MULTILINE)[1]
    section = re.split(r"^#+ ", section, maxsplit=1, flags=re.MULTILINE)[0]
    return set(re.findall(r"^\| `([A-Z_]+)`", section, re.MULTILINE))


def test_the_guide_lists_every_setting_the_code_reads_and_no_other():
    listed = _guide_table("Environment variables")
    read = _settings_variables()
    assert not read - listed, f"add to docs/production.md: {sorted(read - listed)}"
    assert not listed - read, f"not read by the settings: {sorted(listed - read)}"
    gunicorn = _guide_table("gunicorn variables")
    text = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    assert gunicorn == set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', text))


def test_the_guide_and_readme_point_at_each_other():
    assert "docs/production.md" in (ROOT / "README.md").read_text()
    text = GUIDE.read_text()
    for path in [
        "deploy/gunicorn.conf.py",
        "deploy/nginx/citisa.conf",
        *(f"deploy/systemd/{name}.service" for name in SERVICES),
        "deploy/systemd/citisa-backup.timer",
        "scripts/system-packages.sh",
    ]:
        assert path in text, path
        assert (ROOT / path).exists(), path
