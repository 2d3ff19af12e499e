#!/usr/bin/env python3
"""wa-docs benchmarks against mdBook, Hugo and Pagefind on one generated corpus.

Run through bench/run, which installs the pinned peers. For each corpus size it builds the
same text with every tool (median of --runs timed runs after one warm-up, via /usr/bin/time -v),
then serves each site on loopback and measures, in headless Chromium, the gzipped bytes a
browser transfers for a first single-word search and the query latency. Prints a table with
wa-docs/peer ratios and writes bench/results.md.
"""
import argparse
import gzip
import http.server
import json
import os
import random
import re
import shutil
import socketserver
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
OUT = HERE / "out"
TOOLS = HERE / ".tools"
WA = ROOT / "target" / "release" / "wa-docs"
MDBOOK = TOOLS / "bin" / "mdbook"
PAGEFIND = HERE / "node_modules" / ".bin" / "pagefind"
WORD = "hirel"  # a mid-frequency word of the generated vocabulary


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, runs, budget=None):
    """Median wall, CPU (user+sys) seconds and peak RSS (MiB) over `runs` after a warm-up, and
    the number of runs taken. When the warm-up alone took longer than `budget` seconds, only one
    timed run follows (mdBook needs ~10 minutes per build at 10,000 pages)."""
    samples = []
    i = 0
    while i < runs + 1:
        p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
        err = p.stderr
        i += 1
        if i == 1:
            if budget is not None and wall_of(err) > budget:
                runs = 1
            continue
        wall_s = wall_of(err)
        user = float(re.search(r"User time \(seconds\): ([\d.]+)", err).group(1))
        system = float(re.search(r"System time \(seconds\): ([\d.]+)", err).group(1))
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
        samples.append((wall_s, user + system, rss))
    return tuple(statistics.median(s[k] for s in samples) for k in range(3)) + (len(samples),)


def wall_of(time_v_output):
    wall = re.search(r"Elapsed \(wall clock\) time .*: (.*)", time_v_output).group(1)
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


def tree(path, pattern=None):
    size = files = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            rel = os.path.relpath(os.path.join(dirpath, n), path)
            if pattern and not re.search(pattern, rel):
                continue
            size += os.path.getsize(os.path.join(dirpath, n))
            files += 1
    return size, files


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


def fmt_bytes(n):
    return f"{n / 1024:.0f} KiB" if n < 10 * 1024 * 1024 else f"{n / 1048576:.1f} MiB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true", help="skip first-query measurements")
    ap.add_argument("--results", default=str(HERE / "results.md"))
    ap.add_argument("--lenses", type=int, default=40, help="lenses in the lens-heavy corpus (0 skips it)")
    ap.add_argument("--budget", type=float, default=120.0,
                    help="a tool whose warm-up build takes longer than this many seconds is timed once")
    args = ap.parse_args()
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        corpus = {}
        for layout in ["wa-docs", "mdbook", "hugo"]:
            d = OUT / f"corpus-{n}-{layout}"
            if not d.exists():
                sh([sys.executable, str(SHARED / "bench" / "gen_corpus.py"), str(n), str(d), "--layout", layout])
            if layout == "hugo":
                hugo_layouts(d)
            corpus[layout] = d
        sites = {k: OUT / f"site-{n}-{k}" for k in ["wa-docs", "mdbook", "hugo"]}
        for s in sites.values():
            shutil.rmtree(s, ignore_errors=True)
        measures = {}
        measures["wa-docs"] = timed([str(WA), "build", str(corpus["wa-docs"]), "-q", "-d", str(sites["wa-docs"])], args.runs, args.budget)
        measures["mdBook"] = timed([str(MDBOOK), "build", str(corpus["mdbook"]), "-d", str(sites["mdbook"])], args.runs, args.budget)
        measures["Hugo"] = timed(["hugo", "--quiet", "--source", str(corpus["hugo"]), "--destination", str(sites["hugo"])], args.runs, args.budget)
        measures["Pagefind"] = timed([str(PAGEFIND), "--site", str(sites["hugo"]), "--silent"], args.runs, args.budget)
        h, p = measures["Hugo"], measures["Pagefind"]
        measures["Hugo + Pagefind"] = (h[0] + p[0], h[1] + p[1], max(h[2], p[2]), min(h[3], p[3]))
        out = {
            "wa-docs": tree(sites["wa-docs"]),
            "mdBook": tree(sites["mdbook"]),
            "Hugo + Pagefind": tree(sites["hugo"]),
        }
        index = {
            "wa-docs": tree(sites["wa-docs"], r"^(search/|assets/search\.js)"),
            "mdBook": tree(sites["mdbook"], r"searchindex|searcher|elasticlunr|mark\.min"),
            "Hugo + Pagefind": tree(sites["hugo"], r"^pagefind/"),
        }
        fq = {}
        if not args.no_browser:
            fq["wa-docs"] = first_query("wa-docs", sites["wa-docs"], first_html(sites["wa-docs"]), r"^(search/|assets/search\.js)")
            fq["mdBook"] = first_query("mdbook", sites["mdbook"], first_html(sites["mdbook"]), r"searchindex|searcher|elasticlunr|mark\.min")
            fq["Hugo + Pagefind"] = first_query("pagefind", sites["hugo"], first_html(sites["hugo"]), r"^pagefind/")
        rows.append((n, measures, out, index, fq))
    lens_row = None
    if args.lenses:
        d = OUT / f"corpus-lenses-{args.lenses}"
        lens_corpus(d, args.lenses)
        site = OUT / f"site-lenses-{args.lenses}"
        shutil.rmtree(site, ignore_errors=True)
        m = timed([str(WA), "build", str(d), "-q", "-d", str(site)], args.runs, args.budget)
        lens_row = (args.lenses, m, tree(site), tree(site, r"^(search/|assets/search\.js)"))
    report = render(rows, args.runs, lens_row)
    print(report)
    Path(args.results).write_text(report)


def ratio(a, b):
    return f"{b / a:.1f}x" if a else "-"


def render(rows, runs, lens_row=None):
    lines = ["# wa-docs benchmark results", "",
             f"Generated by `bench/run` on {time.strftime('%Y-%m-%d')} ({os.cpu_count()} cores). "
             f"Median of {runs} runs after a warm-up (\"runs\" says when a tool slower than the budget was "
             f"timed once); CPU is user+system. \"peer/wa-docs\" > 1 means wa-docs is ahead.", ""]
    for n, m, out, index, fq in rows:
        lines += [f"## {n:,} pages", "", "| tool | runs | wall s | CPU s | peak MiB | output | files | search index | first query (gz) | files fetched | query ms |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for tool in ["wa-docs", "mdBook", "Hugo", "Pagefind", "Hugo + Pagefind"]:
            w, c, r, k = m[tool]
            o = out.get(tool)
            i = index.get(tool)
            q = fq.get(tool)
            lines.append(f"| {tool} | {k} | {w:.2f} | {c:.2f} | {r:.0f} | {fmt_bytes(o[0]) if o else ''} | {o[1] if o else ''} | "
                         f"{fmt_bytes(i[0]) if i else ''} | {fmt_bytes(q['bytes']) if q else ''} | {q['files'] if q else ''} | {q['latency_ms'] if q else ''} |")
        wa = m["wa-docs"]
        lines += ["", "| ratio (peer / wa-docs) | wall | CPU | peak memory | first-query bytes |", "|---|---|---|---|---|"]
        for peer in ["mdBook", "Hugo + Pagefind"]:
            p = m[peer]
            q = fq.get(peer), fq.get("wa-docs")
            qr = ratio(q[1]["bytes"], q[0]["bytes"]) if q[0] and q[1] else "-"
            lines.append(f"| {peer} | {ratio(wa[0], p[0])} | {ratio(wa[1], p[1])} | {ratio(wa[2], p[2])} | {qr} |")
        lines.append("")
    if lens_row:
        n, (w, c, r, k), out, index = lens_row
        lines += [f"## Lens-heavy project ({n} lenses x 6 pillars x 10 questions x 6 best practices, 8 scenarios)", "",
                  "No peer reads lens definitions, so this row has no ratio.", "",
                  "| tool | runs | wall s | CPU s | peak MiB | output | files | search index |", "|---|---|---|---|---|---|---|---|",
                  f"| wa-docs | {k} | {w:.2f} | {c:.2f} | {r:.0f} | {fmt_bytes(out[0])} | {out[1]} | {fmt_bytes(index[0])} |", ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
