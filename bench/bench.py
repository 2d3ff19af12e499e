#!/usr/bin/env python3
"""wa-docs benchmarks against mdBook, Hugo and Pagefind on generated corpora, and the scaling
targets they are held to.

Run through bench/run, which installs the pinned peers. For each corpus size it builds the same
text with every tool (median of timed runs after one warm-up, via /usr/bin/time -v), sums the
output and finds its largest file, serves each site on loopback and measures, in headless
Chromium, the gzipped bytes a browser transfers for a first single-word search and the query
latency, then builds once more with WA_DOCS_TIMINGS=1 for wa-docs' stage timings. It then
measures `wa-docs serve` (start time, peak memory, edit-to-reload latency; see serve_bench.py)
and writes everything to bench/results.md, headed by a table of the targets with pass/fail.
"""
import argparse
import gzip
import http.server
import json
import os
import random
import re
import shutil
import signal
import socketserver
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import serve_bench
from benchlib import HERE, MDBOOK, OUT, PAGEFIND, MemGuard, corpus, fmt_bytes, snapshot_wa

WORD = "hirel"  # a mid-frequency word of the generated vocabulary
BIG = 10_000  # sizes above this take --runs-100k timed runs instead of --runs


@dataclass
class Measure:
    """Median wall and CPU (user+system) seconds and peak RSS (MiB) of `runs` timed builds.
    `only` marks a single build that was not preceded by a warm-up (over the time budget);
    `stopped` says why a build did not finish (its figures are then those at the stop)."""
    wall: float
    cpu: float
    rss: float
    runs: int
    only: bool = False
    stopped: str = ""

    @property
    def ok(self):
        return not self.stopped


def time_once(cmd, mem_floor, env=None):
    """One run under /usr/bin/time -v and the memory guard: a Measure and the command's stderr."""
    p = subprocess.Popen(["/usr/bin/time", "-v"] + [str(c) for c in cmd], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    with MemGuard(p.pid, mem_floor) as guard:
        out, err = p.communicate()
    m = re.search(r"Elapsed \(wall clock\) time .*: (.*)", err)
    if not m:  # /usr/bin/time itself did not report
        return Measure(0, 0, 0, 0, stopped=f"no report from /usr/bin/time (exit {p.returncode})"), err
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", err).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", err).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    meas = Measure(wall_of(m.group(1)), user + system, rss, 1)
    if guard.tripped:
        meas.stopped = guard.tripped
    elif p.returncode != 0:
        said = [l for l in err.splitlines() if l.strip() and not l.startswith("\t")]
        meas.stopped = f"failed (exit {p.returncode}): {said[-1] if said else ''}"
        print(f"failed: {' '.join(map(str, cmd))}\n{out[-2000:]}\n{err[-4000:]}", file=sys.stderr)
    return meas, err


def timed(cmd, runs, budget, mem_floor):
    """Median of `runs` timed builds after a warm-up. A tool whose warm-up took longer than
    `budget` seconds is not built again: that build is its one sample (mdBook needs minutes at
    10,000 pages, and at that length the page cache a warm-up fills is a small share)."""
    first, _ = time_once(cmd, mem_floor)
    if not first.ok:
        return first
    if budget is not None and first.wall > budget:
        first.only = True
        return first
    samples = []
    for _ in range(runs):
        s, _ = time_once(cmd, mem_floor)
        if not s.ok:
            return s
        samples.append(s)
    return Measure(statistics.median(s.wall for s in samples), statistics.median(s.cpu for s in samples),
                   statistics.median(s.rss for s in samples), len(samples))


def wall_of(wall):
    parts = [float(x) for x in wall.split(":")]
    return sum(v * 60 ** (len(parts) - 1 - k) for k, v in enumerate(parts))


WORDS = ("model prompt guardrail dataset evaluation latency drift tenant agent retrieval policy "
         "review audit fairness privacy safety incident rollback threshold sample label feature "
         "pipeline endpoint quota cost owner approval metric baseline release canary trace").split()


def lens_corpus(d, lenses, pillars=6, questions=10, practices=6, scenarios=8):
    """A lens-heavy project: `lenses` x pillars x questions x practices best practices, eight
    dimension pages and scenario pages with checklists. Deterministic."""
    rng = random.Random(7)
    dims = ["fairness", "explainability", "privacy-security", "safety", "controllability",
            "veracity-robustness", "governance", "transparency"]

    def text(n):
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    def block(indent, paras=2, words=60):
        pad = " " * indent
        return "|\n" + "\n\n".join(pad + text(words) for _ in range(paras)) + "\n"

    shutil.rmtree(d, ignore_errors=True)
    (d / "lenses").mkdir(parents=True)
    (d / "content" / "dimensions").mkdir(parents=True)
    (d / "content" / "scenarios").mkdir(parents=True)
    (d / "book.toml").write_text('[book]\ntitle = "Lens-heavy benchmark"\n')
    (d / "content" / "index.md").write_text("---\ntitle: Home\n---\n\nLens-heavy benchmark corpus.\n")
    for w, dim in enumerate(dims):
        (d / "content" / "dimensions" / f"{dim}.md").write_text(
            f"---\ntitle: {dim.replace('-', ' ').title()}\nkind: dimension\nid: {dim}\nweight: {w}\n---\n\n{text(80)}\n")
    all_bps = []
    for l in range(lenses):
        out = [f"id: bench-lens-{l}", f"name: Benchmark lens {l}", 'version: "1"', "description: " + block(2), "pillars:"]
        for p in range(pillars):
            pid = f"L{l}P{p}"
            out += [f"  - id: {pid}", f"    name: Pillar {p} of lens {l}", "    description: " + block(6, 1), "    questions:"]
            for q in range(questions):
                qid = f"{pid}Q{q:02d}"
                out += [f"      - id: {qid}", f"        title: How do you handle {' '.join(rng.sample(WORDS, 4))}?",
                        "        description: " + block(10, 1), "        best-practices:"]
                for b in range(practices):
                    bid = f"{qid}-BP{b + 1:02d}"
                    all_bps.append(bid)
                    out += [f"          - id: {bid}", f"            title: {text(8)[:-1]}",
                            f"            risk: {rng.choice(['high', 'medium', 'low'])}",
                            f"            dimensions: [{', '.join(rng.sample(dims, 2))}]",
                            "            general: true",
                            "            description: " + block(14),
                            "            implementation: " + block(14, 3),
                            "            improvement-plan:", "              text: " + block(16, 1)]
        (d / "lenses" / f"bench-lens-{l}.yaml").write_text("\n".join(out) + "\n")
    for sc in range(scenarios):
        items = rng.sample(all_bps, min(30, len(all_bps)))
        (d / "content" / "scenarios" / f"scenario-{sc}.md").write_text(
            f"---\ntitle: Scenario {sc}\nkind: scenario\nid: scenario-{sc}\nweight: {sc}\n"
            f"checklist: [{', '.join(items)}]\n---\n\n{text(120)}\n\nSee [[{items[0]}]].\n")


def scan(path, pattern=None):
    """Bytes and files under `path` (only paths matching `pattern`, if given) and the largest
    file as (path relative to `path`, bytes)."""
    size = files = 0
    largest = ("", 0)
    for dirpath, _, names in os.walk(path):
        for n in names:
            full = os.path.join(dirpath, n)
            rel = os.path.relpath(full, path)
            if pattern and not re.search(pattern, rel):
                continue
            b = os.path.getsize(full)
            size += b
            files += 1
            if b > largest[1]:
                largest = (rel, b)
    return SimpleNamespace(bytes=size, files=files, largest=largest)


def gz_size(path):
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":  # already gzip (Pagefind's .pf_ files)
        return len(data)
    return len(gzip.compress(data, 6))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def serve(directory):
    handler = lambda *a, **kw: Quiet(*a, directory=str(directory), **kw)  # noqa: E731
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


def first_query(tool, site, page, search_pattern):
    srv, base = serve(site)
    try:
        p = subprocess.run(["node", str(HERE / "firstquery.mjs"), tool, base, page, WORD],
                           capture_output=True, text=True, timeout=180, cwd=HERE)
    finally:
        srv.shutdown()
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        return None
    r = json.loads(p.stdout.strip().splitlines()[-1])
    seen, total = set(), 0
    for path in r["requests"]:
        rel = path.lstrip("/")
        if rel in seen or not re.search(search_pattern, rel) or not (site / rel).is_file():
            continue
        seen.add(rel)
        total += gz_size(site / rel)
    return {"bytes": total, "files": len(seen), "latency_ms": r["latency_ms"], "results": r["results"]}


def first_html(site):
    for cand in ["page-00001.html", "page-00001/index.html", "index.html"]:
        if (site / cand).exists():
            return cand
    return "index.html"


HUGO_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><nav><a href="{{ "/" | relURL }}">Home</a></nav>
<main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
"""


def hugo_layouts(d):
    """The corpus has no theme; give Hugo the smallest one that renders every page."""
    lay = d / "layouts" / "_default"
    lay.mkdir(parents=True, exist_ok=True)
    (lay / "single.html").write_text(HUGO_PAGE)
    (lay / "list.html").write_text(HUGO_LIST)
    (d / "layouts" / "index.html").write_text(HUGO_LIST)


TOOLS = ["wa-docs", "mdBook", "Hugo", "Pagefind", "Hugo + Pagefind"]
SITES = ["wa-docs", "mdBook", "Hugo + Pagefind"]  # the tools that leave a whole site
SEARCH = {"wa-docs": r"^(search/|assets/search\.js)", "mdBook": r"searchindex|searcher|elasticlunr|mark\.min",
          "Hugo + Pagefind": r"^pagefind/"}
BROWSER_NAME = {"wa-docs": "wa-docs", "mdBook": "mdbook", "Hugo + Pagefind": "pagefind"}


def measure_size(n, args, wa):
    """Every build measurement of one corpus size."""
    runs = args.runs if n <= BIG else args.runs_100k
    row = SimpleNamespace(n=n, runs=runs, m={}, skipped={}, out={}, index={}, fq={}, timings=None)
    src = {"wa-docs": corpus(n, "wa-docs")}
    if not args.no_peers:
        src["hugo"] = corpus(n, "hugo")
    if not args.no_peers:
        hugo_layouts(src["hugo"])
    if n <= args.mdbook_max_pages and not args.no_peers:
        src["mdbook"] = corpus(n, "mdbook")
    sites = {"wa-docs": OUT / f"site-{n}-wa-docs", "mdBook": OUT / f"site-{n}-mdbook",
             "Hugo + Pagefind": OUT / f"site-{n}-hugo"}
    for s in sites.values():
        shutil.rmtree(s, ignore_errors=True)

    def build(tool, cmd):
        print(f"{n:,} pages: {tool}", flush=True)
        m = row.m[tool] = timed(cmd, runs, args.budget, args.mem_floor)
        print(f"  {m.wall:.2f} s wall, {m.rss:.0f} MiB peak{', ' + m.stopped if m.stopped else ''}", flush=True)
        return m.ok

    build("wa-docs", [wa, "build", src["wa-docs"], "-q", "-d", sites["wa-docs"]])
    if "mdbook" in src:
        build("mdBook", [MDBOOK, "build", src["mdbook"], "-d", sites["mdBook"]])
    else:
        row.skipped["mdBook"] = "not run (--no-peers)" if args.no_peers else f"not run above {args.mdbook_max_pages:,} pages"
    if args.no_peers:
        for peer in ("Hugo", "Pagefind", "Hugo + Pagefind"):
            row.skipped[peer] = "not run (--no-peers)"
    elif build("Hugo", ["hugo", "--quiet", "--source", src["hugo"], "--destination", sites["Hugo + Pagefind"]]):
        build("Pagefind", [PAGEFIND, "--site", sites["Hugo + Pagefind"], "--silent"])
    else:
        row.skipped["Pagefind"] = "not run: Hugo did not finish"
    h, p = row.m.get("Hugo"), row.m.get("Pagefind")
    if h and h.ok and p and p.ok:
        row.m["Hugo + Pagefind"] = Measure(h.wall + p.wall, h.cpu + p.cpu, max(h.rss, p.rss),
                                           min(h.runs, p.runs), only=h.only or p.only)
    for tool in SITES:
        if tool in row.m and row.m[tool].ok:
            d = sites[tool]
            row.out[tool], row.index[tool] = scan(d), scan(d, SEARCH[tool])
            if not args.no_browser:
                print(f"{n:,} pages: first query, {tool}", flush=True)
                row.fq[tool] = first_query(BROWSER_NAME[tool], d, first_html(d), SEARCH[tool])
    if row.m["wa-docs"].ok:
        print(f"{n:,} pages: wa-docs build with WA_DOCS_TIMINGS=1", flush=True)
        row.timings = stage_timings(wa, src["wa-docs"], sites["wa-docs"], args.mem_floor)
    return row


def stage_timings(wa, project, site, mem_floor):
    """One more wa-docs build with WA_DOCS_TIMINGS=1: its `timing:` lines as (stage, ms, CPU ms,
    memory)."""
    m, err = time_once([wa, "build", project, "-q", "-d", site], mem_floor, dict(os.environ, WA_DOCS_TIMINGS="1"))
    stages = []
    for line in err.splitlines():
        if t := re.match(r"timing:\s*(.*?)\s+([\d.]+) ms\s*(?:cpu\s+(\d+) ms)?\s*(.*)$", line):
            kb = sorted(int(k) for k in re.findall(r"(\d+) kB", t.group(4)))
            # The line holds VmRSS and VmHWM in /proc's order, which puts the peak (VmHWM) first
            # although the line labels the second one "peak"; the peak is the larger, whatever the order.
            mem = " / ".join(f"{k / 1024:,.0f}" for k in kb) if len(kb) == 2 else t.group(4)
            cpu = float(t.group(3)) if t.group(3) else None
            stages.append((t.group(1), float(t.group(2)), cpu, mem))
    return SimpleNamespace(measure=m, stages=stages)


def positive(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number ≥ 1")
    return int(text)


def serve_spec(text):
    """--serve: comma-separated PAGES:PARAGRAPH_EDITS[:TITLE_EDITS]."""
    if text.strip().lower() in ("", "none"):
        return []
    out = []
    for item in text.split(","):
        try:
            parts = [int(x) for x in item.split(":")]
        except ValueError:
            parts = []
        if len(parts) not in (2, 3) or min(parts) < 0 or parts[0] < 1:
            raise argparse.ArgumentTypeError(f"{item!r} is not PAGES:PARAGRAPH_EDITS[:TITLE_EDITS]")
        out.append((parts[0], parts[1], parts[2] if len(parts) == 3 else 0))
    return out


def serve_runs(args, wa):
    results = []
    for pages, para, title in args.serve:
        print(f"serve, {pages:,} pages: wa-docs ({para} paragraph + {title} title edits)", flush=True)
        try:
            results.append(serve_bench.serve_site(wa, pages, [("paragraph", para), ("title", title)], args))
        except serve_bench.ServeFailed as e:
            print(e, file=sys.stderr)
            results.append({"tool": "wa-docs serve", "pages": pages, "error": str(e)})
        if pages <= args.serve_mdbook_max_pages and para:
            print(f"serve, {pages:,} pages: mdBook ({para} paragraph edits)", flush=True)
            try:
                results.append(serve_bench.serve_mdbook(pages, para, args))
            except serve_bench.ServeFailed as e:
                print(e, file=sys.stderr)
                results.append({"tool": "mdbook serve", "pages": pages, "error": str(e)})
    return results


def main():
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in pages, comma-separated")
    ap.add_argument("--runs", type=positive, default=3, help="timed builds per tool (median) up to 10,000 pages")
    ap.add_argument("--runs-100k", type=positive, default=1, help="timed builds per tool above 10,000 pages")
    ap.add_argument("--budget", type=float, default=120.0,
                    help="a tool whose warm-up build takes longer than this many seconds is built only once")
    ap.add_argument("--mdbook-max-pages", type=int, default=10_000,
                    help="skip mdBook builds above this size (it needs minutes at 10,000 pages and grows faster than linearly)")
    ap.add_argument("--no-browser", action="store_true", help="skip first-query measurements")
    ap.add_argument("--no-peers", action="store_true",
                    help="build with wa-docs only (no mdBook, Hugo, Pagefind): quick targeted runs")
    ap.add_argument("--lenses", type=int, default=40, help="lenses in the lens-heavy corpus (0 skips it)")
    ap.add_argument("--serve", type=serve_spec, metavar="PAGES:PARAGRAPH[:TITLE],...",
                    help="`wa-docs serve` runs: corpus size and the paragraph and title edits made in each; "
                         "'none' skips. Default: each of --sizes, with 20 paragraph and 10 title edits up to "
                         "10,000 pages and 5 paragraph edits above (1000:20:10,10000:20:10,100000:5:0)")
    ap.add_argument("--serve-mdbook-max-pages", type=int, default=1000,
                    help="also run `mdbook serve` (same paragraph edits) up to this size; every edit rebuilds its whole book")
    ap.add_argument("--gap", type=float, default=0.3, help="serve: seconds without events before each edit")
    ap.add_argument("--timeout", type=float, default=30.0, help="serve: seconds to wait for a reload")
    ap.add_argument("--mdbook-watcher", choices=["poll", "native"], default="poll", help="mdBook's --watcher")
    ap.add_argument("--mem-floor", type=float, default=1536, metavar="MiB",
                    help="stop a build or server when the machine has less memory available than this (0: never)")
    ap.add_argument("--results", default=str(HERE / "results.md"))
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    if args.serve is None:
        # Above 10,000 pages a server takes minutes to start and a few edits give the median.
        args.serve = [(n, 20, 10) if n <= BIG else (n, 5, 0) for n in sizes]
    # SIGTERM should clean up like Ctrl-C does (servers live in their own process groups).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.no_peers:
        args.serve_mdbook_max_pages, args.no_browser = 0, True
    needed = [Path("/usr/bin/time")] + ([] if args.no_peers else [PAGEFIND])
    if (any(n <= args.mdbook_max_pages for n in sizes) and not args.no_peers) or any(p <= args.serve_mdbook_max_pages for p, _, _ in args.serve):
        needed.append(MDBOOK)
    for tool in needed:
        if not os.access(tool, os.X_OK):
            raise SystemExit(f"missing {tool}; run bench/run")
    if not args.no_peers and not shutil.which("hugo"):
        raise SystemExit("missing hugo; run bench/run")
    started, load_start = time.monotonic(), os.getloadavg()[0]
    wa, wa_desc = snapshot_wa("wa-docs.bench")
    phases = []  # (what, minutes): where the run's time went, to keep the default run affordable

    def clocked(what, fn, *a):
        t = time.monotonic()
        out = fn(*a)
        phases.append((what, (time.monotonic() - t) / 60))
        return out

    rows = [clocked(f"{n:,}-page builds", measure_size, n, args, wa) for n in sizes]
    t_lens = time.monotonic()
    lens_row = None
    if args.lenses:
        print(f"lens-heavy project ({args.lenses} lenses)", flush=True)
        d = OUT / f"corpus-lenses-{args.lenses}"
        lens_corpus(d, args.lenses)
        site = OUT / f"site-lenses-{args.lenses}"
        shutil.rmtree(site, ignore_errors=True)
        m = timed([wa, "build", d, "-q", "-d", site], args.runs, args.budget, args.mem_floor)
        lens_row = (args.lenses, m, scan(site), scan(site, SEARCH["wa-docs"])) if m.ok else (args.lenses, m, None, None)
        phases.append(("lens-heavy build", (time.monotonic() - t_lens) / 60))
    serve = clocked("serve", serve_runs, args, wa)
    run = SimpleNamespace(args=args, wa=wa_desc, minutes=(time.monotonic() - started) / 60,
                          load=(load_start, os.getloadavg()[0]), argv=sys.argv[1:], phases=phases)
    report = render(rows, lens_row, serve, run)
    print(report)
    Path(args.results).write_text(report)
    print(f"written to {args.results}")


def ratio(a, b):
    return f"{b / a:.1f}x" if a else "-"


PASS, FAIL, NOT = "pass", "**FAIL**", "not measured"


def wa_serve_targets(res, pages, limits):
    """Target rows for `wa-docs serve` at one size; limits: (kind, statistic index, ms, label)."""
    out = []
    for kind, idx, limit, label in limits:
        if res is None:
            out.append((label, f"no {pages:,}-page run in --serve", NOT))
        elif res.get("error"):
            out.append((label, "serve failed: " + res["error"].splitlines()[0], FAIL))
        elif not (ph := serve_bench.phase(res, kind)):
            out.append((label, f"no {kind} edits in --serve", NOT))
        elif not ph["lat"]:
            out.append((label, f"no reload for any of {len(ph['fail'])} edits", FAIL))
        else:
            v = serve_bench.stats(ph["lat"])[idx]
            failed = f", {len(ph['fail'])} without reload" if ph["fail"] else ""
            out.append((label, f"{v:.0f} ms ({len(ph['lat'])} edits{failed})", PASS if v < limit and not ph["fail"] else FAIL))
    return out


def serve_start(res, pages, label):
    if res is None:
        return (label, f"no {pages:,}-page run in --serve", NOT)
    if res.get("error"):
        return (label, "serve failed: " + res["error"].splitlines()[0], FAIL)
    peak = f"{res['peak_mib']:,.0f} MiB" if res.get("peak_mib") else "–"
    return (label, f"started in {res['start_s']:.1f} s; peak RSS {peak}", PASS)


def targets(rows, serve):
    by_n = {r.n: r for r in rows}
    sv = {r["pages"]: r for r in serve if r["tool"] == "wa-docs serve"}
    t = []
    s10, s100 = sv.get(10_000), sv.get(100_000)
    t += wa_serve_targets(s10, 10_000, [
        ("paragraph", 0, 100, "`serve`, 10,000 pages: paragraph edit → reload, median < 100 ms"),
        ("paragraph", 1, 150, "`serve`, 10,000 pages: paragraph edit → reload, p90 < 150 ms"),
        ("title", 0, 300, "`serve`, 10,000 pages: title edit → reload, median < 300 ms")])
    start = serve_start(s10, 10_000, "`serve`, 10,000 pages: start (process start → \"Serving\") and peak RSS (no target)")
    t.append(start[:2] + ("reported" if start[2] == PASS else start[2],))

    def build(n):
        r = by_n.get(n)
        return (r.m["wa-docs"] if r else None), r

    def na(n):
        return f"no {n:,}-page row in --sizes"

    w10, r10 = build(10_000)
    label = "Build, 10,000 pages: wa-docs wall ≤ 0.6 × Hugo's wall"
    if not w10:
        t.append((label, na(10_000), NOT))
    elif not w10.ok:
        t.append((label, f"wa-docs {w10.stopped}", FAIL))
    elif "Hugo" not in r10.m:
        t.append((label, f"wa-docs {w10.wall:.2f} s; Hugo {r10.skipped.get('Hugo', 'not run')}", NOT))
    elif not r10.m["Hugo"].ok:
        t.append((label, f"wa-docs {w10.wall:.2f} s; Hugo {r10.m['Hugo'].stopped}", NOT))
    else:
        h = r10.m["Hugo"].wall
        t.append((label, f"{w10.wall:.2f} s = {w10.wall / h:.2f} × Hugo's {h:.2f} s", PASS if w10.wall <= 0.6 * h else FAIL))
    t.append(rss_target(w10, 10_000, 512, "512 MiB"))
    w100, _ = build(100_000)
    t.append(rss_target(w100, 100_000, 2048, "2 GiB"))
    label = "Build, 100,000 pages: wa-docs wall ≤ 11 × its 10,000-page wall"
    if not w100 or not w10:
        t.append((label, na(100_000 if not w100 else 10_000), NOT))
    elif not w100.ok or not w10.ok:
        t.append((label, f"wa-docs {w100.stopped or w10.stopped}", FAIL))
    else:
        t.append((label, f"{w100.wall:.1f} s = {w100.wall / w10.wall:.1f} × {w10.wall:.2f} s",
                  PASS if w100.wall <= 11 * w10.wall else FAIL))
    t.append(serve_start(s100, 100_000, "`serve`, 100,000 pages: starts (start time, peak RSS)"))
    t += wa_serve_targets(s100, 100_000, [
        ("paragraph", 0, 200, "`serve`, 100,000 pages: paragraph edit → reload, median < 200 ms")])
    for n, res in sorted(sv.items()):
        t.append(serve_memory(res, by_n.get(n), n))
    for r in rows:
        o, hp = r.out.get("wa-docs"), r.out.get("Hugo + Pagefind")
        label = f"Output, {r.n:,} pages: no wa-docs file over 10 MB"
        if not o:
            t.append((label, "wa-docs did not finish", FAIL))
        else:
            name, size = o.largest
            t.append((label, f"largest `{name}`, {size / 1e6:.1f} MB", PASS if size <= 10_000_000 else FAIL))
        label = f"Output, {r.n:,} pages: wa-docs total ≤ 1.5 × Hugo + Pagefind's"
        if not o:
            t.append((label, "wa-docs did not finish", FAIL))
        elif not hp:
            t.append((label, f"wa-docs {fmt_bytes(o.bytes)}; Hugo + Pagefind did not finish", NOT))
        else:
            t.append((label, f"{fmt_bytes(o.bytes)} = {o.bytes / hp.bytes:.2f} × {fmt_bytes(hp.bytes)}",
                      PASS if o.bytes <= 1.5 * hp.bytes else FAIL))
    return t


def serve_memory(res, row, n):
    """`serve`'s peak memory against the build's at the same size, both from this run."""
    label = f"`serve`, {n:,} pages: peak RSS ≤ 2 × the build's peak RSS"
    m = row.m.get("wa-docs") if row else None
    if res.get("error") or not res.get("peak_mib"):
        return (label, "serve failed" if res.get("error") else "no peak measured", FAIL if res.get("error") else NOT)
    if not m or not m.ok:
        return (label, f"serve {res['peak_mib']:,.0f} MiB; no {n:,}-page build in --sizes", NOT)
    return (label, f"{res['peak_mib']:,.0f} MiB = {res['peak_mib'] / m.rss:.2f} × {m.rss:,.0f} MiB",
            PASS if res["peak_mib"] <= 2 * m.rss else FAIL)


def rss_target(m, n, limit, limit_text):
    label = f"Build, {n:,} pages: wa-docs peak RSS ≤ {limit_text}"
    if not m:
        return (label, f"no {n:,}-page row in --sizes", NOT)
    if not m.ok:
        return (label, f"≥ {m.rss:,.0f} MiB ({m.stopped})", FAIL)
    return (label, f"{m.rss:,.0f} MiB", PASS if m.rss <= limit else FAIL)


def runs_cell(m):
    return "1 (no warm-up: over budget)" if m.only else str(m.runs)


def render(rows, lens_row, serve, run):
    a = run.args
    t = targets(rows, serve)
    passed = sum(v == PASS for _, _, v in t)
    judged = sum(v in (PASS, FAIL) for _, _, v in t)
    lines = ["# wa-docs benchmark results", "",
             f"Generated by `bench/run{' ' + ' '.join(run.argv) if run.argv else ''}` on {time.strftime('%Y-%m-%d')} "
             f"in {run.minutes:.0f} min ({os.cpu_count()} cores; 1-min load average {run.load[0]:.2f} at start, "
             f"{run.load[1]:.2f} at end): " + ", ".join(f"{w} {m:.1f} min" for w, m in run.phases) +
             f" (corpus generation, when not cached, included). wa-docs under test: {run.wa}.", "",
             "## Targets", "",
             f"{passed} of {judged} targets pass. Every figure comes from this run; how each is measured is "
             "described with its section below.", "",
             "| target | figure | result |", "|---|---|---|",
             *(f"| {label} | {fig.replace('|', '/')} | {v} |" for label, fig, v in t), ""]
    lines += ["## Builds", "",
              f"Each figure is the median of {a.runs} timed builds after a warm-up up to 10,000 pages, and of "
              f"{a.runs_100k} above; a tool whose warm-up took longer than {a.budget:g} s is built only once and that "
              "build is its figure. "
              "Wall and CPU (user+system) seconds and peak resident memory from `/usr/bin/time -v`. A build is "
              f"stopped when the machine has less than {a.mem_floor:,.0f} MiB of memory available (`--mem-floor`). "
              "Output counts only the output folder: caches a tool keeps in the project (wa-docs' `.wa-cache/`) are "
              "not part of the site. The first query is measured in headless Chromium: gzipped bytes fetched for "
              f"a first search for \"{WORD}\" and its latency. \"peer / wa-docs\" > 1 means wa-docs is ahead.", ""]
    mdb = {r.n: r.m["mdBook"].wall for r in rows if "mdBook" in r.m and r.m["mdBook"].ok}
    if any("mdBook" in r.skipped for r in rows):
        known = ", ".join(f"{w:.1f} s at {n:,} pages" for n, w in sorted(mdb.items()))
        lines += [f"mdBook is not built above {a.mdbook_max_pages:,} pages (`--mdbook-max-pages`): its build time "
                  f"grows faster than the page count ({known + ' in this run; ' if known else ''}4.9 s at 1,000 and "
                  "259 s at 10,000 pages with 4.8 GiB peak memory on 2026-11-25).", ""]
    for r in rows:
        lines += [f"### {r.n:,} pages", "", "| tool | runs | wall s | CPU s | peak MiB |", "|---|---|---|---|---|"]
        for tool in TOOLS:
            m = r.m.get(tool)
            if m is None:
                why = r.skipped.get(tool) or "not run: a part did not finish"
                lines.append(f"| {tool} | {why} | | | |")
            elif not m.ok:
                lines.append(f"| {tool} | {m.stopped} | ≥ {m.wall:.2f} | ≥ {m.cpu:.2f} | ≥ {m.rss:,.0f} |")
            else:
                lines.append(f"| {tool} | {runs_cell(m)} | {m.wall:.2f} | {m.cpu:.2f} | {m.rss:,.0f} |")
        if r.out:
            lines += ["", "| site | output | files | largest file | search index | first query (gz) | files fetched | query ms |",
                      "|---|---|---|---|---|---|---|---|"]
        for tool in [t for t in SITES if t in r.out]:
            o, i, q = r.out[tool], r.index[tool], r.fq.get(tool)
            lines.append(f"| {tool} | {fmt_bytes(o.bytes)} | {o.files:,} | `{o.largest[0]}` {fmt_bytes(o.largest[1])} | "
                         f"{fmt_bytes(i.bytes)} | {fmt_bytes(q['bytes']) if q else ''} | {q['files'] if q else ''} | "
                         f"{q['latency_ms'] if q else ''} |")
        wa = r.m["wa-docs"]
        peers = [p for p in ["mdBook", "Hugo + Pagefind"] if p in r.m and r.m[p].ok]
        if wa.ok and peers:
            lines += ["", "| ratio (peer / wa-docs) | wall | CPU | peak memory | output | first-query bytes |",
                      "|---|---|---|---|---|---|"]
            for peer in peers:
                p = r.m[peer]
                q = r.fq.get(peer), r.fq.get("wa-docs")
                qr = ratio(q[1]["bytes"], q[0]["bytes"]) if q[0] and q[1] else "-"
                o = r.out.get(peer), r.out.get("wa-docs")
                orat = ratio(o[1].bytes, o[0].bytes) if o[0] and o[1] else "-"
                lines.append(f"| {peer} | {ratio(wa.wall, p.wall)} | {ratio(wa.cpu, p.cpu)} | {ratio(wa.rss, p.rss)} | {orat} | {qr} |")
        lines.append("")
    timed_rows = [r for r in rows if r.timings]
    if timed_rows:
        lines += ["## wa-docs stage timings", "",
                  "One more `wa-docs build DIR -q -d OUT` per size with `WA_DOCS_TIMINGS=1`: each stage's `timing:` "
                  "line (wall milliseconds, CPU milliseconds of the process (user + system), then resident / peak "
                  "memory in MiB after the stage). Stages in parentheses are parts of the stage below them.", ""]
        stages = []
        for r in timed_rows:
            stages += [s for s, *_ in r.timings.stages if s not in stages]
        lines += ["| stage | " + " | ".join(f"{r.n:,} pages ms | CPU ms | RSS / peak MiB" for r in timed_rows) + " |",
                  "|---|" + "---|---|---|" * len(timed_rows)]
        for s in stages:
            cells = []
            for r in timed_rows:
                hit = [x for x in r.timings.stages if x[0] == s]
                cpu = [x[2] for x in hit if x[2] is not None]
                cells += ([f"{sum(x[1] for x in hit):,.0f}", f"{sum(cpu):,.0f}" if cpu else "", hit[-1][3]]
                          if hit else ["", "", ""])
            lines.append(f"| {s} | " + " | ".join(cells) + " |")
        cells = []
        for r in timed_rows:
            m = r.timings.measure
            cells += [f"{m.wall * 1000:,.0f}" + (f" ({m.stopped})" if m.stopped else ""), f"{m.cpu * 1000:,.0f}",
                      f"peak {m.rss:,.0f}"]
        lines += ["| whole build (wall, `/usr/bin/time`) | " + " | ".join(cells) + " |", ""]
    if serve:
        lines += ["## Live reload (`serve`)", "",
                  "Each server runs on a copy of the same generated corpus. Edits go to distinct pages, saved as "
                  "editors do (temp file + rename): a sentence appended to a paragraph, or a new `title:` in the "
                  "front matter (wa-docs only: mdBook takes titles from SUMMARY.md). Latency runs from the rename to "
                  "the reload event a browser tab gets (wa-docs: Server-Sent Events; mdBook: its WebSocket); \"page "
                  "served\" runs on to the end of fetching the edited page after that event, as the reloading tab does "
                  "(the page is checked to show the edit; wa-docs renders pages on request). The targets are on the "
                  "reload event. Each edit follows "
                  f"≥{a.gap * 1000:.0f} ms without events (+0–1 s spread). Start: process start to the "
                  "\"Serving\" line (mdBook: to its first HTTP answer). Peak: VmHWM just before the server is stopped. "
                  f"mdBook runs with `--watcher {a.mdbook_watcher}` and only up to {a.serve_mdbook_max_pages:,} pages "
                  "(each of its edits rebuilds the whole book).", "",
                  *serve_bench.table(serve), ""]
        builds = {r.n: r.m["wa-docs"] for r in rows if "wa-docs" in r.m and r.m["wa-docs"].ok}
        mem = [(r["pages"], r["peak_mib"], builds[r["pages"]].rss) for r in serve
               if r["tool"] == "wa-docs serve" and r.get("peak_mib") and r["pages"] in builds]
        if mem:
            lines += ["Peak memory of `wa-docs serve` (after its start and every edit above) beside the "
                      "build's (`/usr/bin/time -v`, the Builds table) at the same size, in this run:", "",
                      "| pages | build peak MiB | serve peak MiB | serve / build |", "|---|---|---|---|",
                      *(f"| {n:,} | {b:,.0f} | {s:,.0f} | {s / b:.2f} |" for n, s, b in mem), ""]
    if lens_row:
        n, m, out, index = lens_row
        lines += [f"## Lens-heavy project ({n} lenses x 6 pillars x 10 questions x 6 best practices, 8 scenarios)", "",
                  "No peer reads lens definitions, so this row has no ratio.", "",
                  "| tool | runs | wall s | CPU s | peak MiB | output | files | largest file | search index |",
                  "|---|---|---|---|---|---|---|---|---|",
                  f"| wa-docs | {m.stopped or runs_cell(m)} | {m.wall:.2f} | {m.cpu:.2f} | {m.rss:,.0f} | " +
                  (f"{fmt_bytes(out.bytes)} | {out.files:,} | `{out.largest[0]}` {fmt_bytes(out.largest[1])} | "
                   f"{fmt_bytes(index.bytes)} |" if out else "| | | |"), ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # servers were already stopped by their finally blocks
        sys.exit("interrupted")
