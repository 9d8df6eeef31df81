"""The ``veille`` command line: thin wrappers over library functions.

Exit codes: 0 done (rejected documents are reported, not fatal), 1 failure (or any
rejection with --strict), 2 usage error. The store file is always the first argument.
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.resources import files
from pathlib import Path

import click

from veille import __version__
from veille.errors import UsageError, VeilleError
from veille.records import PLOVER_TYPES, Rejection

#: Exit codes (README, "Exit codes"): 0 done, 1 failure, 2 usage error, 4 `serve` cannot have its port.
EXIT_ADDRESS_IN_USE = 4


def _fail(exc: VeilleError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2 if isinstance(exc, UsageError) else 1)


def _say_rejected(rej: Rejection) -> None:
    click.echo(rej.message(), err=True)


def sample_dir() -> Path:
    """The bundled sample corpus (the seeds and some French and English reports)."""
    return Path(str(files("veille").joinpath("sample")))


def _shown_date(value: object, precision: str | None) -> str | None:
    """A date as precise as the source states it: 2010 for a year, 2010-03 for a month."""
    if value is None:
        return None
    text = str(value)
    return {"year": text[:4], "month": text[:7]}.get(precision or "day", text)


#: --lang: "auto" or a language veille codes (its spaCy models).
LANGS = ("auto", "fr", "en")
LANG = click.option("--lang", type=click.Choice(LANGS, case_sensitive=False), default="auto", show_default=True,
                    help="Language of the reports, or auto (detected per report).")
CODER = click.option("--coder", type=click.Choice(["auto", "learned", "rules"]), default="auto", show_default=True,
                     help="Event coder: learned (models trained on silver data), rules (the hand-written "
                          "baseline), or auto (learned where it beat the rules on every dev set).")
MAX_BYTES = click.option("--max-bytes", default=20_000_000, show_default=True, help="Largest report accepted (bytes).")


def _nothing_found(count: int, inputs: tuple[str, ...]) -> None:
    """Say so (and exit 1) when the inputs held no report at all: an empty folder, a wrong glob."""
    if count == 0:
        click.echo(f"error: no report found in {' '.join(inputs)} (empty, or only hidden files)", err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="veille")
def main() -> None:
    """veille: who did what to whom, when and where, from your own news corpus."""


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@click.argument("inputs", nargs=-1)
@click.option("--sample", is_flag=True, help="Also ingest the bundled sample corpus.")
@LANG
@click.option("--reader", type=click.Choice(["text", "html", "jsonl", "warc"]), help="Force an input format.")
@MAX_BYTES
@click.option("--actors", "actor_file", type=click.Path(exists=True, dir_okay=False), help="User actor table (TSV) adding or overriding entries.")
@click.option("--no-code", is_flag=True, help="Only ingest and clean; do not code events.")
@CODER
@click.option("--strict", is_flag=True, help="Exit 1 if any input was rejected.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes (default: every core).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: processes on this machine; dask: a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (tcp://host:8786); default: a local cluster.")
@click.option("--parquet-out", metavar="DIR", help="Workers write Parquet partitions to DIR (or an fsspec URL) "
              "instead of the store; then `veille load STORE DIR`.")
def ingest(store, inputs, sample, lang, reader, max_bytes, actor_file, no_code, coder, strict, quiet,
           workers, engine, scheduler, parquet_out):
    """Read, clean, code and store reports: files, directories, globs, JSON Lines, WARC, or - (stdin)."""
    from veille.engines import run
    from veille.engines.display import ProgressDisplay
    from veille.pipeline import PipelineOptions

    sources = list(inputs) + ([str(sample_dir())] if sample else [])
    if not sources:
        raise click.UsageError("give at least one input (a file, directory, glob or -), or --sample")
    options = PipelineOptions(lang=lang, max_bytes=max_bytes, reader=reader,
                              actor_file=Path(actor_file) if actor_file else None, code=not no_code,
                              coder=coder)
    try:
        with ProgressDisplay(quiet) as show:
            stats = run(store, sources, engine=engine, scheduler=scheduler, workers=workers, options=options,
                        parquet_out=parquet_out, on_rejection=_say_rejected, on_progress=show)
    except VeilleError as exc:
        _fail(exc)
    target = parquet_out or store
    click.echo(
        f"{stats.seen} reports read, {stats.stored} stored, {stats.duplicates} already stored, "
        f"{stats.rejected} rejected, {stats.events} events in {stats.seconds:.1f} s -> {target}"
    )
    if strict and stats.rejected:
        sys.exit(1)


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@click.argument("parquet_dir", type=click.Path(file_okay=False))
def load(store, parquet_dir):
    """Load Parquet partitions written by `ingest --parquet-out` into STORE (idempotent)."""
    from veille.engines import load as run

    try:
        counts = run(store, parquet_dir)
    except VeilleError as exc:
        _fail(exc)
    click.echo(", ".join(f"{n} {table}" for table, n in counts.items()) + f" loaded -> {store}")


def _emit(rows: list[dict], columns: list[str], fmt: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
        Console(width=max(160, Console().width)).print(table)


FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@FORMAT
@click.option("--limit", default=1000, show_default=True)
def documents(store, fmt, limit):
    """List stored documents: id, date (+precision), lang, source, title, words."""
    from veille.store import Store

    try:
        rows = Store(store).query(
            "SELECT id, published, date_precision, lang, source, title, words FROM documents "
            "ORDER BY published NULLS LAST, id LIMIT ?", [limit])
    except VeilleError as exc:
        _fail(exc)
    cols = ["id", "date", "precision", "lang", "source", "title", "words"]
    out = [dict(zip(cols, r)) for r in rows]
    if fmt != "jsonl":
        for row in out:
            row["date"] = _shown_date(row["date"], row["precision"])
    _emit(out, cols, fmt)


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@FORMAT
@click.option("--limit", default=1000, show_default=True)
def rejected(store, fmt, limit):
    """List rejected inputs with the reason."""
    from veille.store import Store

    try:
        rows = Store(store).query("SELECT file, record, reason, time FROM rejected ORDER BY time, file LIMIT ?", [limit])
    except VeilleError as exc:
        _fail(exc)
    cols = ["file", "record", "reason", "time"]
    _emit([dict(zip(cols, r)) for r in rows], cols, fmt)


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@click.option("--actor", help="Actor code or prefix (USA matches USAGOV).")
@click.option("--recipient", help="Recipient code or prefix.")
@click.option("--type", "etype", type=click.Choice(PLOVER_TYPES, case_sensitive=False), help="PLOVER type, e.g. ACCUSE.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First event date (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last event date (YYYY-MM-DD).")
@click.option("--factuality", type=click.Choice(["asserted", "future", "hypothetical", "negated", "reported"]))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
@click.option("--limit", default=1000, show_default=True, help="Most events shown (the command says when more match).")
@click.option("--evidence", is_flag=True, help="Add the evidence sentence as a column (table and csv).")
def events(store, actor, recipient, etype, since, until, factuality, fmt, limit, evidence):
    """Query coded events (jsonl gives the full output contract)."""
    from veille.store import Store
    from veille.store.read import iter_event_records

    where, params = [], []
    if actor:
        where.append("EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.role = 'actor' AND a.code LIKE ?)")
        params.append(actor.upper() + "%")
    if recipient:
        where.append("EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.role = 'recipient' AND a.code LIKE ?)")
        params.append(recipient.upper() + "%")
    if etype:
        where.append("e.type = ?")
        params.append(etype.upper())
    if since:
        where.append("e.date >= ?")
        params.append(since.date())
    if until:
        where.append("e.date <= ?")
        params.append(until.date())
    if factuality:
        where.append("e.factuality = ?")
        params.append(factuality)
    condition = " AND ".join(where)
    try:
        with Store(store).reader() as con:
            records = list(iter_event_records(con, condition, params, limit=limit))
            total = len(records)
            if total == limit:
                count_sql = "SELECT count(*) FROM events e" + (f" WHERE {condition}" if condition else "")
                total = con.execute(count_sql, params).fetchone()[0]
    except VeilleError as exc:
        _fail(exc)
    if total > len(records):
        click.echo(f"{len(records)} of {total} events shown (raise --limit to see more)", err=True)
    if fmt == "jsonl":
        _emit(records, [], "jsonl")
        return
    rows = [{
        "date": _shown_date(r["date"], r.get("date_precision")), "type": r["event"][0],
        "actor": "+".join(a["code"] or a["text"] for a in r["actor"]),
        "recipient": "+".join(a["code"] or a["text"] for a in r["recipient"]) or "-", "factuality": r["factuality"],
        "trigger": r["text_info"]["trigger"], "evidence": r["text_info"]["text"],
        "doc": r["doc_id"] if fmt == "csv" else r["doc_id"][:10],
        "id": r["id"] if fmt == "csv" else r["id"][:10],
    } for r in records]
    columns = ["date", "type", "actor", "recipient", "factuality", "trigger"] + (["evidence"] if evidence else [])
    _emit(rows, columns + ["doc", "id"], fmt)


@main.command("clean")
@click.argument("inputs", nargs=-1, required=True)
@LANG
@MAX_BYTES
def clean_cmd(inputs, lang, max_bytes):
    """Clean reports without storing them: one JSON object per report."""
    from veille.clean import CleanOptions, clean
    from veille.ingest import ReadOptions, read_inputs
    from veille.output import document_dict

    options = CleanOptions(lang=None if lang == "auto" else lang)
    seen = 0
    try:
        for raw in read_inputs(inputs, ReadOptions(max_bytes=max_bytes, lang=None if lang == "auto" else lang)):
            seen += 1
            out = raw if isinstance(raw, Rejection) else clean(raw, options)
            if isinstance(out, Rejection):
                _say_rejected(out)
                continue
            click.echo(json.dumps(document_dict(out), ensure_ascii=False))
    except VeilleError as exc:
        _fail(exc)
    _nothing_found(seen, inputs)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@LANG
@MAX_BYTES
@click.option("--actors", "actor_file", type=click.Path(exists=True, dir_okay=False))
@CODER
def extract(inputs, fmt, lang, max_bytes, actor_file, coder):
    """Code events from reports without a store (JSONL input: its id becomes doc_id)."""
    from veille.pipeline import PipelineOptions
    from veille.pipeline import extract as run

    options = PipelineOptions(lang=lang, max_bytes=max_bytes, actor_file=Path(actor_file) if actor_file else None,
                              coder=coder)
    counted = {"reports": 0}
    try:
        records = run(inputs, options, on_rejection=_say_rejected, counter=counted)
        if fmt == "json":
            click.echo(json.dumps(list(records), ensure_ascii=False, indent=2))
        else:
            for record in records:
                click.echo(json.dumps(record, ensure_ascii=False))
    except VeilleError as exc:
        _fail(exc)
    _nothing_found(counted["reports"], inputs)


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]), default="parquet", show_default=True)
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False), help="Output directory.")
def export(store, fmt, outdir):
    """Export every table to OUTDIR: documents, events, event_actors, rejected."""
    from veille.store import Store
    from veille.store.export import export as run

    try:
        written = run(Store(store), fmt, outdir)
    except VeilleError as exc:
        _fail(exc)
    for table, path in written.items():
        click.echo(f"{table}: {path}")


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--shared", type=click.Path(file_okay=False), help="Folder that gold 'file' paths are relative to.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@CODER
def evaluate(gold, shared, as_json, coder):
    """Run the coder over a gold file and print P/R/F1 per language."""
    from veille.evaluate.runner import evaluate_file
    from veille.pipeline import PipelineOptions

    try:
        scores, table = evaluate_file(Path(gold), Path(shared) if shared else None, PipelineOptions(coder=coder))
    except VeilleError as exc:
        _fail(exc)
    except (ValueError, FileNotFoundError, UnicodeDecodeError) as exc:  # a malformed gold file: one line
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(scores.to_dict(), indent=2) if as_json else table)


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (other than loopback exposes the store).")
@click.option("--port", default=8000, show_default=True)
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (besides localhost, IP addresses and --host).")
@click.option("--extract-timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Seconds one POST /api/extract may run before it is stopped (503).")
def serve(store, host, port, allow_hosts, extract_timeout):
    """Serve the REST API and the dashboard over a store (read-only)."""
    from veille.web import serve as run
    from veille.web.server import AddressInUse

    try:
        run(store, host=host, port=port, allow_hosts=allow_hosts, extract_timeout=extract_timeout)
    except AddressInUse as exc:
        click.echo(f"error: [V070] {exc}", err=True)
        sys.exit(EXIT_ADDRESS_IN_USE)


@main.command("check")
@click.argument("store", type=click.Path(dir_okay=False))
def check_cmd(store):
    """Check a store's integrity: every event cites its document's text exactly (exit 1 on problems)."""
    from veille.store.check import check_store

    problems = check_store(store)
    for problem in problems:
        click.echo(problem.message())
    if problems:
        click.echo(f"{len(problems)} problem(s) found in {store}", err=True)
        sys.exit(1)
    click.echo(f"{store}: ok")


def _duration(value: str, what: str) -> float:
    from veille.alerts.rules import duration_seconds

    try:
        return duration_seconds(value, what)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@click.option("--feeds", "feeds_file", required=True, type=click.Path(dir_okay=False),
              help="File with one RSS/Atom feed or sitemap URL a line (# for comments).")
@click.option("--once", is_flag=True, help="Poll every feed once and exit (for cron and tests).")
@click.option("--interval", default="15m", show_default=True, help="Time between polls: 90s, 15m, 1h…")
@click.option("--alerts", "rules_file", type=click.Path(dir_okay=False), help="Alert rules (TOML) checked after each poll.")
@click.option("--alerts-out", type=click.Path(dir_okay=False), help="Also append each alert as JSON to this JSON Lines file.")
@click.option("--allow-private", is_flag=True, help="Fetch from loopback, private and link-local addresses too.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Fetch from this host even at a private address (an intranet feed); repeatable.")
@click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
              help="PEM file of certificate authorities to trust for https (a private CA).")
@click.option("--max-bytes", default=5_000_000, show_default=True, help="Largest article fetched (bytes).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds one response may take, headers and body.")
@click.option("--retries", type=click.IntRange(min=0, max=10), default=2, show_default=True,
              help="Further tries after a timeout, a connection error, 429 or 5xx.")
@click.option("--backoff", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds before the first retry, doubled each time.")
@click.option("--host-delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between two requests to one host (robots.txt Crawl-delay wins when longer).")
@LANG
@CODER
@click.option("--actors", "actor_file", type=click.Path(exists=True, dir_okay=False), help="User actor table (TSV).")
@click.option("--quiet", "-q", is_flag=True, help="No live status line.")
def watch(store, feeds_file, once, interval, rules_file, alerts_out, allow_private, allow_hosts, ca_bundle, max_bytes, timeout, retries,
          backoff, host_delay, lang, coder, actor_file, quiet):
    """Follow feeds: fetch each new article once, code and store it as it arrives, check alert rules."""
    import signal
    import threading

    from veille.alerts import load_rules
    from veille.engines.display import StatusLine
    from veille.pipeline import PipelineOptions
    from veille.watch import WatchOptions
    from veille.watch import watch as run
    from veille.watch.feeds import read_feed_list
    from veille.watch.fetch import FetchOptions

    seconds = _duration(interval, "interval")
    try:
        feeds = read_feed_list(feeds_file)
        rules = load_rules(rules_file) if rules_file else []
    except VeilleError as exc:
        _fail(exc)
    options = WatchOptions(
        feeds=tuple(feeds), interval=seconds, once=once, rules=tuple(rules),
        alerts_out=Path(alerts_out) if alerts_out else None,
        fetch=FetchOptions(max_bytes=max_bytes, timeout=timeout, retries=retries, backoff=backoff,
                           host_delay=host_delay, allow_private=allow_private,
                           allow_hosts=tuple(h.lower() for h in allow_hosts), ca_bundle=ca_bundle),
        pipeline=PipelineOptions(lang=lang, coder=coder, actor_file=Path(actor_file) if actor_file else None),
    )
    stop = threading.Event()

    def _stop(signum, _frame):
        if stop.is_set():
            return
        stop.set()
        click.echo(f"stopping ({signal.Signals(signum).name}): finishing the article in hand", err=True)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop)
    try:
        with StatusLine(quiet) as status:
            def say(line: str) -> None:
                status.clear()
                click.echo(line, err=not line.startswith(("ALERT", "poll ")))

            polls = run(store, options, say, progress=status.show, stop=stop)
    except VeilleError as exc:
        _fail(exc)
    stored = sum(p.stored for p in polls)
    click.echo(f"{len(polls)} poll(s), {stored} articles stored, {sum(p.events for p in polls)} events, "
               f"{sum(p.alerts for p in polls)} alerts -> {store}")


@main.command()
@click.argument("store", type=click.Path(dir_okay=False))
@click.option("--days", type=click.IntRange(min=1), default=14, show_default=True, help="Days of arrivals shown.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def status(store, days, fmt):
    """Feeds (last poll, errors), articles fetched, documents and events per day, alerts."""
    from veille.store import Store
    from veille.store.monitor import list_alerts
    from veille.store.monitor import status as read_status

    try:
        found = read_status(Store(store), days)
        found["latest_alerts"] = list_alerts(Store(store), 10)
    except VeilleError as exc:
        _fail(exc)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, default=str, indent=1))
        return
    if found["feeds"]:
        _emit([{**f, "last_poll": str(f["last_poll"] or "")[:19], "last_ok": str(f["last_ok"] or "")[:19],
                "last_error": (f["last_error"] or "")[:80]} for f in found["feeds"]],
              ["url", "last_poll", "last_ok", "polls", "errors", "entries", "articles", "last_error"], "table")
    else:
        click.echo("no feed watched yet (veille watch STORE --feeds FILE)")
    if found["fetched"]:
        click.echo("articles fetched: " + ", ".join(f"{n} {k}" for k, n in sorted(found["fetched"].items())))
    _emit(found["per_day"], ["day", "documents", "events"], "table")
    click.echo(f"{found['alerts']} alerts")
    for alert in found["latest_alerts"]:
        click.echo(f"  {alert['fired_at'][:19]}  {alert['rule']}: {alert['count']} events "
                   f"{alert['window_start']}..{alert['window_end']} [{alert['id']}]")


@main.command("alerts")
@click.argument("store", type=click.Path(dir_okay=False))
@click.option("--rules", "rules_file", required=True, type=click.Path(dir_okay=False), help="Alert rules (TOML).")
@click.option("--alerts-out", type=click.Path(dir_okay=False), help="Append each alert as JSON to this JSON Lines file.")
@click.option("--record", is_flag=True, help="Fire for real: store alerts not fired before and call webhooks "
              "(default: a backtest that only prints).")
def alerts_cmd(store, rules_file, alerts_out, record):
    """Check alert rules over the whole store (a backtest; --record to fire them as a watch would)."""
    from veille.alerts import check_alerts, load_rules
    from veille.store import Store

    try:
        rules = load_rules(rules_file)
        Store(store).counts()  # a clear error when STORE is not a store
        fired = check_alerts(store, rules, click.echo, alerts_out=Path(alerts_out) if alerts_out else None,
                             record=record)
    except VeilleError as exc:
        _fail(exc)
    click.echo(f"{len(fired)} alert(s) from {len(rules)} rule(s)" + ("" if record else " (backtest: not recorded)"),
               err=True)


if __name__ == "__main__":
    main()
