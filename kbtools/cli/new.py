"""`kb new`: turn a resolved ticket's write-up into a KB article."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kbtools.article import schema
from kbtools.cli.options import config_file_option
from kbtools.clock import today
from kbtools.errors import ConfigError, DuplicateError, ExitCode, InputError, KbError
from kbtools.wording import plural

if TYPE_CHECKING:
    from kbtools.article.dedupe import Candidate
    from kbtools.article.render import Article
    from kbtools.article.store import StoredArticle
    from kbtools.project import Project
    from kbtools.sensitive import Redactor
    from kbtools.ticket import Ticket

FORMAT_CHOICES = ("auto", "markdown", "text", "email", "zendesk")
RELATED_FRACTION = 0.6
"""Articles scoring at least this share of the duplicate threshold are named as related."""


def stdin_is_terminal() -> bool:
    """True when a person is typing (tests replace this to drive the questions)."""
    return sys.stdin.isatty()


@click.command("new")
@click.argument("source", required=False)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMAT_CHOICES),
    default="auto",
    show_default=True,
    help="Input format of SOURCE.",
)
@click.option(
    "--type",
    "article_type",
    type=click.Choice(schema.ARTICLE_TYPES),
    help="Article type (default: guessed from the write-up, else troubleshooting).",
)
@click.option("--product-area", help="Product area (default: guessed from the configured list).")
@click.option(
    "--visibility",
    type=click.Choice(schema.VISIBILITIES),
    default="internal",
    show_default=True,
    help="Who may read the article once published.",
)
@click.option(
    "--no-input", is_flag=True, help="Never ask questions (an unclear area takes the default)."
)
@click.option("--dry-run", is_flag=True, help="Print the article; write nothing.")
@click.option("--allow-duplicate", is_flag=True, help="Create it even if a similar article exists.")
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Save a draft with TODO markers when the fix is missing.",
)
@click.option(
    "--update",
    "update_id",
    metavar="KB-0042",
    help="Add the ticket to an existing article instead of creating one.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object describing the result."
)
@click.option(
    "--edit",
    is_flag=True,
    help="Review the article in $VISUAL/$EDITOR first; written only if the editor exits 0.",
)
@config_file_option
def new_command(**options: Any) -> int:
    """Create a KB article from SOURCE (a file, or - for stdin).

    Without SOURCE on a terminal, kb new asks for the title, type, product area, problem,
    cause and resolution. Exit 0 created, 3 a likely duplicate exists (nothing written),
    2 bad input.
    """
    try:
        # The options go to _new unchanged; it holds their types.
        return _new(**options)
    except KbError as exc:
        if options["as_json"]:
            # Scripts read stdout: the failure is a JSON object too, with the same exit code.
            payload = {**exc.details, "error": _error_object(exc)}
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        raise


def _error_object(exc: KbError) -> dict[str, str | None]:
    return {"kind": exc.kind, "message": exc.message, "hint": exc.hint}


def _new(
    source: str | None,
    format_name: str,
    article_type: str | None,
    product_area: str | None,
    visibility: str,
    *,
    no_input: bool,
    dry_run: bool,
    allow_duplicate: bool,
    allow_incomplete: bool,
    update_id: str | None,
    as_json: bool,
    edit: bool = False,
    config_file: str | None,
) -> int:
    from kbtools.project import Project

    if edit and no_input:
        raise InputError("--edit opens an editor, --no-input asks nothing: use one of them")
    project = Project.load(config_file)
    interactive = source is None and not no_input and stdin_is_terminal()
    if interactive:
        content = _ask(project, article_type, product_area, allow_incomplete=allow_incomplete)
        try:
            return _from_content(
                project,
                content,
                "answers.md",
                "markdown",
                article_type,
                product_area,
                visibility,
                no_input=no_input,
                source=source,
                dry_run=dry_run,
                allow_duplicate=allow_duplicate,
                allow_incomplete=allow_incomplete,
                update_id=update_id,
                as_json=as_json,
                interactive=True,
                edit=edit,
            )
        except KbError as exc:
            # Nothing a person typed is lost: the answers stay in a file kb new reads.
            saved = _save_answers(project, content)
            if saved is not None:
                exc.hint = (
                    f"your answers are saved in {saved}: complete them and run `kb new {saved}`"
                )
            raise
    content, name = _read_source(source)
    return _from_content(
        project,
        content,
        name,
        format_name,
        article_type,
        product_area,
        visibility,
        no_input=no_input,
        source=source,
        dry_run=dry_run,
        allow_duplicate=allow_duplicate,
        allow_incomplete=allow_incomplete,
        update_id=update_id,
        as_json=as_json,
        interactive=False,
        edit=edit,
    )


def _save_answers(project: Project, content: str) -> str | None:
    """Write the typed answers next to mkdocs.yml (never over a file); the path, or None."""
    from kbtools.article import store

    try:
        path = store.write_new(project.root, "kb-new-answers", content + "\n")
    except (OSError, store.StoreError):
        return None
    return project.rel(path)


def _from_content(
    project: Project,
    content: str,
    name: str,
    format_name: str,
    article_type: str | None,
    product_area: str | None,
    visibility: str,
    *,
    no_input: bool,
    source: str | None,
    dry_run: bool,
    allow_duplicate: bool,
    allow_incomplete: bool,
    update_id: str | None,
    as_json: bool,
    interactive: bool,
    edit: bool = False,
) -> int:
    ticket = _parse(content, name, format_name, project)
    if update_id:
        return _update(project, ticket, update_id, dry_run=dry_run, as_json=as_json)
    if interactive and not product_area:
        product_area = ticket.fields.get("product_area") or None
    can_ask = not no_input and source != "-" and stdin_is_terminal() and not as_json
    if not product_area and can_ask:
        product_area = _ask_area_if_unknown(project, ticket)
    return _create(
        project,
        ticket,
        article_type=article_type,
        product_area=product_area,
        visibility=visibility,
        dry_run=dry_run,
        allow_duplicate=allow_duplicate,
        allow_incomplete=allow_incomplete,
        as_json=as_json,
        edit=edit,
    )


def _read_source(source: str | None) -> tuple[str, str]:
    if source == "-":
        data = sys.stdin.buffer.read()
        return _decode(data, "<stdin>"), ""
    if source is not None:
        path = Path(source)
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise InputError(f"{source}: is a folder, not a write-up") from None
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
        return _decode(data, source), path.name
    raise InputError("no SOURCE given: pass a file, or - to read the write-up from stdin")


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, not a write-up")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{name}:{line}: invalid UTF-8 (byte 0x{data[exc.start]:02x})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _ask(
    project: Project,
    article_type: str | None,
    product_area: str | None,
    *,
    allow_incomplete: bool = False,
) -> str:
    """Questions for a write-up typed at the terminal; answers become Markdown.

    The section that finishes an article (a troubleshooting Resolution) is asked again
    when left empty, so a slip of the Enter key does not end the session.
    """
    title = click.prompt("Title (the symptom in the customer's words)").strip()
    kind = article_type or click.prompt(
        "Type", type=click.Choice(schema.ARTICLE_TYPES), default="troubleshooting"
    )
    areas = list(project.kb.product_areas)
    area = product_area or click.prompt(
        "Product area",
        type=click.Choice(areas) if areas else str,
        default=areas[0] if areas else None,
    )
    labels = {
        "troubleshooting": ("Problem", "Error messages", "Cause", "Resolution"),
        "how-to": ("Goal", "Steps"),
        "known-issue": ("Problem", "Error messages", "Workaround"),
        "faq": ("Question", "Answer"),
    }[kind]
    parts = [f"Title: {title}", f"Type: {kind}", f"Product area: {area}", ""]
    for label in labels:
        if label == "Error messages":
            click.echo(
                "Error messages, exactly as logged, one a line (end with an empty line):",
                err=True,
            )
        else:
            click.echo(f"{label} (end with an empty line):", err=True)
        lines = _ask_lines()
        if not lines and label == labels[-1] and not allow_incomplete:
            click.echo(
                f"A {kind} article needs its {label}: type it now "
                "(an empty line again keeps your answers in a file to finish later):",
                err=True,
            )
            lines = _ask_lines()
        if not lines:
            continue
        if label == "Error messages":
            parts.extend([f"## {label}", "", "```text", *lines, "```", ""])
        else:
            parts.extend([f"## {label}", "", *lines, ""])
    return "\n".join(parts)


def _ask_lines() -> list[str]:
    lines: list[str] = []
    while True:
        line = click.prompt("", default="", show_default=False, prompt_suffix="> ")
        if not line.strip():
            return lines
        lines.append(line)


def _ask_area_if_unknown(project: Project, ticket: Ticket) -> str | None:
    """On a terminal, ask for the product area when the write-up does not tell it."""
    from kbtools import extract

    keywords = {k: list(v) for k, v in project.kb.new.product_area_keywords.items()}
    areas = list(project.kb.product_areas)
    if extract.product_area(ticket, areas, keywords):
        return None
    answer: str = click.prompt(
        "Product area (not clear from the write-up)",
        type=click.Choice(areas) if areas else str,
        err=True,
    )
    return answer


def _parse(content: str, name: str, format_name: str, project: Project) -> Ticket:
    from kbtools import sources
    from kbtools.sources.options import SourceOptions

    options = SourceOptions(
        agents=tuple(project.kb.new.agents), zendesk_fields=dict(project.kb.new.zendesk_fields)
    )
    try:
        return sources.parse(content, name, format_name, options)
    except sources.SourceError as exc:
        raise InputError(f"{name or '<stdin>'}: {exc}") from None


def make_redactor(ticket: Ticket, project: Project) -> Redactor:
    """One recall-first Redactor for the whole article (see `article/privacy.py`)."""
    from kbtools.article.privacy import redactor_for

    return redactor_for(ticket, project.kb.new.internal_domains)


def _create(
    project: Project,
    ticket: Ticket,
    *,
    article_type: str | None,
    product_area: str | None,
    visibility: str,
    dry_run: bool,
    allow_duplicate: bool,
    allow_incomplete: bool,
    as_json: bool,
    edit: bool = False,
) -> int:
    from kbtools.article import dedupe, store
    from kbtools.article.render import ArticleOptions, IncompleteError, build

    kb = project.kb
    if product_area and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", product_area):
        raise InputError(
            f"--product-area {product_area!r}: use a folder name of a-z, 0-9 and - (e.g. search)"
        )
    if product_area and kb.product_areas and product_area not in kb.product_areas:
        raise InputError(
            f"--product-area {product_area!r} is not one of {', '.join(kb.product_areas)}"
        )
    default_area = kb.new.default_product_area
    if default_area and kb.product_areas and default_area not in kb.product_areas:
        raise ConfigError(
            f"{project.rel(project.config.path)}: kb.new.default_product_area {default_area!r} "
            f"is not one of product_areas ({', '.join(kb.product_areas)})"
        )
    redactor = make_redactor(ticket, project)
    options = ArticleOptions(
        article_type=article_type,
        product_area=product_area,
        visibility=visibility,
        allow_incomplete=allow_incomplete,
        today=today(),
        review_days=kb.new.review_days,
        product_areas=list(kb.product_areas),
        area_keywords={k: list(v) for k, v in kb.new.product_area_keywords.items()},
        extra_services=list(kb.new.services),
        default_area=kb.new.default_product_area,
    )

    def redact(text: str, *, in_code: bool = False) -> str:
        return str(redactor.redact(text, in_code=in_code))

    articles_dir = project.articles_dir
    try:
        article = build(ticket, options, redact, "KB-0000")
    except IncompleteError as exc:
        raise InputError(str(exc)) from None
    except ValueError as exc:
        raise InputError(str(exc)) from None
    folder = store.article_folder(articles_dir, str(article.meta["product_area"]))
    slug = store.slugify(article.title)

    stored: list[store.StoredArticle] = []

    def check_duplicates() -> list[Candidate]:
        # Read the docs once per check: the same files give the entries and the used ids.
        stored[:] = store.read_articles(articles_dir)
        entries = dedupe.load_entries(articles_dir, stored)
        threshold = kb.new.duplicate_threshold
        scored = dedupe.score_all(entries, article.title, article.problem, article.error_lines)
        # Below the threshold but close: worth a look before publishing (search before create).
        related = [c for c in scored if threshold * RELATED_FRACTION <= c.score < threshold]
        for candidate in related[:3]:
            note = (
                f"possibly related: {candidate.id} {project.rel(Path(candidate.path))} "
                f"(score {candidate.score:.2f})"
            )
            if note not in article.warnings:
                article.warnings.append(note)
        return [c for c in scored if c.score >= threshold]

    redactions = _redaction_counts(redactor)
    if edit and (allow_duplicate or not check_duplicates()):
        folder, slug = _edit(project, article, folder, slug, stored)
    if dry_run:
        duplicates = check_duplicates()
        history = store.ids_in_git_history(project.root, articles_dir, kb.id_prefix)
        article.meta["id"] = store.next_id(articles_dir, kb.id_prefix, history, stored)
        planned = folder / f"{slug}.md"
        blocked = bool(duplicates) and not allow_duplicate
        if blocked:
            article.warnings.append(_duplicate_message(project, duplicates))
        _report(project, article, planned, redactions, duplicates, as_json, dry_run=True)
        # The same exit status as the real run would give, so scripts can preview it.
        return int(ExitCode.DUPLICATE if blocked else ExitCode.OK)
    try:
        with store.project_lock(project.root):
            path, duplicates = _write_locked(
                project,
                article,
                folder,
                slug,
                check_duplicates,
                stored,
                allow_duplicate=allow_duplicate,
                as_json=as_json,
                redactions=redactions,
            )
    except store.StoreError as exc:
        raise InputError(str(exc)) from None
    if edit:
        from kbtools.article.edit import lint_findings

        article.warnings.extend(lint_findings(project, path))
    _report(project, article, path, redactions, duplicates, as_json, dry_run=False)
    return int(ExitCode.OK)


def _edit(
    project: Project,
    article: Article,
    folder: Path,
    slug: str,
    stored: list[StoredArticle],
) -> tuple[Path, str]:
    """`--edit`: the user reviews the article; its title and area may move the file."""
    from kbtools.article import edit, store

    kb = project.kb
    history = store.ids_in_git_history(project.root, project.articles_dir, kb.id_prefix)
    article.meta["id"] = store.next_id(project.articles_dir, kb.id_prefix, history, stored)
    article.edited = edit.edit_text(article.text(), f"{slug}.md")
    title = edit.front_value(article.edited, "title")
    area = edit.front_value(article.edited, "product_area")
    allowed = not kb.product_areas or area in kb.product_areas
    if area and re.fullmatch(r"[a-z0-9][a-z0-9-]*", area) and allowed:
        folder = store.article_folder(project.articles_dir, area)
    return folder, store.slugify(title) if title else slug


def _write_locked(
    project: Project,
    article: Article,
    folder: Path,
    slug: str,
    check_duplicates: Callable[[], list[Candidate]],
    stored: list[StoredArticle],
    *,
    allow_duplicate: bool,
    as_json: bool,
    redactions: list[dict[str, Any]],
) -> tuple[Path, list[Candidate]]:
    """Under the project lock: duplicate check, next id, exclusive write, nav entry."""
    from kbtools.article import nav, store

    kb = project.kb
    duplicates = check_duplicates()  # also refreshes `stored`
    if duplicates and not allow_duplicate:
        error = DuplicateError(_duplicate_message(project, duplicates))
        # `--json` prints these fields beside the error object (see new_command).
        error.details = _json_payload(project, None, None, redactions, duplicates, article.warnings)
        raise error
    history = store.ids_in_git_history(project.root, project.articles_dir, kb.id_prefix)
    article.meta["id"] = store.next_id(project.articles_dir, kb.id_prefix, history, stored)
    if article.edited is not None:
        from kbtools.article.edit import set_front_id

        article.edited = set_front_id(article.edited, str(article.meta["id"]))
    try:
        path = store.write_new(folder, slug, article.text())
    except OSError as exc:
        raise InputError(f"cannot write the article in {project.rel(folder)}: {exc}") from None
    if project.config.nav is not None:
        page = path.relative_to(project.docs_dir).as_posix()
        try:
            edit = nav.update_nav_file(project.config.path, page, article.title, kb.articles_dir)
        except OSError as exc:
            article.warnings.append(f"not added to the nav: cannot edit mkdocs.yml: {exc}")
        else:
            if edit.text is None:
                article.warnings.append(f"not added to the nav in mkdocs.yml: {edit.reason}")
    return path, duplicates


def _update(
    project: Project, ticket: Ticket, article_id: str, *, dry_run: bool, as_json: bool
) -> int:
    """`--update KB-0042`: add the ticket, new versions and error lines to that article."""
    from kbtools import extract
    from kbtools.article import store, update

    if not schema.ID_PATTERN.match(article_id):
        raise InputError(f"--update {article_id!r}: expected an article id such as KB-0042")
    path = store.find_by_id(project.docs_dir, article_id)
    if path is None:
        raise InputError(
            f"--update {article_id}: no article with this id under {project.rel(project.docs_dir)}"
        )
    redactor = make_redactor(ticket, project)
    errors = [
        str(redactor.redact(line, in_code=True))
        for line in extract.unique_error_lines(ticket.error_lines)
    ]
    with path.open(encoding="utf-8", newline="") as handle:
        before = handle.read()
    try:
        result = update.merge(
            before,
            tickets=ticket.tickets,
            versions=extract.versions(ticket),
            error_lines=errors,
            today=today(),
        )
    except update.UpdateError as exc:
        raise InputError(f"{project.rel(path)}: {exc}") from None
    warnings = list(ticket.warnings)
    if not ticket.tickets:
        warnings.append("the write-up names no ticket id: only versions and error lines merged")
    patch = update.diff(project.rel(path), before, result.text)
    if not dry_run:
        store.replace_file(path, result.text)
    redactions = _redaction_counts(redactor)
    if as_json:
        _emit_json(
            project,
            path,
            article_id,
            redactions,
            [],
            warnings,
            {"updated": not dry_run, "diff": patch},
        )
        return int(ExitCode.OK)
    click.echo(patch, nl=False)
    for warning in warnings:
        click.echo(f"kb: warning: {warning}", err=True)
    verb = "would update" if dry_run else "updated"
    click.echo(
        f"kb: {verb} {project.rel(path)} ({article_id}): "
        f"{plural(len(result.added_tickets), 'ticket')}, "
        f"{plural(len(result.added_versions), 'version')}, "
        f"{plural(len(result.added_errors), 'error line')} added",
        err=True,
    )
    return int(ExitCode.OK)


def _redaction_counts(redactor: Any) -> list[dict[str, Any]]:
    counts = dict(getattr(redactor, "counts", {}) or {})
    return [{"kind": kind, "count": int(n)} for kind, n in sorted(counts.items()) if n]


def _duplicate_message(project: Project, duplicates: list[Candidate]) -> str:
    lines = [
        "a similar article already exists (use --update ID to add this ticket to it, "
        "or --allow-duplicate to create a new one):"
    ]
    for candidate in duplicates[:5]:
        lines.append(
            f"  {candidate.id or '(no id)'}  {project.rel(Path(candidate.path))}  "
            f"score {candidate.score:.2f}  {candidate.title}"
        )
    return "\n".join(lines)


def _emit_json(
    project: Project,
    path: Path | None,
    article_id: str | None,
    redactions: list[dict[str, Any]],
    duplicates: list[Candidate],
    warnings: list[str],
    extra: dict[str, Any] | None = None,
) -> None:
    payload = _json_payload(project, path, article_id, redactions, duplicates, warnings, extra)
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _json_payload(
    project: Project,
    path: Path | None,
    article_id: str | None,
    redactions: list[dict[str, Any]],
    duplicates: list[Candidate],
    warnings: list[str],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "path": project.rel(path) if path else None,
        "id": article_id,
        "redactions": redactions,
        "duplicates": [
            {"id": c.id, "path": project.rel(Path(c.path)), "score": c.score} for c in duplicates
        ],
        "warnings": warnings,
    }
    payload.update(extra or {})
    return payload


def _report(
    project: Project,
    article: Article,
    path: Path,
    redactions: list[dict[str, Any]],
    duplicates: list[Candidate],
    as_json: bool,
    *,
    dry_run: bool,
) -> None:
    article_id = str(article.meta["id"])
    if as_json:
        extra = {"dry_run": True, "article": article.text()} if dry_run else None
        _emit_json(project, path, article_id, redactions, duplicates, article.warnings, extra)
        return
    if dry_run:
        click.echo(article.text(), nl=False)
    for warning in article.warnings:
        click.echo(f"kb: warning: {warning}", err=True)
    if redactions:
        summary = ", ".join(f"{r['count']} {r['kind']}" for r in redactions)
        click.echo(f"kb: redacted {summary}", err=True)
    verb = "would create" if dry_run else "created"
    click.echo(f"kb: {verb} {project.rel(path)} ({article_id}, status: draft)", err=True)
    if not dry_run:
        from kbtools.site.preview import preview_url

        # The path alone on stdout, for scripts: `$EDITOR "$(kb new notes.md)"`.
        click.echo(project.rel(path))
        url = preview_url(project.config, path.relative_to(project.docs_dir).as_posix())
        click.echo(f"kb: preview it: run `kb serve`, then open {url}", err=True)
