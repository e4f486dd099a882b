"""Markdown fields cannot carry script, handlers, images or unsafe links into a page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from briefkit.markup import ALLOWED_TAGS, URL_SCHEMES, render_markdown


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict]]:
    collector = Collect()
    collector.feed(html)
    return collector.tags


def test_markdown_formatting_survives() -> None:
    html = render_markdown("Our **first** *vegan* serum.\n\n- one\n- two\n\n[shop](https://lumen.example)")
    assert html == ('<p>Our <strong>first</strong> <em>vegan</em> serum.</p>\n'
                    '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n'
                    '<p><a href="https://lumen.example" rel="noopener noreferrer">shop</a></p>')


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<p style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">x</p>",
    "![x](file:///etc/passwd)",
    "<link rel=\"attachment\" href=\"file:///etc/passwd\">",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<object data=\"file:///etc/passwd\"></object>",
    "<form action=\"https://evil.example\"><input name=q></form>",
])
def test_attacks_are_removed(attack: str) -> None:
    html = render_markdown(f"Hello {attack} world")
    for tag, attributes in parsed(html):
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") or name == "style" for name in attributes)
        if "href" in attributes:
            assert attributes["href"].split(":")[0].lower() in URL_SCHEMES
    assert "alert(1)</script" not in html and "<script" not in html.lower()


def test_a_text_does_not_see_the_link_references_of_the_last() -> None:
    """The parser is reused from text to text: a reference defined in one brief's text
    must not make a link in the next one's."""
    defined = render_markdown("Read [the guide][guide].\n\n[guide]: https://brand.example/guide")
    assert 'href="https://brand.example/guide"' in defined
    assert "href" not in render_markdown("Also read [the guide][guide].")
