"""The `briefkit` command line (README.md lists the commands; docs/ explains each).

Exit status: 0 success, 1 validation or content errors, 2 usage errors, 3 an
internal error (a bug in briefkit; `--debug` shows the traceback). Heavy modules
are imported inside commands so that `briefkit --help` starts fast.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__

EXIT_INVALID = 1
EXIT_INTERNAL = 3


class _Cli(click.Group):
    """Turns unexpected exceptions into one short line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("briefkit: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `briefkit … | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so that exiting flushes nowhere
            ctx.exit(1)
        except Exception as exc:
            if ctx.meta.get("briefkit.debug"):
                raise
            from .diagnostics import escape_controls

            click.echo(f"briefkit: internal error ({type(exc).__name__}: {escape_controls(str(exc))}). "
                       "Run again with --debug for details.", err=True)
            ctx.exit(EXIT_INTERNAL)


def _remember_debug(ctx: click.Context, _param: Any, value: bool) -> bool:
    if value:
        ctx.meta["briefkit.debug"] = True
    return value


def workspace_options(command: Callable) -> Callable:
    """`--workspace` and `--debug`, which every command takes; and the one place where a
    briefkit `UsageError` becomes click's, so that click shows it with the command's usage
    and exits with 2."""

    @click.option("--workspace", "-w", type=click.Path(exists=True, file_okay=False, path_type=Path),
                  default=".", show_default=True, help="The workspace folder.")
    @click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                  callback=_remember_debug, help="Show a traceback on internal errors.")
    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        from .diagnostics import UsageError, escape_controls

        try:
            return command(**kwargs)
        except UsageError as error:  # its message may quote a file's or an option's value
            if error.option:
                raise click.BadParameter(escape_controls(str(error)), param_hint=error.option) from None
            raise click.UsageError(escape_controls(str(error))) from None

    return wrapper


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefkit")
@click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_remember_debug,
              help="Show a traceback on internal errors.")
def cli() -> None:
    """Creator brief packets from campaign YAML: validate, build, review."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help="How to print the findings.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@workspace_options
def validate(paths: tuple[Path, ...], output_format: str, strict: bool, workspace: Path) -> None:
    """Check the workspace, or the campaigns holding PATHS, and report every problem."""
    from .diagnostics import render_github, render_json, render_text, summary
    from .validate import check_workspace

    root = workspace.resolve()
    only = [_inside_workspace(root, p) for p in paths] or None
    checked, diagnostics = check_workspace(root, only)
    if output_format == "json":
        click.echo(render_json(diagnostics))
    elif output_format == "github":
        if diagnostics:
            click.echo(render_github(diagnostics, _from_working_directory(root)))
    else:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        if diagnostics:
            click.echo(render_text(diagnostics, root, color))
            click.echo(summary(diagnostics))
        else:
            creators = sum(len(c.creators) for c in checked.campaigns)
            click.echo(f"no problems: {len(checked.campaigns)} campaign"
                       f"{'s' * (len(checked.campaigns) != 1)}, {creators} creator{'s' * (creators != 1)}")
    failed = any(d.is_error for d in diagnostics) or (strict and diagnostics)
    sys.exit(EXIT_INVALID if failed else 0)


@cli.command()
@click.option("--campaign", metavar="ID", help="Build only this campaign.")
@click.option("--creator", metavar="HANDLE", help="Build only this creator's packet.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write packets here instead of the workspace's output folder.")
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs (faster while editing).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Render this many PDFs at once.  [default: the number of CPUs]")
@click.option("--force", is_flag=True, help="Render every packet, also those whose inputs did not change.")
@click.option("--team", is_flag=True,
              help="Also write the team overview (every creator, fee and deadline) to _team/ in the output.")
@click.option("--shard", metavar="K/N",
              help="Only the K-th of N shards of the packets, for a CI matrix (docs/ci.md).  "
                   "[default: GitLab's CI_NODE_INDEX/CI_NODE_TOTAL, when set]")
@workspace_options
def build(campaign: str | None, creator: str | None, out: Path | None, no_pdf: bool, jobs: int | None,
          force: bool, team: bool, shard: str | None, workspace: Path) -> None:
    """Validate the workspace, then write every creator's packet that changed."""
    from .pdf import PdfProcess
    from .processes import usable_cpus
    from .shards import parse_shard, shard_from_environment

    part = parse_shard(shard) if shard else shard_from_environment()

    jobs = jobs or usable_cpus()
    # Started before briefkit's own imports, so that WeasyPrint's import runs on a second core.
    with PdfProcess() if jobs > 1 and not no_pdf else contextlib.nullcontext() as pdf_process:
        from .build import Selection, build as run_build
        from .diagnostics import render_text, summary

        root = workspace.resolve()
        target = out.resolve() if out else None
        progress = _Progress(sys.stdout.isatty())
        try:
            report = run_build(root, Selection(campaign, creator), target, pdf=not no_pdf, jobs=jobs,
                               force=force, team=team, pdf_process=pdf_process,
                               on_plan=progress.start, on_packet=progress.advance, shard=part)
        finally:
            progress.finish()
    color = sys.stderr.isatty() and "NO_COLOR" not in os.environ
    if report.diagnostics:
        click.echo(render_text(report.diagnostics, root, color), err=True)
    for name in report.kept:
        click.echo(f"  kept {name}: it is no longer built, but was changed by hand", err=True)
    if report.failed:
        count = len(report.packets)
        written = f"{count} packet{'s' * (count != 1)} written, the others not" if count else "nothing written"
        click.echo(f"build stopped, {written}: {summary(report.diagnostics)}", err=True)
        sys.exit(EXIT_INVALID)
    packets = len(report.packets) + len(report.unchanged)
    unchanged = f", {len(report.unchanged)} unchanged" if report.unchanged else ""
    click.echo((f"shard {part}: " if part else "") + f"{packets} packet{'s' * (packets != 1)} in {_shown(report.output)}"
               + (f" ({summary(report.diagnostics)}{unchanged})" if report.diagnostics
                  else f" ({unchanged[2:]})" if unchanged else ""))
    if report.team:
        click.echo(f"team overview: {_shown(report.output)}{report.team} (for the team only; do not publish)")


class _Progress:
    """A progress bar on a terminal; one plain line per packet elsewhere (CI logs)."""

    def __init__(self, on_terminal: bool):
        self.on_terminal = on_terminal
        self.bar: Any = None

    def start(self, count: int) -> None:
        if self.on_terminal and count > 1:
            self.bar = click.progressbar(length=count, label="rendering", show_pos=True)
            self.bar.__enter__()

    def advance(self, folder: str) -> None:
        if self.bar is None:
            click.echo(f"  rendered {folder}")
        else:
            self.bar.update(1, folder)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@click.argument("shard_outputs", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to assemble in instead of the workspace's output folder.")
@click.option("--team", is_flag=True, help="Also write the team overview.")
@workspace_options
def assemble(shard_outputs: tuple[Path, ...], out: Path | None, team: bool, workspace: Path) -> None:
    """Put the outputs of `build --shard` together: copy the SHARD_OUTPUTS folders (if any)
    into the output folder, merge their manifests, write the host files and the team
    overview. Needs no PDFs; afterwards `briefkit build` finds every packet current."""
    from .build import assemble as run_assemble
    from .diagnostics import render_text, summary

    root = workspace.resolve()
    report = run_assemble(root, [p.resolve() for p in shard_outputs], out.resolve() if out else None, team)
    if report.diagnostics:
        click.echo(render_text(report.diagnostics, root, sys.stderr.isatty()), err=True)
    if report.failed:
        click.echo(f"not assembled: {summary(report.diagnostics)}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"{len(report.unchanged)} packets assembled in {_shown(report.output)}")
    if report.team:
        click.echo(f"team overview: {_shown(report.output)}{report.team} (for the team only; do not publish)")


@cli.command("lint-caption")
@click.option("--campaign", "campaign_id", required=True, metavar="ID", help="The campaign's id.")
@click.option("--creator", "handle", required=True, metavar="HANDLE", help="The creator's handle.")
@click.argument("caption_file", metavar="[FILE|-]", type=click.File("r", encoding="utf-8"), default="-")
@workspace_options
def lint_caption(campaign_id: str, handle: str, caption_file: Any, workspace: Path) -> None:
    """Check a draft caption against the creator's disclosure rules, hashtags, mentions and don'ts."""
    from . import disclosure
    from .model import handle_key, in_language, locale_of, shown_handle
    from .validate import check_workspace

    checked, _ = check_workspace(workspace.resolve())
    campaign = next((c for c in checked.campaigns if c.id == campaign_id), None)
    if campaign is None:
        raise click.BadParameter(f"no valid campaign has the id {campaign_id!r} "
                                 "(run `briefkit validate` if it has errors)", param_hint="--campaign")
    creator = next((c for c in campaign.creators if handle_key(c.handle) == handle_key(handle)), None)
    if creator is None:
        raise click.BadParameter(f"campaign {campaign_id!r} has no creator {handle!r}", param_hint="--creator")
    campaign = in_language(campaign, locale_of(campaign, creator), campaign.locale)  # as the creator reads it
    applying = disclosure.creator_jurisdictions(campaign, creator)
    try:
        caption = caption_file.read().strip()
    except UnicodeDecodeError:
        raise click.BadParameter("the caption is not UTF-8 text; save it as UTF-8",
                                 param_hint="FILE") from None
    findings = disclosure.lint_for_creator(caption, campaign, applying)
    regions = ", ".join(j.region for j in applying)
    who = shown_handle(creator.handle)
    for finding in findings:
        click.echo(f"problem: {finding.message}\n    fix: {finding.hint}")
    if findings:
        click.echo(f"{len(findings)} problem{'s' * (len(findings) != 1)} for {who} ({regions})")
        sys.exit(EXIT_INVALID)
    click.echo(f"fine for {who} ({regions}): label first, hashtags and mentions present")


def _from_working_directory(root: Path) -> str:
    """The workspace as a path from the current directory (where CI runs, the repository's
    top), or "" when it is the current directory or not below it."""
    try:
        relative = root.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return path.as_posix() + "/"


@cli.command()
@click.option("--for", "kind", type=click.Choice(["campaign", "creator", "settings"]),
              help="Only the schema of this kind of file (for an editor's schema modeline).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of printing it.")
@workspace_options
def schema(kind: str | None, output: Path | None, workspace: Path) -> None:
    """Print the JSON Schema of campaign, creator and settings files."""
    from .model import json_schema_text
    from .write import write_atomically

    text = json_schema_text(kind)
    if output is None:
        click.echo(text, nl=False)
        return
    target = output if output.is_absolute() else workspace / output
    write_atomically(target, text.encode())
    click.echo(f"wrote {target}")


@cli.command()
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to serve on (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to serve on. Another than this machine's own lets others read every brief.")
@click.option("--open", "open_browser", is_flag=True, help="Open the list of briefs in the web browser.")
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs, for the fastest preview.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Render this many PDFs at once.  [default: the number of CPUs]")
@workspace_options
def serve(port: int, host: str, open_browser: bool, no_pdf: bool, jobs: int | None, workspace: Path) -> None:
    """Build, serve the briefs on this machine, and rebuild and reload them on every save."""
    from .processes import usable_cpus
    from .serve import serve as run_server

    run_server(workspace.resolve(), host, port, pdf=not no_pdf, jobs=jobs or usable_cpus(),
               open_browser=open_browser, say=click.echo)


@cli.command()
@click.argument("campaign_id")
@workspace_options
def new(campaign_id: str, workspace: Path) -> None:
    """Start a campaign: briefs/CAMPAIGN_ID/ with a commented campaign and one creator."""
    from .model import now
    from .scaffold import new_campaign

    root = workspace.resolve()
    written = new_campaign(root, campaign_id, now().date())
    for path in written:
        click.echo(f"  wrote {path.relative_to(root).as_posix()}")
    click.echo(f"\nnext: edit briefs/{campaign_id}/campaign.yaml and the creator in "
               f"briefs/{campaign_id}/creators/, then run `briefkit serve --open` to watch the briefs")


@cli.command()
@click.argument("revisions", nargs=-1, metavar="[REV_A [REV_B]]")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True, help="markdown is ready to paste as a pull-request comment.")
@workspace_options
def diff(revisions: tuple[str, ...], output_format: str, workspace: Path) -> None:
    """What changed in each creator's brief between two git revisions.

    REV_A defaults to HEAD; without REV_B, REV_A is compared with the working tree.
    Exit status 0 with or without changes, 1 when a revision does not validate.
    """
    from . import diffreport
    from .diff import diff_revisions
    from .revisions import Repository, Revision

    if len(revisions) > 2:
        raise click.UsageError("give at most two revisions: briefkit diff [REV_A [REV_B]]")
    repository = Repository(workspace.resolve())
    old = repository.revision(revisions[0] if revisions else "HEAD")
    new = repository.revision(revisions[1]) if len(revisions) > 1 else Revision(None, None)
    result = diff_revisions(repository, old, new)
    render = {"text": diffreport.render_text, "markdown": diffreport.render_markdown,
              "json": diffreport.render_json}[output_format]
    click.echo(render(result))
    sys.exit(EXIT_INVALID if result.invalid else 0)


def _known_locale(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    from babel import Locale, UnknownLocaleError

    if value is not None:
        try:
            Locale.parse(value.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise click.BadParameter(f"{value!r} is not a locale; write a tag such as de-DE, en-US or pt-BR") \
                from None
    return value


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--campaign", "campaign_id", required=True, metavar="ID", help="The campaign the creators join.")
@click.option("--sheet", metavar="NAME", help="The sheet of a workbook to read (default: the first).")
@click.option("--number-locale", metavar="TAG", callback=_known_locale,
              help="How the sheet writes money, e.g. de-DE for 1.234,56 (default: the campaign's locale).")
@click.option("--update", is_flag=True, help="Also change existing creator files: only the keys the sheet has.")
@click.option("--dry-run", is_flag=True, help="Say what would be written, write nothing.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help="How to print the problems.")
@workspace_options
def import_command(file: Path, campaign_id: str, sheet: str | None, number_locale: str | None, update: bool,
                   dry_run: bool, output_format: str, workspace: Path) -> None:
    """Creators from a spreadsheet (CSV or XLSX) into the campaign's creators/ folder.

    Every problem is reported at its FILE:ROW:COLUMN; with any error, nothing is written.
    """
    from .diagnostics import render_github, render_json, render_text, summary
    from .importing import import_creators

    root = workspace.resolve()
    report = import_creators(root, file.resolve(), file.as_posix(), campaign_id, sheet, number_locale, update,
                             dry_run)
    if output_format == "json":
        click.echo(render_json(report.diagnostics))
    elif output_format == "github" and report.diagnostics:
        click.echo(render_github(report.diagnostics, _from_working_directory(root)))
    elif report.diagnostics:
        click.echo(render_text(report.diagnostics, Path.cwd(), sys.stderr.isatty()), err=True)
    if report.failed:
        click.echo(f"nothing written: {summary(report.diagnostics)}", err=True)
        sys.exit(EXIT_INVALID)
    if output_format != "text":
        return
    verb = {"create": "would create" if dry_run else "created", "update": "would update" if dry_run else "updated"}
    for change in report.changes:
        if change.action in verb:
            keys = f": {', '.join(change.keys)}" if change.action == "update" else ""
            click.echo(f"  {verb[change.action]} {change.path.relative_to(root).as_posix()}{keys}")
    made = sum(c.action in verb for c in report.changes)
    others = [f"{count} {action}" for action in ("unchanged", "left alone")
              if (count := sum(c.action == action for c in report.changes))]
    if any(c.action == "left alone" for c in report.changes):
        others[-1] += " (they exist; --update changes them)"
    click.echo(f"{made} creator file{'s' * (made != 1)} {'to write' if dry_run else 'written'}"
               + "".join(f", {other}" for other in others)
               + (f" ({summary(report.diagnostics)})" if report.diagnostics else ""))


@cli.command()
@click.option("--campaign", "campaign_id", required=True, metavar="ID", help="The campaign to export.")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default: CAMPAIGN-roster.csv or .xlsx in the current folder).")
@workspace_options
def export(campaign_id: str, file_format: str, output: Path | None, workspace: Path) -> None:
    """The campaign's roster for finance and fulfilment, as CSV or XLSX."""
    from .build import SelectionError
    from .diagnostics import render_text, summary
    from .roster import default_name, export_bytes
    from .validate import check_workspace
    from .write import write_atomically

    root = workspace.resolve()
    checked, diagnostics = check_workspace(root)
    if any(d.is_error for d in diagnostics):
        click.echo(render_text(diagnostics, root), err=True)
        click.echo(f"nothing exported: {summary(diagnostics)}", err=True)
        sys.exit(EXIT_INVALID)
    campaign = next((c for c in checked.campaigns if c.id == campaign_id), None)
    if campaign is None:
        raise SelectionError(f"there is no campaign {campaign_id!r}")
    target = output or default_name(campaign, file_format)
    write_atomically(target, export_bytes(checked, campaign, file_format))
    click.echo(f"{len(campaign.creators)} creators in {target.as_posix()}")


@cli.command()
@click.argument("handle")
@click.argument("status", type=click.Choice(["accepted", "declined"]))
@click.option("--campaign", "campaign_id", required=True, metavar="ID", help="The creator's campaign.")
@click.option("--on", "day", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="The day they answered, as 2027-03-02 (default: today in the campaign's time zone).")
@click.option("--revision", metavar="REV",
              help="The git revision of the brief they answered (default: the one last sent to them, else HEAD).")
@workspace_options
def respond(handle: str, status: str, campaign_id: str, day: Any, revision: str | None, workspace: Path) -> None:
    """Record a creator's answer in their YAML file, keeping its comments and layout."""
    from .diagnostics import escape_controls, render_text, summary
    from .respond import respond as record

    root = workspace.resolve()
    recorded = record(root, handle, status, campaign_id, day.date() if day else None, revision)
    if isinstance(recorded, list):
        click.echo(render_text(recorded, Path.cwd(), sys.stderr.isatty()), err=True)
        click.echo(f"nothing written: {summary(recorded)}", err=True)
        sys.exit(EXIT_INVALID)
    compared = f"revision {recorded.revision}" if recorded.revision else f"version {recorded.version}"
    verb = "recorded" if recorded.changed else "already recorded"
    click.echo(escape_controls(f"{verb}: {recorded.handle} {recorded.status} on {recorded.on.isoformat()} "
                               f"({compared}) in {recorded.file}"))


@cli.command()
@click.option("--campaign", "campaign_id", metavar="ID", help="Only this campaign.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@workspace_options
def status(campaign_id: str | None, output_format: str, workspace: Path) -> None:
    """Where every creator stands: invited, overdue, accepted, to confirm again, declined."""
    import json

    from .diagnostics import escape_controls, render_text, summary
    from .status import status_json, status_lines, workspace_status

    root = workspace.resolve()
    report = workspace_status(root, campaign_id)
    if report.diagnostics:
        click.echo(render_text(report.diagnostics, Path.cwd(), sys.stderr.isatty()), err=True)
    if any(d.is_error for d in report.diagnostics):
        click.echo(f"no status: {summary(report.diagnostics)}", err=True)
        sys.exit(EXIT_INVALID)
    if output_format == "json":
        click.echo(json.dumps(status_json(report), ensure_ascii=False, indent=2))
    else:
        click.echo(escape_controls("\n".join(status_lines(report)), keep="\n"))


@cli.command()
@click.option("--campaign", metavar="ID", help="Only this campaign's creators.")
@click.option("--creator", metavar="HANDLE", help="Only this creator.")
@click.option("--send", is_flag=True, help="Send them over SMTP (briefkit.yaml's `mail:`), each brief version once.")
@click.option("--force", is_flag=True, help="With --send: send again what was sent for this version already.")
@workspace_options
def mail(campaign: str | None, creator: str | None, send: bool, force: bool, workspace: Path) -> None:
    """Write an e-mail draft per creator (output/_mail/), or send them."""
    from .build import Selection
    from .diagnostics import escape_controls, render_text, summary
    from .mail import make_drafts, send as send_drafts
    from .processes import usable_cpus

    root = workspace.resolve()
    report = make_drafts(root, Selection(campaign, creator), jobs=usable_cpus())
    color = sys.stderr.isatty() and "NO_COLOR" not in os.environ
    if report.diagnostics:
        click.echo(render_text(report.diagnostics, root, color), err=True)
    if report.failed:
        click.echo(f"no e-mails: {summary(report.diagnostics)}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"{len(report.drafts)} draft{'s' * (len(report.drafts) != 1)} in {_shown(report.output)}_mail/ "
               "(open a .eml file to send it from your mail program)")
    if not send:
        return
    with click.progressbar(length=len(report.drafts), label="sending", show_pos=True,
                           file=sys.stderr) as bar:
        sent = send_drafts(report.drafts, report.settings, force=force, on_message=lambda draft: bar.update(1))
    for handle, why in sent.failed:
        click.echo(escape_controls(f"  not sent to {handle}: {why}"), err=True)
    skipped = f", {len(sent.skipped)} sent before (--force sends again)" if sent.skipped else ""
    click.echo(f"{len(sent.sent)} sent{skipped}" + (f", {len(sent.failed)} failed" if sent.failed else ""))
    if sent.failed:
        sys.exit(EXIT_INVALID)


@cli.command()
@click.option("--git-branch", "branch", required=True, metavar="NAME", help="The branch to publish to, e.g. gh-pages.")
@click.option("--remote", default="origin", show_default=True, help="The remote to push the branch to.")
@click.option("--message", metavar="TEXT", help="The commit message (default: names the source revision).")
@click.option("--public", is_flag=True, help="Publish without private_links: anyone may guess a packet's address.")
@workspace_options
def publish(branch: str, remote: str, message: str | None, public: bool, workspace: Path) -> None:
    """Build, then commit the packets to a branch and push it (never _team/ or _mail/)."""
    from .diagnostics import escape_controls, render_text, summary
    from .publish import publish as run_publish

    root = workspace.resolve()
    published = run_publish(root, branch, remote, message, public)
    if published.diagnostics:
        click.echo(render_text(published.diagnostics, root, sys.stderr.isatty()), err=True)
    if published.commit is None:
        click.echo(f"nothing published: {summary(published.diagnostics)}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(escape_controls(f"published {published.files} files to {remote}/{branch} "
                               f"(commit {published.commit[:12]})"))


def _inside_workspace(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        raise click.BadParameter(f"{path} is not inside the workspace {root}", param_hint="PATHS")
    return resolved


def main() -> None:
    cli(prog_name="briefkit")
