"""A theme is untrusted input (docs/security.md): it cannot run code, read outside its
folder, reach Python's internals through a label, or attach files to a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import pdf_text, run_briefkit

SECRET = "SECRET-OUTSIDE-THE-THEME-5c1e"


def theme_file(workspace: Path, relative: str, text: str) -> Path:
    (workspace / "briefkit.yaml").write_text("theme: sly\n")
    path = workspace / "themes/sly" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def every_output(workspace: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in (workspace / "output").rglob("*") if p.is_file())


@pytest.mark.parametrize("expression", [
    "lipsum.__globals__['os'].popen('echo PWNED > {marker}').read()",
    "cycler.__init__.__globals__.os.popen('echo PWNED > {marker}').read()",
    "''.__class__.__mro__[1].__subclasses__()",
    "self.__init__.__globals__",
    "brief.__class__.__init__.__globals__",
    "range.__call__.__self__",
])
def test_a_template_cannot_run_code_or_reach_pythons_internals(workspace: Path, tmp_path: Path,
                                                               expression: str) -> None:
    marker = tmp_path / "marker"
    template = theme_file(workspace, "templates/sections/contact.html",
                          "<p>contact</p>\n{{ " + expression.format(marker=marker) + " }}\n")
    result = run_briefkit("build", "--workspace", str(workspace), "--no-pdf")
    assert result.returncode == 1, result.stdout + result.stderr
    assert not marker.exists()
    assert f"{template.relative_to(workspace).as_posix()}:2:1: error: the theme's template failed: " \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert not (workspace / "output/launch/ben-brews/index.html").exists()


def test_a_template_cannot_change_what_it_is_given(workspace: Path) -> None:
    theme_file(workspace, "templates/sections/contact.html",
               "{% set _ = brief.deliverables.append(brief.deliverables[0]) %}{{ brief.key_messages.clear() }}")
    result = run_briefkit("build", "--workspace", str(workspace), "--no-pdf")
    assert result.returncode == 1
    assert "unsafe" in result.stderr or "SecurityError" in result.stderr


class Notes:
    append = "a plain value of an object that is no list"


def test_the_sandbox_judges_each_attribute_of_each_type_alike_however_often_asked(workspace: Path) -> None:
    from briefkit.theme import load_theme

    environment = load_theme(workspace, "default").environment
    for _ in range(2):  # the second round answers from what the first found
        assert environment.is_safe_attribute([], "index", None)
        assert not environment.is_safe_attribute([1], "append", None)  # changes what it is given
        assert environment.is_safe_attribute(Notes(), "append", None)  # the same name of another type
        assert environment.is_safe_attribute({}, "items", None) and not environment.is_safe_attribute({}, "clear", None)
        assert not environment.is_safe_attribute(load_theme, "__globals__", None)
        assert not environment.is_safe_attribute(str, "mro", None) and environment.is_safe_attribute("", "upper", None)
    template = environment.from_string("{{ items.index(1) }}{{ items.append(2) }}")
    with pytest.raises(Exception, match="unsafe|not safely callable"):
        template.render(items=[1])


@pytest.mark.parametrize("label", ["{name.__class__.__mro__}", "{name.__init__.__globals__}",
                                   "{name[0]}", "{name!r}", "{name:{name.__class__}}"])
def test_a_label_cannot_read_pythons_internals(workspace: Path, label: str) -> None:
    theme_file(workspace, "labels/en.yaml", f'brief:\n  for: "{label}"\n')
    result = run_briefkit("build", "--workspace", str(workspace), "--no-pdf")
    assert result.returncode == 1
    assert "a label's placeholders are plain names, like {count}" in result.stderr, result.stderr
    assert not list(workspace.glob("output/**/index.html"))


@pytest.mark.parametrize("relative", ["templates/sections/contact.html", "css/brief.css", "labels/en.yaml",
                                      "templates/macros.html"])
def test_theme_files_that_lead_out_of_the_theme_are_not_read(workspace: Path, tmp_path: Path,
                                                             relative: str) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(f"{SECRET}\n")
    path = theme_file(workspace, "templates/sections/review.html", "<p>OWN-REVIEW</p>\n")
    link = workspace / "themes/sly" / relative
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    result = run_briefkit("build", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    assert "OWN-REVIEW" in (workspace / "output/launch/ben-brews/index.html").read_text()  # the theme is used
    assert SECRET not in every_output(workspace)
    assert SECRET not in pdf_text(workspace / "output/launch/ben-brews/brief.pdf")
    assert path.exists()


def test_a_theme_folder_that_leads_out_is_not_read(workspace: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "sections").mkdir(parents=True)
    (outside / "sections/contact.html").write_text(f"<p>{SECRET}</p>\n")
    theme_file(workspace, "labels/de.yaml", "{}\n")
    (workspace / "themes/sly/templates").symlink_to(outside)
    result = run_briefkit("build", "--workspace", str(workspace), "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert SECRET not in every_output(workspace)


def test_a_theme_cannot_attach_files_to_a_pdf(workspace: Path) -> None:
    """Not even files the PDF may read (the theme's), nor data: URLs, nor the workspace's."""
    (workspace / "output/_team").mkdir(parents=True)
    (workspace / "output/_team/index.html").write_text(f"<p>{SECRET}</p>")
    attacks = [
        '<link rel="attachment" href="https://workspace.invalid/briefs/launch/creators/ben.yaml">',
        '<link rel="attachment" href="https://workspace.invalid/briefs/launch/campaign.yaml" title="x">',
        '<link rel="Attachment stylesheet" href="https://workspace.invalid/output/_team/index.html">',
        '<a rel="attachment" href="https://theme.invalid/templates/brief.html">theme file</a>',
        '<a rel="nofollow attachment" href="data:text/plain,INLINE-ATTACHMENT" download="x.txt">data</a>',
    ]
    theme_file(workspace, "templates/sections/contact.html", "<p>CONTACT</p>\n" + "\n".join(attacks) + "\n")
    result = run_briefkit("build", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    pdf = workspace / "output/launch/ben-brews/brief.pdf"
    reader = PdfReader(pdf)
    assert not reader.attachments
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        assert all(a.get_object().get("/Subtype") != "/FileAttachment" for a in page.get("/Annots") or [])
    data = pdf.read_bytes()
    assert b"INLINE-ATTACHMENT" not in data and SECRET.encode() not in data and b"fee:" not in data
    warned = [line for line in result.stderr.splitlines() if "an attachment was left out of the PDF" in line]
    assert len(warned) == 2 * len(attacks)  # each, in each packet
    assert "launch/ben-brews/brief.pdf: warning: an attachment was left out of the PDF: " \
           "https://theme.invalid/templates/brief.html" in result.stderr


@pytest.mark.parametrize(("relative", "content", "where", "message"), [
    ("labels/en.yaml", b"brief:\n  for: [unclosed\n", ":3:1: error: YAML syntax error", ""),
    ("labels/en.yaml", b"- a list\n- of labels\n", ":1:1: error: the theme's file must hold keys and labels", ""),
    ("labels/en.yaml", b"brief:\n  for: \xff\n", ":2:8: error: the file is not UTF-8 text", ""),
    ("css/brief.css", b"body { color: red } /* \xff */", ": error: the theme's file is not UTF-8 text", ""),
    ("templates/brief.html", b"<p>\xff</p>", "", "not UTF-8"),
])
def test_a_broken_theme_file_is_an_error_at_its_place(workspace: Path, relative: str, content: bytes,
                                                      where: str, message: str) -> None:
    path = theme_file(workspace, relative, "")
    path.write_bytes(content)
    result = run_briefkit("build", "--workspace", str(workspace))
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert f"themes/sly/{relative}{where}" in result.stderr
    assert message in result.stderr
    assert not list(workspace.glob("output/**/index.html"))
