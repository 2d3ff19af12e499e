#!/usr/bin/env python3
"""Throughput on unusual inputs: every input that reaches the build (lens YAML, front matter,
markdown, imported JSON) must be built or refused at no less than 1 MB/s.

Each case is a tiny project whose one file is blown up to about --mb megabytes of a shape that
has been slow in some parser: deep `[`/`{` nesting (libyaml is quadratic in it), thousands of
headings, code blocks or broken links, one huge line, and so on. The table gives the size, the
wall time of `wa-docs build` (or `lens import`), the rate, the exit code and the first problem.

usage: python3 bench/unusual_inputs.py [--bin target/release/wa-docs] [--mb 1] [--check] [CASE...]
With --check, exits 1 when a case runs under 1 MB/s or times out (60 s).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

BASE = {
    "book.toml": '[book]\ntitle = "Unusual"\n',
    "lenses/t.yaml": (
        "id: t\nname: T\npillars:\n  - id: P\n    name: P\n    questions:\n"
        "      - id: P01\n        title: Q?\n        best-practices:\n"
        "          - id: P01-BP01\n            title: A\n            dimensions: [dim]\n"
        "        risk-rules:\n          - condition: default\n            risk: high\n"
    ),
    "content/dimensions/dim.md": "---\ntitle: Dim\nkind: dimension\n---\n## Measuring\n\nText.\n",
    "content/page.md": "---\ntitle: Page\n---\nSee [[P01-BP01]].\n",
}

FM = "---\ntitle: T\n---\n"


def cases(n):
    """name -> (file, text, command). `n` is the target size in bytes."""
    lens_head = "id: t\nname: T\npillars:\n"
    q = (
        "      - id: Q{i}\n        title: Q{i}?\n        best-practices:\n"
        "          - id: Q{i}-BP\n            title: B\n            related: [nope{i}]\n"
        "        risk-rules:\n          - condition: default\n            risk: high\n"
    )
    json_q = (
        '{{"id": "q{i}", "title": "Question {i}", "choices": [{{"id": "q{i}_a", "title": "A"}}],'
        ' "riskRules": [{{"condition": "default", "risk": "HIGH_RISK"}}]}}'
    )
    big_json = (
        '{"schemaVersion": "2021-11-01", "name": "Big", "description": "d", "pillars": [{"id": "p", "name": "P", "questions": ['
        + ",".join(json_q.format(i=i) for i in range(n // 150))
        + "]}]}"
    )
    return {
        "yaml-flow-seq": ("lenses/t.yaml", lens_head[:-1] + " " + "[" * n, None),
        "yaml-flow-map": ("lenses/t.yaml", lens_head[:-1] + " " + "{a: " * (n // 4), None),
        "yaml-block-seq": ("lenses/t.yaml", lens_head + "- " * (n // 2), None),
        "yaml-anchors": ("lenses/t.yaml", lens_head + "".join(f"- &a{i} x\n" for i in range(n // 12)), None),
        "yaml-long-string": ("lenses/t.yaml", 'id: t\nname: "' + "a" * n + '"\n', None),
        "yaml-many-keys": ("lenses/t.yaml", "id: t\nname: T\n" + "".join(f"k{i}: v\n" for i in range(n // 10)), None),
        "yaml-bad-references": (
            "lenses/t.yaml",
            lens_head + "  - id: P\n    name: P\n    questions:\n" + "".join(q.format(i=i) for i in range(n // 220)),
            None,
        ),
        "front-matter-flow": ("content/p.md", "---\ntitle: " + "[" * n + "\n---\nx\n", None),
        "md-brackets": ("content/p.md", FM + "[" * n + "\n", None),
        "md-wikilinks-open": ("content/p.md", FM + "[[" * (n // 2) + "\n", None),
        "md-blockquotes": ("content/p.md", FM + ">" * n + "\n", None),
        "md-emphasis": ("content/p.md", FM + "*a" * (n // 2) + "\n", None),
        "md-backticks": ("content/p.md", FM + "".join("`" * i + "x" for i in range(1, int((2 * n) ** 0.5))) + "\n", None),
        "md-links-open": ("content/p.md", FM + "[a](" * (n // 4) + "\n", None),
        "md-html": ("content/p.md", FM + "<div>" * (n // 5) + "\n", None),
        "md-table": ("content/p.md", FM + "|" + "a|" * 2000 + "\n|" + "-|" * 2000 + "\n" + ("|" + "b|" * 2000 + "\n") * (n // 4000), None),
        "md-headings": ("content/p.md", FM + "## h\n" * (n // 5), None),
        "md-code-blocks": ("content/p.md", FM + "```rust\nfn a(){}\n```\n" * (n // 24), None),
        "md-one-code-block": ("content/p.md", FM + "```rust\n" + "fn a(x: u32) -> u32 { x + 1 } // c\n" * (n // 36) + "```\n", None),
        "md-broken-links": ("content/p.md", FM + "see [[nope]] and\n" * (n // 17), None),
        "md-long-line": ("content/p.md", FM + "word " * (n // 5) + "\n", None),
        "md-entities": ("content/p.md", FM + "&amp;" * (n // 5), None),
        "json-import": ("big.json", big_json, ["lens", "import", "big.json", "-o", "lenses/big.yaml"]),
        "json-nested": ("deep.json", "[" * n, ["lens", "import", "deep.json", "-o", "-"]),
        "json-nan": ("nan.json", '{"name": "N", "pillars": [' + "NaN," * (n // 4) + "1]}", ["lens", "import", "nan.json", "-o", "-"]),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/wa-docs")
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("only", nargs="*")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    slow = []
    print(f"{'case':22} {'MB':>6} {'seconds':>8} {'MB/s':>8} exit  first problem")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (rel, text, command) in cases(int(a.mb * 1_000_000)).items():
            if a.only and name not in a.only:
                continue
            proj = os.path.join(tmp, name)
            for f, t in BASE.items():
                os.makedirs(os.path.dirname(os.path.join(proj, f)), exist_ok=True)
                with open(os.path.join(proj, f), "w") as fh:
                    fh.write(t)
            with open(os.path.join(proj, rel), "w") as fh:
                fh.write(text)
            mb = len(text.encode()) / 1e6
            args = command or ["build", ".", "-q", "-d", "out"]
            start = time.time()
            try:
                r = subprocess.run([binary, *args], cwd=proj, capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
            except subprocess.TimeoutExpired:
                print(f"{name:22} {mb:6.2f}  TIMEOUT")
                slow.append(name)
                continue
            dt = time.time() - start
            first = next((l.strip() for l in r.stderr.splitlines() if l.strip().startswith(("×", "⚠"))), "")
            rate = mb / dt
            print(f"{name:22} {mb:6.2f} {dt:8.2f} {rate:8.1f} {r.returncode:4}  {first[:90]}")
            if "panicked" in r.stderr or rate < 1.0:
                slow.append(name)
            shutil.rmtree(proj, ignore_errors=True)
    if slow:
        print(f"under 1 MB/s or failed: {', '.join(slow)}")
        if a.check:
            sys.exit(1)


if __name__ == "__main__":
    main()
