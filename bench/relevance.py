#!/usr/bin/env python3
"""Search relevance: hit@1, hit@10 and MRR@10 of the site's browser search, `wa-docs search` and
Pagefind (on the pages of the same built site that our search covers) for the queries in
bench/relevance/queries.tsv, and, when a copy of AWS's steering repository is at hand, for AWS's
own question topics and best-practice titles of the bundled lenses (read from it at run time,
never stored here).

usage: bench/relevance.py [--bin target/release/wa-docs] [--aws GIT_DIR] [--no-pagefind]
                          [--results bench/results.md] [--show-misses CATEGORY|all]

Rank is the position of the first result on the expected page (results as the list shows them);
"anchor@10" asks for the expected anchor (a best practice, a heading) among the top 10, for
Pagefind among the sub-results its UI shows for the top 10 pages. Every query falls in the
"tune" or the "held-out" half by CRC-32 of its text; ranking changes were tried on the tune half
only.
"""
import argparse
import json
import queue
import re
import shutil
import subprocess
import sys
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "relevance"
PAGEFIND = HERE / "node_modules" / ".bin" / "pagefind"
# Seconds Pagefind may take to answer one query (a reader has given up long before).
PAGEFIND_LIMIT_S = 5
# Each page's <article> (its own text, without navigation); result URLs keep "index.html", as
# the expected targets spell them.
PAGEFIND_ARGS = ["--root-selector", "article", "--keep-index-url", "--silent"]
DEFAULT_AWS = Path("/work/.mirror/aws-samples+sample-well-architected-skills-and-steering/repo")
AWS_LENSES = "powers/aws-well-architected-framework-review/steering/references/lenses"
START, END = "<!-- relevance:start -->", "<!-- relevance:end -->"


def lens_targets(root):
    """Lens object id -> site URL (question page, or practice anchor on it), and lens ids."""
    urls, lenses = {}, set()
    for f in sorted((root / "lenses").glob("*.yaml")):
        lens = yaml.safe_load(f.read_text())
        lenses.add(lens["id"])
        for p in lens.get("pillars", []):
            for q in p.get("questions", []):
                page = f"lenses/{lens['id']}/{q['id'].lower()}.html"
                urls[q["id"]] = page
                for b in q.get("best-practices", []):
                    urls[b["id"]] = f"{page}#{b['id'].lower()}"
    return urls, lenses


def read_queries(path, lenses):
    out, need = [], None
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@lens "):
            need = line.split()[1]
            continue
        if line.strip() == "@all":
            need = None
            continue
        cat, q, expect = line.split("\t")
        if need and need not in lenses:
            continue
        out.append({"cat": cat, "q": q, "expect": expect, "line": n})
    return out


def aws_queries(git_dir):
    """AWS's question topics and practice titles, read from a steering repository copy."""
    def git(*a):
        return subprocess.run(["git", f"--git-dir={git_dir}", *a], capture_output=True, text=True,
                              check=True).stdout
    out = []
    for lens in ["generative-ai", "machine-learning", "responsible-ai"]:
        for f in git("ls-tree", "--name-only", "HEAD", f"{AWS_LENSES}/{lens}/").split():
            for line in git("show", f"HEAD:{f}").splitlines():
                m = re.match(r"^# ([A-Z]+[0-9]+(?:-[A-Z]+[0-9]+)?)\s+(?:—\s+)?(.+)$", line)
                if m:
                    cat = "aws-practice" if "-" in m[1] else "aws-question"
                    out.append({"cat": cat, "q": m[2].strip(), "expect": m[1], "line": 0})
    return out


def half(q):
    return "tune" if zlib.crc32(q.encode()) % 2 == 0 else "held-out"


def run_browser(site, queries):
    r = subprocess.run(["node", str(HERE / "relevance" / "browser.mjs"), str(site)],
                       input=json.dumps(queries), capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def run_cli(binary, root, queries):
    # First call builds the index into the project's .wa-cache; then two at a time.
    def one(q):
        r = subprocess.run([str(binary), "search", "--root", str(root), "--json", "-n", "10", "--", q],
                           capture_output=True, text=True)
        return q, [x["url"] for x in json.loads(r.stdout)] if r.returncode == 0 else []
    out = dict([one(queries[0])])
    with ThreadPoolExecutor(2) as ex:
        out.update(ex.map(one, queries[1:]))
    return out


def search_pages(site):
    """The pages the site's own search indexes (pages of its lens objects, dimensions, scenarios,
    preambles and other content), read from the browser shards' metadata rows: a row's URL is a
    page unless it starts with "#" (an anchor on the row before's page)."""
    pages = set()
    for f in (site / "search").glob("m[0-9]*.js"):
        m = re.fullmatch(r'WA_SEARCH\.load\("m\d+",(.*)\);\s*', f.read_text(), re.S)
        pages.update(r[2].split("#")[0] for r in json.loads(m[1]) if not r[2].startswith("#"))
    if not pages or any(not (site / p).is_file() for p in pages):
        sys.exit("pagefind: cannot read the site's search pages from search/m*.js")
    return sorted(pages)


def run_pagefind(site, queries):
    """Pagefind's answers, kept in bench/out/relevance/pagefind.json for the same site text and
    client (they do not change with wa-docs' ranking); a query it did not answer in time is
    None, asked again on the next run."""
    cache = OUT / "pagefind.json"
    stamp = zlib.crc32(b"".join(f.read_bytes() for f in sorted(site.rglob("*.html"))
                                if "search" not in f.name) + " ".join(PAGEFIND_ARGS).encode()
                       + (HERE / "relevance" / "pagefind.mjs").read_bytes())
    kept = json.loads(cache.read_text()) if cache.exists() else {}
    if kept.get("stamp") != stamp:
        kept = {"stamp": stamp, "answers": {}}
        shutil.rmtree(OUT / "site-pagefind", ignore_errors=True)
    todo = [q for q in queries if q not in kept["answers"]]
    late = {}
    for i in range(0, len(todo), 100):
        got = query_pagefind(site, todo[i:i + 100])
        late.update((q, None) for q, rows in got.items() if rows is None)
        kept["answers"].update((q, rows) for q, rows in got.items() if rows is not None)
        cache.write_text(json.dumps(kept))
        print(f"pagefind: {min(i + 100, len(todo))} of {len(todo)} queries", file=sys.stderr)
    return {q: kept["answers"].get(q, late.get(q)) for q in queries}


def query_pagefind(site, queries):
    pf_site = OUT / "site-pagefind"
    if not (pf_site / "pagefind").is_dir():
        shutil.rmtree(pf_site, ignore_errors=True)
        # The pages our search indexes, not the site-wide ones (print view, checklists, the
        # practice list, coverage) that repeat them: the print view alone holds the whole site,
        # and Pagefind spends over a minute gathering its sub-results for a query it matches.
        for page in search_pages(site):
            (pf_site / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(site / page, pf_site / page)
        subprocess.run([str(PAGEFIND), "--site", str(pf_site), *PAGEFIND_ARGS], check=True)
    # One answer per line; a query unanswered in PAGEFIND_LIMIT_S is None (a failure, reported
    # apart from the misses), and the client is restarted past it.
    out, todo = {}, list(queries)
    while todo:
        p = subprocess.Popen(["node", "--no-warnings", str(HERE / "relevance" / "pagefind.mjs"), str(pf_site)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        p.stdin.write(json.dumps(todo))
        p.stdin.close()
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in p.stdout] + [lines.put(None)], daemon=True).start()
        first = True
        while todo:
            try:
                # The first answer also waits for the client to load its index.
                line = lines.get(timeout=PAGEFIND_LIMIT_S * (3 if first else 1))
                first = False
            except queue.Empty:
                print(f"pagefind: no answer in {PAGEFIND_LIMIT_S} s to {todo[0]!r}", file=sys.stderr)
                out[todo.pop(0)] = None
                p.kill()
                p.wait()
                break
            if line is None:
                p.wait()
                if todo:
                    sys.exit("pagefind client stopped early")
                break
            q, rows = json.loads(line)
            out[q] = [(u, subs) for u, subs in rows]
            todo.remove(q)
    return out


def score(rows, target, pagefind=False):
    """(rank of the expected page or None, expected anchor in the top 10); rows None (no answer
    in time) is a miss."""
    page = target.split("#")[0]
    rank, anchor = None, False
    for i, row in enumerate((rows or [])[:10], 1):
        url, subs = row if pagefind else (row, [])
        if rank is None and url.split("#")[0] == page:
            rank = i
        if url == target or target in subs:
            anchor = True
    return rank, anchor


def metrics(items):
    n = len(items)
    if not n:
        return None
    h1 = sum(1 for r, _ in items if r == 1) / n
    h10 = sum(1 for r, _ in items if r) / n
    mrr = sum(1 / r for r, _ in items if r) / n
    anc = sum(1 for _, a in items if a) / n
    return h1, h10, mrr, anc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "wa-docs"))
    ap.add_argument("--aws", default=str(DEFAULT_AWS), help="git dir of AWS's steering repository")
    ap.add_argument("--no-pagefind", action="store_true")
    ap.add_argument("--results", default=str(HERE / "results.md"))
    ap.add_argument("--no-results", action="store_true", help="print only, leave results.md alone")
    ap.add_argument("--show-misses", metavar="CATEGORY",
                    help="list the tune half's misses of a category (or all), browser")
    ap.add_argument("--engines", default="browser,cli,pagefind")
    ap.add_argument("--search-js", help="use this search.js instead of the theme's (to measure another version)")
    ap.add_argument("--site-dir", default=str(OUT / "site"), help="where the site is built")
    args = ap.parse_args()

    urls, lenses = lens_targets(ROOT)
    queries = read_queries(HERE / "relevance" / "queries.tsv", lenses)
    aws = aws_queries(args.aws) if Path(args.aws).is_dir() else []
    allq = queries + aws
    for q in allq:
        q["target"] = urls.get(q["expect"], q["expect"])
        q["half"] = half(q["q"])
    OUT.mkdir(parents=True, exist_ok=True)
    site = Path(args.site_dir)
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([args.bin, "build", str(ROOT), "-q", "-d", str(site)], check=True, capture_output=True)
    if args.search_js:
        shutil.copy(args.search_js, site / "assets" / "search.js")
    # Every expected target is a real page and anchor of the site.
    known = set()
    for f in site.rglob("*.html"):
        rel = f.relative_to(site).as_posix()
        known.add(rel)
        known.update(f"{rel}#{a}" for a in re.findall(r'\sid="([^"]+)"', f.read_text(errors="replace")))
    bad = [q for q in allq if q["target"] not in known]
    if bad:
        sys.exit("unknown targets: " + ", ".join(f"line {q['line']} {q['expect']}" for q in bad))

    texts = sorted({q["q"] for q in allq})
    engines = [e for e in args.engines.split(",") if not (e == "pagefind" and args.no_pagefind)]
    got = {}
    if "browser" in engines:
        got["browser"] = run_browser(site, texts)
    if "cli" in engines:
        got["cli"] = run_cli(args.bin, ROOT, texts)
    if "pagefind" in engines:
        got["pagefind"] = run_pagefind(site, texts)
    names = {"browser": "wa-docs, browser", "cli": "wa-docs search (CLI)", "pagefind": "Pagefind 1.6.0"}

    def table(groups):
        lines = ["| query set | n | engine | hit@1 | hit@10 | MRR@10 | anchor@10 |", "|---|---:|---|---:|---:|---:|---:|"]
        for label, sel in groups:
            for e in engines:
                items = [score(got[e][q["q"]], q["target"], e == "pagefind") for q in sel]
                m = metrics(items)
                if m:
                    lines.append(f"| {label} | {len(sel)} | {names[e]} | {m[0]:.2f} | {m[1]:.2f} | {m[2]:.2f} | {m[3]:.2f} |")
        return lines

    cats = sorted({q["cat"] for q in queries})
    own = [("ours, all", queries), ("ours, tune half", [q for q in queries if q["half"] == "tune"]),
           ("ours, held-out half", [q for q in queries if q["half"] == "held-out"])]
    own += [(f"ours: {c}", [q for q in queries if q["cat"] == c]) for c in cats]
    awsg = []
    for c, label in [("aws-question", "AWS question topics"), ("aws-practice", "AWS practice titles")]:
        sel = [q for q in aws if q["cat"] == c]
        if sel:
            awsg.append((label, sel))
            awsg.append((f"{label}, held-out half", [q for q in sel if q["half"] == "held-out"]))
    lines = table(own)
    if "pagefind" in got:
        pf = got["pagefind"]
        late = [q for q in texts if pf[q] is None]
        empty = sum(1 for q in texts if pf[q] == [])
        lines += ["", f"Pagefind 1.6.0 ran its own client (pagefind.js and its WebAssembly, as a browser loads them) "
                  f"under Node, its fetches served from disk, on an index of the {len(search_pages(site))} pages our "
                  "search covers (not the print view, checklists, practice list or coverage page that repeat them), "
                  "each page's `<article>`; its sub-results are the ones its UI shows. "
                  f"It answered {len(texts) - len(late)} of the {len(texts)} distinct queries within {PAGEFIND_LIMIT_S} s each, "
                  f"{empty} of them with no results (Pagefind returns only pages holding every word of the query), "
                  "which count as misses"
                  + (f"; it gave no answer in time to {len(late)} ({', '.join(map(repr, late[:5]))}"
                     f"{', …' if len(late) > 5 else ''}), counted as misses too." if late else ".")]
    if awsg:
        lines += ["", "AWS's own wording (read at run time from the steering repository; not stored here):", ""]
        lines += table(awsg)
    print("\n".join(lines))
    if args.show_misses and "browser" in got:
        for q in allq:
            if args.show_misses in ("all", q["cat"]) and q["half"] == "tune":
                r, a = score(got["browser"][q["q"]], q["target"])
                if r != 1:
                    print(f"MISS {q['cat']} rank={r} {q['q']!r} -> {q['target']} got {got['browser'][q['q']][:3]}")
    if not args.no_results:
        write_results(Path(args.results), lines, len(queries), cats)


def write_results(path, lines, n, cats):
    body = [START, "", "## Search relevance", "",
            f"`python3 bench/relevance.py` (after `bench/run` has installed Pagefind): {n} queries of our own in "
            f"bench/relevance/queries.tsv ({', '.join(cats)}), each with the page and anchor it should find, "
            "run through the site's search.js (under Node, on the built shards), `wa-docs search` and Pagefind "
            "1.6.0 on the same pages (see below). hit@k: the expected page is among the "
            "first k results as the list shows them; anchor@10: the expected anchor (practice, heading) is; "
            "for Pagefind among the sub-results its UI shows for the top pages. Halves by CRC-32 of the query text; ranking "
            "was tuned on the tune half only.", ""] + lines + ["", END]
    text = path.read_text() if path.exists() else ""
    if START in text:
        text = text[:text.index(START)] + "\n".join(body) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(body) + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
