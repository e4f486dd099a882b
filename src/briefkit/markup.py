"""Markdown fields as safe HTML (docs/format.md, "How briefkit reads YAML").

Brand managers write Markdown; some paste HTML. Everything is rendered with the
`markdown` package and then cleaned by nh3 against an allow-list: text
formatting, lists, quotes, tables and links only. No script, no event handlers,
no style, no images (an image could name a local file), and links only to
http, https and mailto.
"""

from __future__ import annotations

import functools
import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "b", "em", "i", "u", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr",
    "th", "td", "sup", "sub", "abbr",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Tags dropped together with their content: nothing inside them is readable text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript",
                                  "svg", "math"})


@functools.lru_cache(maxsize=1024)  # a campaign's texts are the same in each of its briefs
def render_markdown(text: str) -> Markup:
    """`**bold**` → `<p><strong>bold</strong></p>`, sanitised and safe to insert as is."""
    return Markup(nh3.clean(
        _html_of(text),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ))


def shows_an_image(text: str) -> bool:
    """Whether the Markdown asks for an image, which briefs leave out (see above)."""
    if "![" not in text and "<img" not in text.lower():
        return False
    return "<img" in _html_of(text).lower()


_parsers = threading.local()


def _html_of(text: str) -> str:
    """The Markdown as HTML, not yet cleaned. One parser per thread, reset for each text:
    making a parser took as long as converting a short text with it."""
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    return parser.reset().convert(text)
