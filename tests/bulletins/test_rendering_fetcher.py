"""The renderer reads only the project's static files and media, never the network or
another file on the machine (WeasyPrint's default fetcher embeds file:///etc/passwd)."""

import http.server
import io
import threading
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from bulletins.rendering.fetcher import ProjectFileFetcher, RefusedURL
from bulletins.rendering.pdf import render_html_to_pdf

SECRET = "citisa-secret-line-that-must-not-leak"


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    (root / "bulletins").mkdir(parents=True)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def outside_file(tmp_path):
    """A file outside MEDIA_ROOT and the static folders, standing for /etc/passwd."""
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n")
    return path


@pytest.fixture
def http_server():
    """A local HTTP server that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(SECRET.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def png(path: Path, size=(40, 30), color=(200, 20, 30)) -> Path:
    Image.new("RGB", size, color).save(path, "PNG")
    return path


def all_stream_data(pdf: bytes) -> bytes:
    """Every stream of the PDF, decompressed: embedded files, annotations, content."""
    reader = PdfReader(io.BytesIO(pdf))
    chunks = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: S112 - free or broken entries are not what we look for
            continue
        if hasattr(obj, "get_data"):
            chunks.append(obj.get_data())
    return b"".join(chunks)


def file_attachment_annotations(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                count += 1
    return count


def image_count(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/a.png",
        "https://example.com/a.png",
        "ftp://example.com/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        "file://otherhost/srv/media/a.png",
    ],
)
def test_refuses_other_schemes_hosts_and_paths(media_root, url):
    fetcher = ProjectFileFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_refuses_escapes_from_media_root(media_root, outside_file):
    link = media_root / "bulletins" / "innocent.png"
    link.symlink_to(outside_file)
    (media_root / "bulletins" / "folder").mkdir()
    fetcher = ProjectFileFetcher()
    for url in [
        link.as_uri(),  # a symlink pointing outside
        media_root.as_uri() + "/bulletins/../../outside/passwd",  # climbing with ..
        media_root.as_uri() + "/bulletins/%2e%2e/%2e%2e/outside/passwd",  # encoded ..
        (media_root / "bulletins" / "folder").as_uri(),  # a folder
        (media_root / "bulletins" / "missing.png").as_uri(),
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_refuses_a_file_above_the_size_cap(media_root, monkeypatch):
    from bulletins.rendering import fetcher as fetcher_module

    big = media_root / "bulletins" / "big.png"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(fetcher_module, "MAX_FILE_BYTES", 1024)
    with pytest.raises(RefusedURL, match="过大"):
        ProjectFileFetcher().fetch(big.as_uri())


def test_serves_media_and_static_files(media_root, settings):
    image = png(media_root / "bulletins" / "ok.png")
    fetcher = ProjectFileFetcher()
    response = fetcher.fetch(image.as_uri())
    assert response.read() == image.read_bytes()
    assert response.content_type == "image/png"
    static_css = Path(settings.STATICFILES_DIRS[0]) / "bulletins" / "print.css"
    assert fetcher.fetch(static_css.as_uri()).read().startswith(b"/*")


def test_render_embeds_nothing_from_outside(media_root, outside_file, http_server):
    base, hits = http_server
    png(media_root / "bulletins" / "ok.png")
    html = f"""<html><head>
      <link rel="attachment" href="{outside_file.as_uri()}">
      <link rel="stylesheet" href="{base}/style.css">
      </head><body>
      <p>正文</p>
      <a rel="attachment" href="{outside_file.as_uri()}">附件</a>
      <a rel="attachment" href="bulletins/../../outside/passwd">附件2</a>
      <img src="{base}/remote.png">
      <img src="{outside_file.as_uri()}">
      <div style="background-image: url({base}/bg.png); height: 10px"></div>
      <img src="bulletins/ok.png">
    </body></html>"""
    pdf, _, fetcher = render_html_to_pdf(html)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert file_attachment_annotations(pdf) == 0
    assert SECRET.encode() not in all_stream_data(pdf)
    assert hits == []  # not one request reached the network
    assert SECRET.encode() not in pdf
    assert image_count(pdf) == 1  # only the image from MEDIA_ROOT
    assert any("ok.png" in url for url in fetcher.served)
    refused = " ".join(fetcher.refused)
    assert "remote.png" in refused and "bg.png" in refused and "passwd" in refused


def test_the_default_fetcher_would_have_leaked(outside_file):
    """The check above can fail: WeasyPrint's own fetcher embeds the file."""
    html = f'<p>正文 <a rel="attachment" href="{outside_file.as_uri()}">附件</a></p>'
    pdf = HTML(string=html).write_pdf()
    assert file_attachment_annotations(pdf) == 1
    assert SECRET.encode() in all_stream_data(pdf)
