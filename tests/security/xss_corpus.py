"""XSS payloads pushed through every HTML entry path (tests/security/test_xss.py).

Each payload is a ``(name, html)`` pair. They call ``alert(1)``/``__xss()``; the browser
test hooks both, and the parser-based checks look for the constructs, not the strings.
Sources: the OWASP filter-evasion cheat sheet, PortSwigger's XSS cheat sheet and the
published DOMPurify/nh3 mutation-XSS bypasses, adapted to what this project accepts.
"""

PAYLOADS: list[tuple[str, str]] = [
    # script tags
    ("script", "<script>alert(1)</script>"),
    ("script-src", '<script src="http://127.0.0.1:9/x.js"></script>'),
    ("script-case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("script-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-unclosed", "<script>alert(1)//"),
    ("script-slash", '<script/xss src="http://127.0.0.1:9/x.js"></script>'),
    # event handlers on every kind of tag
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-media", '<img src="submissions/1/a.jpg" onerror="alert(1)">'),
    ("p-onclick", '<p onclick="alert(1)">点我</p>'),
    ("a-onmouseover", '<a href="https://citisa.org" onmouseover="alert(1)">链接</a>'),
    ("td-onmouseover", '<table><tr><td onmouseover="alert(1)">格</td></tr></table>'),
    ("body-onload", "<body onload=alert(1)>"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-slash-onload", "<svg/onload=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("input-autofocus", "<input autofocus onfocus=alert(1)>"),
    ("video-source", "<video><source onerror=alert(1)></video>"),
    ("audio-src", "<audio src=x onerror=alert(1)>"),
    ("marquee", "<marquee onstart=alert(1)>x</marquee>"),
    ("h4-onanimation", '<h4 style="animation-name:x" onanimationstart="alert(1)">标题</h4>'),
    (
        "blockquote-onbeforeinput",
        '<blockquote contenteditable onbeforeinput="alert(1)">q</blockquote>',
    ),
    ("li-on-no-quotes", "<ul><li onpointerenter=alert(1)>一</li></ul>"),
    ("event-tab-sep", "<img src=x\tonerror\t=\talert(1)>"),
    ("event-slash-sep", "<img/src=x/onerror=alert(1)>"),
    # javascript:/vbscript:/data: URLs, encoded and split
    ("a-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("a-javascript-case", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    (
        "a-javascript-entities",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    ),
    (
        "a-javascript-hex-entities",
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    ),
    ("a-javascript-tab", '<a href="jav\tascript:alert(1)">x</a>'),
    ("a-javascript-newline", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    ("a-javascript-leading-space", '<a href=" \x01javascript:alert(1)">x</a>'),
    ("a-javascript-colon-entity", '<a href="javascript&colon;alert(1)">x</a>'),
    ("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a-data-html", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("img-javascript", '<img src="javascript:alert(1)">'),
    ("img-data-svg", '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'),
    ("a-target-blank", '<a href="https://evil.example/" target="_blank">无 rel 的新窗口</a>'),
    ("a-rel-attachment", '<a rel="attachment" href="file:///etc/passwd">附件</a>'),
    # SVG / MathML namespace confusion
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    (
        "svg-a-xlink",
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    ),
    ("svg-animate", '<svg><animate onbegin="alert(1)" attributeName="x" dur="1s">'),
    ("svg-foreignobject", "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>"),
    (
        "math-mtext",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
        "</table></mtext></math>",
    ),
    (
        "math-href",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    ),
    ("svg-style-img", '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'),
    # style: elements, attributes, @import
    ("style-element", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("style-import", '<style>@import "http://127.0.0.1:9/x.css";</style>'),
    ("style-attr-expression", '<p style="width:expression(alert(1))">x</p>'),
    ("style-attr-url", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("style-attr-behavior", '<p style="behavior:url(x.htc);-moz-binding:url(x.xml#x)">x</p>'),
    ("style-attr-remote", '<p style="background-image:url(http://127.0.0.1:9/track.png)">x</p>'),
    # document-level tags
    ("base-href", '<base href="http://127.0.0.1:9/">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    ("iframe-src", '<iframe src="javascript:alert(1)"></iframe>'),
    ("form-action", '<form action="javascript:alert(1)"><button>提交</button></form>'),
    ("button-formaction", '<form><button formaction="javascript:alert(1)">x</button></form>'),
    ("object-data", '<object data="javascript:alert(1)"></object>'),
    ("embed-src", '<embed src="data:text/html,<script>alert(1)</script>">'),
    ("link-import", '<link rel="import" href="http://127.0.0.1:9/x.html">'),
    ("link-stylesheet", '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'),
    ("img-srcset", '<img srcset="javascript:alert(1) 1x, http://127.0.0.1:9/a.png 2x" src="x">'),
    (
        "picture-source",
        '<picture><source srcset="http://127.0.0.1:9/a.png"><img src="x"></picture>',
    ),
    # mutation XSS: parser differentials
    ("noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    (
        "template",
        "<template><script>alert(1)</script></template><template><img src=x onerror=alert(1)></template>",
    ),
    ("comment-breakout", "<!--><img src=x onerror=alert(1)>-->"),
    ("comment-bang", "<!--!><img src=x onerror=alert(1)>-->"),
    ("cdata", "<![CDATA[><img src=x onerror=alert(1)>]]>"),
    ("title-breakout", "<title><img src=x onerror=alert(1)></title>"),
    ("textarea-breakout", "<textarea></textarea><img src=x onerror=alert(1)></textarea>"),
    ("xmp", "<xmp><img src=x onerror=alert(1)></xmp>"),
    ("select-style", "<select><style></select><img src=x onerror=alert(1)></style>"),
    ("table-form-nesting", "<table><form><img src=x onerror=alert(1)></form></table>"),
    # attribute breakouts (for places that put text inside attributes)
    ("breakout-double", '"><img src=x onerror=alert(1)>'),
    ("breakout-single", "'><svg onload=alert(1)>"),
    ("breakout-script-end", "</script><script>alert(1)</script>"),
    ("breakout-textarea", "</textarea><script>alert(1)</script>"),
    ("breakout-title", "</title><script>alert(1)</script>"),
    ("breakout-attr-event", '" onmouseover="alert(1)" x="'),
    ("breakout-unquoted", "x onfocus=alert(1) autofocus"),
    ("template-literal", "{{7*7}}${alert(1)}{% debug %}"),
    # unicode / NUL tricks
    ("nul-in-tag", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    ("nul-in-scheme", '<a href="java\x00script:alert(1)">x</a>'),
    ("fullwidth-lt", "＜script＞alert(1)＜/script＞"),
    ("rtl-override", "\u202e<img src=x onerror=alert(1)>\u202c"),
    ("zero-width-scheme", '<a href="java\u200bscript:alert(1)">x</a>'),
    ("utf7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    ("overlong-utf8-like", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    # files the PDF fetcher must refuse
    ("img-file-passwd", '<img src="file:///etc/passwd">'),
    ("img-file-traversal", '<img src="../../../../etc/passwd">'),
    ("img-encoded-traversal", '<img src="submissions/%2e%2e/%2e%2e/%2e%2e/etc/passwd">'),
    ("img-http", '<img src="http://127.0.0.1:9/track.png">'),
    ("img-protocol-relative", '<img src="//127.0.0.1:9/track.png">'),
    ("img-absolute-path", '<img src="/etc/passwd">'),
    ("img-backslash", '<img src="submissions\\..\\..\\settings.py">'),
]

assert len(PAYLOADS) >= 50
assert len({name for name, _ in PAYLOADS}) == len(PAYLOADS)
