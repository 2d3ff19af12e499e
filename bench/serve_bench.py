#!/usr/bin/env python3
"""Live-reload latency: `wa-docs serve` against `mdbook serve`, with a full `wa-docs build` as reference.

Run through bench/serve, which installs the pinned mdBook. On a fresh generated corpus, each
server is started, then --edits pages are changed one at a time the way editors save (temp file,
then rename); the latency is from the rename to the reload message a browser tab would get
(wa-docs: Server-Sent Events at /__wa/events; mdBook: a WebSocket at /__livereload). Prints a
table and writes bench/serve-results.md. Standard library only.
"""
import argparse
import base64
import datetime
import hashlib
import http.client
import os
import queue
import random
import re
import shutil
import signal
import socket
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
WA = ROOT / "target" / "release" / "wa-docs"
MDBOOK = HERE / ".tools" / "bin" / "mdbook"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def corpus(layout, n):
    path = OUT / f"serve-{layout}-{n}"
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run([sys.executable, str(SHARED / "bench" / "gen_corpus.py"), str(n), str(path),
                    "--layout", layout], check=True)
    if layout == "mdbook":
        # mdBook's watcher applies the nearest .gitignore up the tree; bench/.gitignore ignores
        # out/, which would hide every edit. A book's own .gitignore (as `mdbook init` makes) wins.
        (path / ".gitignore").write_text("book\n")
    return path


class Server:
    """A dev server in its own process group, its output lines kept with arrival times."""

    def __init__(self, name, cmd):
        self.name, self.lines, self.cond = name, [], threading.Condition()
        self.proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, text=True, start_new_session=True)
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        # Drained continuously: a full stderr pipe would stall the server mid-rebuild.
        for line in stream:
            with self.cond:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, pattern, timeout):
        deadline, seen = time.monotonic() + timeout, 0
        with self.cond:
            while True:
                for _, line in self.lines[seen:]:
                    if m := re.search(pattern, line):
                        return m
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if self.proc.poll() is not None or left <= 0:
                    why = f"exited with {self.proc.returncode}" if self.proc.poll() is not None else \
                        f"did not print /{pattern}/ within {timeout} s"
                    raise SystemExit(f"{self.name} {why}; last output:\n{self.tail()}")
                self.cond.wait(min(left, 0.5))

    def tail(self, n=25):
        with self.cond:
            return "\n".join("  " + line for _, line in self.lines[-n:])

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGINT)
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass


def sse_listener(port, events, connected):
    """What live.js does: one EventSource on /__wa/events for the life of the page."""
    conn = http.client.HTTPConnection("127.0.0.1", port)  # sends Host: 127.0.0.1:<port>
    conn.request("GET", "/__wa/events", headers={"Accept": "text/event-stream"})
    resp = conn.getresponse()
    if resp.status != 200:
        events.put((time.perf_counter(), f"(/__wa/events answered HTTP {resp.status})"))
        return
    connected.set()  # the server subscribes before it answers, so nothing can be missed now
    while line := resp.readline():
        if line.startswith(b"event:"):
            events.put((time.perf_counter(), line[6:].strip().decode()))
    connected.clear()


def ws_open(port):
    """Opens ws://127.0.0.1:<port>/__livereload; returns the socket and a reader, or None if refused."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /__livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    f = sock.makefile("rb")
    status, headers = f.readline(), {}
    while (h := f.readline().strip()):
        k, _, v = h.decode().partition(":")
        headers[k.strip().lower()] = v.strip()
    accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
    if b" 101 " not in status or headers.get("sec-websocket-accept") != accept:
        sock.close()
        return None, status.decode(errors="replace").strip()
    sock.settimeout(None)
    return sock, f


def ws_listener(port, events, connected, stop):
    """What mdBook's page script does: a WebSocket on /__livereload, reopened after each reload
    (the page reloads; the server closes the socket after its one message)."""
    while not stop.is_set():
        try:
            sock, f = ws_open(port)
            if sock is None:
                events.put((time.perf_counter(), f"(WebSocket handshake refused: {f})"))
                return
            with sock:
                connected.set()
                while len(hdr := f.read(2)) == 2:
                    t = time.perf_counter()
                    opcode, size = hdr[0] & 0x0F, hdr[1] & 0x7F
                    if size >= 126:
                        size = int.from_bytes(f.read(2 if size == 126 else 8), "big")
                    if hdr[1] & 0x80:  # servers must not mask, but skip a mask key if one is sent
                        f.read(4)
                    payload = f.read(size)
                    if opcode == 1:
                        connected.clear()  # first, so the next edit waits for the reconnect
                        events.put((t, payload.decode(errors="replace")))
                        break
                    if opcode == 8:
                        break
        except OSError:  # refused or reset (e.g. while the server stops); retry like the page does
            time.sleep(0.05)
        connected.clear()


def edit(path, k):
    """Appends a sentence to the first body paragraph, saved as editors do; returns the rename time."""
    lines, fence = path.read_text().split("\n"), False
    for i, line in enumerate(lines):
        fence ^= line.startswith("```")
        if not fence and re.match(r"[A-Z][a-z]", line):  # paragraphs start with a capitalised word
            lines[i] += f" Edit {k + 1} adds this sentence to the paragraph."
            break
    else:
        raise SystemExit(f"no paragraph to edit in {path}")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text("\n".join(lines))
    t0 = time.perf_counter()
    os.replace(tmp, path)
    return t0


def run_edits(name, pages, events, connected, args):
    lat, failures = [], []
    for k, page in enumerate(pages):
        if not connected.wait(10):
            said = "; ".join(ev for _, ev in list(events.queue))
            raise SystemExit(f"{name}: no live-reload connection within 10 s {said}".rstrip())
        # Quiet gap, plus a deterministic spread over 1 s so edits do not land in step with
        # mdBook's 1 s polling loop (which would bias its latency up or down).
        quiet = args.gap + (k * 0.618034) % 1.0
        while True:
            try:
                events.get(timeout=quiet)
            except queue.Empty:
                break
        t0 = edit(page, k)
        try:
            t, ev = events.get(timeout=args.timeout)
        except queue.Empty:
            t, ev = None, f"no event within {args.timeout:g} s"
        if ev == "reload":
            lat.append((t - t0) * 1000)
        else:
            failures.append(f"{page.name}: {ev}")
        print(f"  {name} edit {k + 1}/{len(pages)}: "
              + (f"{lat[-1]:.0f} ms" if ev == "reload" else f"FAILED ({ev})"), flush=True)
    return lat, failures


def pick_pages(files, n):
    return [files[i] for i in sorted(random.Random(7).sample(range(len(files)), n))]


def bench_wa(wa, args):
    root = corpus("wa-docs", args.pages)
    srv = Server("wa-docs serve", [wa, "serve", root, "-p", "0"])
    try:
        port = int(srv.wait_for(r"Serving .* on http://127\.0\.0\.1:(\d+)/", 300).group(1))
        ready = time.perf_counter()
        events, connected = queue.Queue(), threading.Event()
        threading.Thread(target=sse_listener, args=(port, events, connected), daemon=True).start()
        pages = pick_pages(sorted((root / "content").glob("page-*.md")), args.edits)
        lat, failures = run_edits("wa-docs", pages, events, connected, args)
    finally:
        srv.stop()
    # The server's own view, without the notification path: every rebuild after the first build.
    own = [int(m.group(1)) for t, line in srv.lines
           if t > ready and (m := re.search(r"Rebuilt in (\d+) ms", line))]
    return lat, failures, own


def bench_mdbook(args):
    root = corpus("mdbook", args.pages)
    with socket.socket() as s:  # mdBook has no "pick a free port" option
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stop = threading.Event()
    srv = Server("mdbook serve", [MDBOOK, "serve", root, "-p", port, "-n", "127.0.0.1",
                                  "--watcher", args.mdbook_watcher])
    try:
        # Edits made before the watcher's first scan would be missed, so wait for it, not just HTTP.
        srv.wait_for(r"Watching for changes|Listening for changes", 300)
        # Its HTTP server binds on another thread, possibly after that message.
        deadline, status = time.monotonic() + 30, None
        while status != 200:
            if time.monotonic() > deadline or srv.proc.poll() is not None:
                raise SystemExit(f"mdbook serve is not answering HTTP (last: {status}); output:\n{srv.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/")
                status = conn.getresponse().status
                conn.close()
            except OSError as e:
                status = e
            if status != 200:
                time.sleep(0.1)
        events, connected = queue.Queue(), threading.Event()
        threading.Thread(target=ws_listener, args=(port, events, connected, stop), daemon=True).start()
        pages = pick_pages(sorted((root / "src").glob("page-*.md")), args.edits)
        return run_edits("mdbook", pages, events, connected, args)
    finally:
        stop.set()
        srv.stop()


def bench_build(wa, args):
    root, dest = corpus("wa-docs", args.pages), OUT / f"serve-site-{args.pages}"
    times = []
    for i in range(args.builds + 1):  # the first run warms the page cache and is not counted
        t0 = time.perf_counter()
        p = subprocess.run([wa, "build", root, "-d", dest], capture_output=True, text=True)
        ms = (time.perf_counter() - t0) * 1000
        if p.returncode != 0:
            raise SystemExit(f"wa-docs build failed:\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
        times += [ms] if i else []
        print(f"  wa-docs build {f'{i}/{args.builds}' if i else 'warm-up'}: {ms:.0f} ms", flush=True)
    return times


def stats(xs):
    if not xs:
        return ["–"] * 4
    p90 = statistics.quantiles(xs, n=10, method="inclusive")[8] if len(xs) > 1 else xs[0]
    return [f"{v:.0f}" for v in (statistics.median(xs), p90, min(xs), max(xs))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--builds", type=int, default=5, help="timed full builds (after one warm-up)")
    ap.add_argument("--gap", type=float, default=0.3, help="seconds without events before each edit")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a reload")
    ap.add_argument("--mdbook-watcher", choices=["poll", "native"], default="poll",
                    help="mdBook's --watcher (poll is its default)")
    args = ap.parse_args()
    # SIGTERM should clean up like Ctrl-C does (the servers live in their own process groups).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for tool in (WA, MDBOOK):
        if not os.access(tool, os.X_OK):
            raise SystemExit(f"missing {tool}; run bench/serve")
    OUT.mkdir(exist_ok=True)
    # target/release/wa-docs is rebuilt often by others; a snapshot keeps all three figures on one binary.
    wa = OUT / "wa-docs.serve-bench"
    shutil.copy2(WA, wa)
    built = datetime.datetime.fromtimestamp(wa.stat().st_mtime).isoformat(" ", "seconds")
    mdbook_version = subprocess.run([MDBOOK, "--version"], capture_output=True, text=True).stdout.strip()
    load_start = os.getloadavg()[0]

    print(f"wa-docs serve ({args.pages} pages, {args.edits} edits)", flush=True)
    wa_lat, wa_fail, wa_own = bench_wa(wa, args)
    print(f"mdbook serve ({args.pages} pages, {args.edits} edits, {args.mdbook_watcher} watcher)", flush=True)
    md_lat, md_fail = bench_mdbook(args)
    print(f"wa-docs build ({args.pages} pages)", flush=True)
    builds = bench_build(wa, args)

    rows = [("`wa-docs serve` (edit → reload event)", wa_lat, wa_fail, stats(wa_own)[0]),
            (f"`{mdbook_version.replace(' v', ' serve` v')} (edit → reload message)", md_lat, md_fail, "–"),
            ("`wa-docs build` (full rebuild, wall)", builds, [], "–")]
    ratio = lambda a, b: f"{statistics.median(a) / statistics.median(b):.2f}x" if a and b else "–"
    text = "\n".join([
        "# Live-reload latency",
        "",
        f"Generated by `bench/serve` on {datetime.date.today()} (`nproc` = "
        f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}, "
        f"1-min load average {load_start:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at end). {args.pages} generated pages; {args.edits} edits, each "
        f"to a different page (one sentence appended to a paragraph, saved as temp file + rename), "
        f"≥{args.gap * 1000:.0f} ms quiet between edits (+0–1 s spread). Latency runs from the "
        f"rename to the event a browser tab gets. mdBook runs with `--watcher "
        f"{args.mdbook_watcher}` (poll is its default). Full rebuild: median of {args.builds} runs of `wa-docs build DIR -d OUT` after "
        f"a warm-up. wa-docs binary built {built}.",
        "",
        "| what | median ms | p90 ms | min ms | max ms | ok | failed | server's own rebuild median ms |",
        "|---|---|---|---|---|---|---|---|",
        *(f"| {name} | {' | '.join(stats(xs))} | {len(xs)} | {len(fail)} | {own} |"
          for name, xs, fail, own in rows),
        "",
        f"- wa-docs serve / mdbook serve (median): {ratio(wa_lat, md_lat)}",
        f"- wa-docs serve / wa-docs full rebuild (median): {ratio(wa_lat, builds)}",
        *(f"- failure: {name.split('`')[1]}: {f}" for name, _, fails, _ in rows for f in fails),
        "",
    ])
    print("\n" + text)
    (HERE / "serve-results.md").write_text(text)
    return 1 if wa_fail or md_fail else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers were already stopped by the finally blocks
        sys.exit("interrupted")
