"""A strict checker for executable constructs in HTML, built on an HTML5 parser.

The HTML is parsed the way a browser parses it (tinyhtml5, the WHATWG algorithm that
WeasyPrint uses too), so mutation tricks (``<noscript>``, comments, foreign content) are
judged on the tree a browser would build, not on the string. Substring counting would be
fooled both ways: escaped text such as ``&lt;script&gt;`` is harmless, while an
entity-encoded ``javascript:`` URL is not.

:func:`fragment_problems` is for stored bodies (the nh3 allow-list applies: no style, no
foreign content, only media-path images); :func:`page_problems` for whole pages, which
may carry the project's own scripts and styles.
"""

from __future__ import annotations

import io
import re

import tinyhtml5

SVG = "{http://www.w3.org/2000/svg}"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
XLINK = "{http://www.w3.org/1999/xlink}"

# Attributes whose value a browser (or WeasyPrint) loads or navigates to.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "codebase",
    "cite",
    "ping",
    "lowsrc",
    "dynsrc",
    "xlink:href",
    "srcdoc",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
# Elements that never belong in what users write, nor on a page as the result of it.
ALWAYS_FORBIDDEN = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "noscript",
    "template",
}
# What a payload of the corpus leaves behind when it executes or loads something.
MARKERS = ("alert", "__xss", "127.0.0.1", "msgbox", "evil.example")
_CSS_DANGER = re.compile(r"expression\s*\(|url\s*\(|@import|javascript:|behavior|binding", re.I)
_SCHEME_NOISE = re.compile(r"[\x00-\x20\u200b-\u200f\u2028\u2029\ufeff]")


def _local(tag: str) -> tuple[str, str]:
    """(namespace prefix marker, local name) of an ElementTree tag."""
    if tag.startswith(SVG):
        return "svg", tag[len(SVG) :]
    if tag.startswith(MATHML):
        return "math", tag[len(MATHML) :]
    if tag.startswith("{"):
        return "other", tag.split("}", 1)[1]
    return "html", tag


def _attribute_name(name: str) -> str:
    if name.startswith(XLINK):
        return "xlink:" + name[len(XLINK) :]
    return name.split("}", 1)[-1].lower()


def _dangerous_url(value: str) -> bool:
    normalised = _SCHEME_NOISE.sub("", value).lower()
    return normalised.startswith(DANGEROUS_SCHEMES)


def _srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()]


def _problems(html: str, *, page: bool, pdf: bool = False) -> list[str]:
    # A file-like object: tinyhtml5 reads a short str that names a file as that file.
    tree = tinyhtml5.parse(io.StringIO(html), namespace_html_elements=False)
    found: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        space, name = _local(element.tag)
        name = name.lower()
        text = "".join(element.itertext())
        where = f"<{name}>"
        if space in {"svg", "math"} and not page:
            found.append(f"foreign content {where}")
        if name in ALWAYS_FORBIDDEN and space == "html":
            found.append(f"forbidden element {where}")
        if name == "script":
            src = element.get("src")
            if src is not None:
                same_origin = src.startswith("/") and not src.startswith("//")
                if not same_origin or text.strip():
                    found.append(f"script from {src!r}")
            elif not page or any(marker in text for marker in MARKERS):
                found.append(f"inline script {text[:60]!r}")
        dangerous_css = _CSS_DANGER.search(text) or any(m in text for m in MARKERS)
        if name == "style" and space == "html" and (not page or dangerous_css):
            found.append(f"style element {text[:60]!r}")
        if name == "meta" and element.get("http-equiv"):
            found.append(f"meta http-equiv={element.get('http-equiv')!r}")
        if name == "link":
            href = element.get("href", "")
            if not page or not href.startswith("/static/"):
                found.append(f"link to {href!r}")
        if not page and name in {"form", "input", "button", "textarea", "select"}:
            found.append(f"form control {where}")
        for raw_name, value in element.attrib.items():
            attribute = _attribute_name(raw_name)
            if attribute.startswith("on"):
                found.append(f"event handler {attribute}= on {where}")
            if attribute in URL_ATTRIBUTES and _dangerous_url(value):
                found.append(f"{attribute}={value[:60]!r} on {where}")
            if attribute == "srcset":
                urls = _srcset_urls(value)
                if not page or any(_dangerous_url(url) for url in urls):
                    found.append(f"srcset={value[:60]!r} on {where}")
            if attribute == "style" and (not page or _CSS_DANGER.search(value)):
                found.append(f"style={value[:60]!r} on {where}")
            if attribute == "srcdoc":
                found.append(f"srcdoc on {where}")
            fetched = pdf and attribute in {"src", "href"} and name in {"img", "link", "object"}
            if fetched and re.match(r"^\s*[a-z][a-z0-9+.\-]*:|^\s*/", value, re.I):
                found.append(f"PDF input fetches {value[:60]!r}")
            if pdf and attribute == "rel" and "attachment" in value.lower():
                found.append(f"rel=attachment on {where}")
        if name == "a" and space == "html" and element.get("target", "").lower() == "_blank":
            rel = element.get("rel", "").lower().split()
            if "noopener" not in rel and "noreferrer" not in rel:
                found.append("target=_blank without rel=noopener")
    return found


def fragment_problems(html: str) -> list[str]:
    """Problems in a stored body (sanitised HTML fragment)."""
    return _problems(html, page=False)


def page_problems(html: str) -> list[str]:
    """Problems in a whole rendered page."""
    return _problems(html, page=True)


def pdf_input_problems(html: str) -> list[str]:
    """Problems in the HTML handed to WeasyPrint: a page, and nothing that names a file
    outside the render's base (absolute paths, schemes) or asks to embed a file."""
    return _problems(html, page=True, pdf=True)
