"""The archive file: a tar, plain, gzip or zstd (through the zstd program)."""

import contextlib
import io
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from .errors import BackupError

MANIFEST = "manifest.json"
PREFIX = "citisa-backup-"
SUFFIXES = {"none": ".tar", "gz": ".tar.gz", "zst": ".tar.zst"}
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
CHUNK = 1024 * 1024


# --- Writing the archive --------------------------------------------------------------------


def default_name(now: datetime, compression: str) -> str:
    return f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIXES[compression]}"


def compression_of(path: Path) -> str:
    name = path.name
    if name.endswith((".tar.zst", ".tzst")):
        return "zst"
    if name.endswith((".tar.gz", ".tgz")):
        return "gz"
    return "none"


@contextlib.contextmanager
def tar_writer(raw, compression: str):
    if compression == "zst":
        zstd = shutil.which("zstd")
        if not zstd:
            raise BackupError("找不到 zstd 程序：请安装 zstd，或改用 --compress gz。")
        process = subprocess.Popen([zstd, "-q", "-c", "-T0"], stdin=subprocess.PIPE, stdout=raw)  # noqa: S603
        try:
            with tarfile.open(fileobj=process.stdin, mode="w|") as tar:
                yield tar
        finally:
            process.stdin.close()
            if process.wait() != 0:
                raise BackupError("zstd 压缩失败。")
        return
    mode = {"none": "w|", "gz": "w|gz"}[compression]
    with tarfile.open(fileobj=raw, mode=mode) as tar:
        yield tar


def add_bytes(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def add_file(tar, name: str, path: Path) -> None:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mode = 0o600
    info.mtime = int(path.stat().st_mtime)
    with open(path, "rb") as handle:
        tar.addfile(info, handle)


# --- Reading an archive ------------------------------------------------------------------------


@contextlib.contextmanager
def tar_reader(path: Path):
    with open(path, "rb") as raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic != ZSTD_MAGIC:
            try:
                with tarfile.open(fileobj=raw, mode="r|*") as tar:
                    yield tar
            except (tarfile.TarError, EOFError, OSError) as error:
                raise BackupError(f"备份文件已损坏或不是 citisa 备份：{error}") from error
            return
        zstd = shutil.which("zstd")
        if not zstd:
            raise BackupError("这是 zstd 压缩的备份，但找不到 zstd 程序：请安装 zstd。")
        process = subprocess.Popen(  # noqa: S603
            [zstd, "-q", "-dc", "--", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as tar:
                yield tar
            while process.stdout.read(CHUNK):  # a reader that stopped early: let zstd finish
                pass
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(f"备份文件已损坏或不是 citisa 备份：{error}") from error
        finally:
            process.stdout.close()
            failed = process.wait() != 0
        if failed:
            raise BackupError("备份文件已损坏：zstd 解压失败。")


def safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"备份文件中有不安全的路径：{name}")
    return path
