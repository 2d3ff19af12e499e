#!/usr/bin/env python3
"""Live-reload latency of `wa-docs serve`, with `mdbook serve` and a full `wa-docs build` as references.

bench/run measures this as part of its report (bench/results.md, through serve_site/serve_mdbook
below); bench/serve runs it alone for quick iterations and writes bench/out/serve-results.md.

A server is started on a working copy of a cached generated corpus, then pages are changed one at
a time the way editors save (temp file, then rename): a sentence appended to a paragraph
("paragraph" edits) or a new `title:` in the front matter ("title" edits, wa-docs only, since
mdBook takes titles from SUMMARY.md). The latency runs from the rename to the reload message a
browser tab would get (wa-docs: Server-Sent Events at /__wa/events; mdBook: a WebSocket at
/__livereload). Also recorded: start time (process start to the "Serving" line, or for mdBook to
its first HTTP answer) and peak resident memory (VmHWM, read just before stopping the server).
Standard library only.
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
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

from benchlib import MDBOOK, OUT, MemGuard, snapshot_wa, vm_hwm_mib, working_copy

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class ServeFailed(Exception):
    """A server did not start, died, or stopped sending reload events. bench/run records it in
    the report and goes on with its other measurements."""


class Server:
    """A dev server in its own process group, its output lines kept with arrival times, under a
    memory guard (see benchlib.MemGuard)."""

    def __init__(self, name, cmd, mem_floor):
        self.name, self.lines, self.cond = name, [], threading.Condition()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, text=True, start_new_session=True)
        self.guard = MemGuard(self.proc.pid, mem_floor, kill_root=True).__enter__()
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
        """The match of the first output line matching `pattern`, and when it arrived."""
        deadline, seen = time.monotonic() + timeout, 0
        with self.cond:
            while True:
                for t, line in self.lines[seen:]:
                    if m := re.search(pattern, line):
                        return m, t
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if self.proc.poll() is not None or left <= 0:
                    self.fail(f"exited with {self.proc.returncode}" if self.proc.poll() is not None else
                              f"did not print /{pattern}/ within {timeout:g} s")
                self.cond.wait(min(left, 0.5))

    def fail(self, why):
        if self.guard.tripped:
            why = self.guard.tripped
        raise ServeFailed(f"{self.name} {why}\nlast output:\n{self.tail()}")

    def tail(self, n=25):
        with self.cond:
            return "\n".join("  " + line for _, line in self.lines[-n:])

    def peak_mib(self):
        return vm_hwm_mib(self.proc.pid) if self.proc.poll() is None else None

    def stop(self):
        self.guard.__exit__()
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


def save(path, lines, marker):
    """Saves as editors do: a temp file, then a rename over the page. Returns the rename time
    and `marker`, text the page shows once the edit is applied."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text("\n".join(lines))
    t0 = time.perf_counter()
    os.replace(tmp, path)
    return t0, marker


def edit_paragraph(path, k):
    """Appends a sentence to the first body paragraph."""
    lines, fence = path.read_text().split("\n"), False
    for i, line in enumerate(lines):
        fence ^= line.startswith("```")
        if not fence and re.match(r"[A-Z][a-z]", line):  # paragraphs start with a capitalised word
            marker = f"Edit {k + 1} adds this sentence to the paragraph."
            lines[i] += " " + marker
            return save(path, lines, marker)
    raise ServeFailed(f"no paragraph to edit in {path}")


def edit_title(path, k):
    """Gives the page a new `title:` in its front matter (the generated titles are plain
    double-quoted strings). Every page's navigation shows titles, so this is the edit that
    reaches furthest without changing the site's structure."""
    lines = path.read_text().split("\n")
    if lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                break
            if m := re.match(r"title:\s*(.*?)\s*$", lines[i]):
                old = m.group(1)
                if len(old) >= 2 and old[0] == old[-1] and old[0] in "\"'":
                    old = old[1:-1]
                marker = f"(retitled {k + 1})"
                new = f"{old} {marker}".replace("\\", "\\\\").replace('"', '\\"')
                lines[i] = f'title: "{new}"'
                return save(path, lines, marker)
    raise ServeFailed(f"no title: in the front matter of {path}")


EDITORS = {"paragraph": edit_paragraph, "title": edit_title}


def fetch(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode(errors="replace")
    except OSError as e:
        return str(e), ""
    finally:
        conn.close()


def run_edits(name, kind, pages, events, connected, opts, port):
    """Edits each page in turn. After each reload event, fetches the edited page as the reloading
    tab would, and checks that it shows the edit: a server that renders pages on request does
    part of its work only then. Returns the edit → event and edit → page served latencies (ms)
    and the failures."""
    lat, served, failures = [], [], []
    for k, page in enumerate(pages):
        if not connected.wait(10):
            said = "; ".join(ev for _, ev in list(events.queue))
            raise ServeFailed(f"{name}: no live-reload connection within 10 s {said}".rstrip())
        # Quiet gap, plus a deterministic spread over 1 s so edits do not land in step with
        # mdBook's 1 s polling loop (which would bias its latency up or down).
        quiet = opts.gap + (k * 0.618034) % 1.0
        while True:
            try:
                events.get(timeout=quiet)
            except queue.Empty:
                break
        t0, marker = EDITORS[kind](page, k)
        try:
            t, ev = events.get(timeout=opts.timeout)
        except queue.Empty:
            t, ev = None, f"no event within {opts.timeout:g} s"
        if ev != "reload":
            failures.append(f"{page.name}: {ev}")
            print(f"  {name} {kind} edit {k + 1}/{len(pages)}: FAILED ({ev})", flush=True)
            continue
        lat.append((t - t0) * 1000)
        status, body = fetch(port, f"/{page.stem}.html")
        if status == 200 and marker in body:
            served.append((time.perf_counter() - t0) * 1000)
            print(f"  {name} {kind} edit {k + 1}/{len(pages)}: reload {lat[-1]:.0f} ms, page served {served[-1]:.0f} ms", flush=True)
        else:
            failures.append(f"{page.name}: after the reload, /{page.stem}.html answered {status}"
                            + (" without the edit" if status == 200 else ""))
            print(f"  {name} {kind} edit {k + 1}/{len(pages)}: reload {lat[-1]:.0f} ms, page NOT updated ({status})", flush=True)
    return lat, served, failures


def pick_pages(files, n):
    """n distinct pages, the same ones on every run."""
    if n > len(files):
        raise ServeFailed(f"{n} edits need {n} pages; the corpus has {len(files)}")
    return [files[i] for i in sorted(random.Random(7).sample(range(len(files)), n))]


def start_timeout(pages):
    # The first build of 100,000 pages takes minutes; never wait forever for a hung server.
    return max(300.0, pages * 0.01)


def serve_site(wa, pages, edits, opts):
    """`wa-docs serve` on a working copy of the `pages`-page corpus. `edits` is a list of
    (kind, count), measured in that order on distinct pages in one server run. Returns a dict:
    start_s, peak_mib, and per kind the latencies, failures and the server's own times."""
    root = working_copy(pages, "wa-docs", f"serve-wa-docs-{pages}")
    files = sorted((root / "content").glob("page-*.md"))
    chosen = iter(pick_pages(files, sum(c for _, c in edits)))
    srv = Server("wa-docs serve", [wa, "serve", root, "-p", "0"], opts.mem_floor)
    result = {"tool": "wa-docs serve", "pages": pages, "phases": []}
    try:
        m, t_ready = srv.wait_for(r"Serving .* on http://127\.0\.0\.1:(\d+)/", start_timeout(pages))
        result["start_s"] = t_ready - srv.started
        events, connected = queue.Queue(), threading.Event()
        threading.Thread(target=sse_listener, args=(int(m.group(1)), events, connected), daemon=True).start()
        for kind, count in edits:
            if not count:
                continue
            t_from = time.perf_counter()
            port = int(m.group(1))
            lat, served, fail = run_edits("wa-docs", kind, [next(chosen) for _ in range(count)], events, connected, opts, port)
            # The server's own view, without the notification path.
            own = [int(mm.group(1)) for t, line in list(srv.lines)
                   if t > t_from and (mm := re.search(r"(?:Rebuilt|Updated) in (\d+) ms", line))]
            result["phases"].append({"kind": kind, "lat": lat, "served": served, "fail": fail, "own": own})
        result["peak_mib"] = srv.peak_mib()
        if srv.proc.poll() is not None:
            srv.fail(f"exited with {srv.proc.returncode} during the edits")
    finally:
        srv.stop()
    return result


def serve_mdbook(pages, edits, opts):
    """`mdbook serve` on a working copy of the mdBook-layout corpus, `edits` paragraph edits."""
    root = working_copy(pages, "mdbook", f"serve-mdbook-{pages}")
    # mdBook's watcher applies the nearest .gitignore up the tree; bench/.gitignore ignores
    # out/, which would hide every edit. A book's own .gitignore (as `mdbook init` makes) wins.
    (root / ".gitignore").write_text("book\n")
    with socket.socket() as s:  # mdBook has no "pick a free port" option
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stop = threading.Event()
    version = subprocess.run([MDBOOK, "--version"], capture_output=True, text=True).stdout.strip()
    srv = Server("mdbook serve", [MDBOOK, "serve", root, "-p", port, "-n", "127.0.0.1",
                                  "--watcher", opts.mdbook_watcher], opts.mem_floor)
    result = {"tool": version.replace(" v", " serve v"), "pages": pages, "phases": []}
    try:
        # Edits made before the watcher's first scan would be missed, so wait for it, not just HTTP.
        srv.wait_for(r"Watching for changes|Listening for changes", start_timeout(pages))
        # Its HTTP server binds on another thread, possibly after that message.
        deadline, status = time.monotonic() + 30, None
        while status != 200:
            if time.monotonic() > deadline or srv.proc.poll() is not None:
                srv.fail(f"is not answering HTTP (last: {status})")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/")
                status = conn.getresponse().status
                conn.close()
            except OSError as e:
                status = e
            if status != 200:
                time.sleep(0.1)
        result["start_s"] = time.perf_counter() - srv.started
        events, connected = queue.Queue(), threading.Event()
        threading.Thread(target=ws_listener, args=(port, events, connected, stop), daemon=True).start()
        pages_ = pick_pages(sorted((root / "src").glob("page-*.md")), edits)
        lat, served, fail = run_edits("mdbook", "paragraph", pages_, events, connected, opts, port)
        result["phases"].append({"kind": "paragraph", "lat": lat, "served": served, "fail": fail, "own": []})
        result["peak_mib"] = srv.peak_mib()
    finally:
        stop.set()
        srv.stop()
    return result


def bench_build(wa, pages, builds):
    """Full `wa-docs build` wall times (ms), after one warm-up, as the reference for serve."""
    root, dest = working_copy(pages, "wa-docs", f"serve-wa-docs-{pages}"), OUT / f"serve-site-{pages}"
    times = []
    for i in range(builds + 1):  # the first run warms the page cache and is not counted
        t0 = time.perf_counter()
        p = subprocess.run([wa, "build", root, "-d", dest], capture_output=True, text=True)
        ms = (time.perf_counter() - t0) * 1000
        if p.returncode != 0:
            raise SystemExit(f"wa-docs build failed:\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
        times += [ms] if i else []
        print(f"  wa-docs build {f'{i}/{builds}' if i else 'warm-up'}: {ms:.0f} ms", flush=True)
    return times


def stats(xs):
    """Median, p90, min, max (ms), or None for no samples."""
    if not xs:
        return None
    p90 = statistics.quantiles(xs, n=10, method="inclusive")[8] if len(xs) > 1 else xs[0]
    return statistics.median(xs), p90, min(xs), max(xs)


def phase(result, kind):
    return next((p for p in result.get("phases", []) if p["kind"] == kind), None)


def table(results):
    """Markdown rows for serve results (dicts from serve_site/serve_mdbook, or failures:
    {"tool", "pages", "error"})."""
    lines = ["| pages | server | start s | peak MiB | edit | ok | failed | median ms | p90 ms | min ms | max ms | page served median ms | server's own median ms |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        head = f"| {r['pages']:,} | `{r['tool']}` | "
        if r.get("error"):
            lines.append(head + "failed: " + r["error"].splitlines()[0].replace("|", "\\|") + " |" + " |" * 10)
            continue
        head += f"{r['start_s']:.2f} | {r['peak_mib']:.0f} | " if r.get("peak_mib") else f"{r['start_s']:.2f} | – | "
        if not r["phases"]:
            lines.append(head + "none | 0 | 0 | – | – | – | – | – | – |")
        for p in r["phases"]:
            s, own, srv = stats(p["lat"]), stats(p["own"]), stats(p["served"])
            figs = " | ".join(f"{v:.0f}" for v in s) if s else "– | – | – | –"
            lines.append(head + f"{p['kind']} | {len(p['lat'])} | {len(p['fail'])} | {figs} | "
                         f"{f'{srv[0]:.0f}' if srv else '–'} | {f'{own[0]:.0f}' if own else '–'} |")
    fails = [f"- failure: {r['pages']:,} pages, {r['tool']}, {p['kind']} edit: {f}"
             for r in results for p in r.get("phases", []) for f in p["fail"]]
    return lines + ([""] + fails if fails else [])


def main():
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=20, help="paragraph edits")
    ap.add_argument("--title-edits", type=int, default=10, help="front-matter title edits (wa-docs only), after the paragraph edits")
    ap.add_argument("--builds", type=int, default=5, help="timed full builds (after one warm-up); 0 skips them")
    ap.add_argument("--no-mdbook", action="store_true", help="measure wa-docs only")
    ap.add_argument("--gap", type=float, default=0.3, help="seconds without events before each edit")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a reload")
    ap.add_argument("--mdbook-watcher", choices=["poll", "native"], default="poll",
                    help="mdBook's --watcher (poll is its default)")
    ap.add_argument("--mem-floor", type=float, default=1536, metavar="MiB",
                    help="stop a server when the machine has less memory available than this (0: never)")
    ap.add_argument("--results", default=str(OUT / "serve-results.md"))
    args = ap.parse_args()
    # SIGTERM should clean up like Ctrl-C does (the servers live in their own process groups).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not args.no_mdbook and not os.access(MDBOOK, os.X_OK):
        raise SystemExit(f"missing {MDBOOK}; run bench/serve, or pass --no-mdbook")
    wa, wa_desc = snapshot_wa("wa-docs.serve-bench")
    load_start = os.getloadavg()[0]

    results = []
    print(f"wa-docs serve ({args.pages} pages, {args.edits} paragraph + {args.title_edits} title edits)", flush=True)
    results.append(serve_site(wa, args.pages, [("paragraph", args.edits), ("title", args.title_edits)], args))
    if not args.no_mdbook:
        print(f"mdbook serve ({args.pages} pages, {args.edits} edits, {args.mdbook_watcher} watcher)", flush=True)
        results.append(serve_mdbook(args.pages, args.edits, args))
    builds = []
    if args.builds:
        print(f"wa-docs build ({args.pages} pages)", flush=True)
        builds = bench_build(wa, args.pages, args.builds)

    para = {r["tool"]: (phase(r, "paragraph") or {}).get("lat") for r in results}
    ratio = lambda a, b: f"{statistics.median(a) / statistics.median(b):.2f}x" if a and b else "–"
    wa_para = para.get("wa-docs serve")
    text = "\n".join([
        "# Live-reload latency",
        "",
        f"Generated by `bench/serve` on {datetime.date.today()} (`nproc` = {os.cpu_count()}, "
        f"1-min load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end). "
        f"{args.pages} generated pages; each edit to a different page, saved as temp file + rename, "
        f"≥{args.gap * 1000:.0f} ms quiet between edits (+0–1 s spread). Latency runs from the "
        f"rename to the event a browser tab gets; \"page served\" runs to the end of fetching the edited page "
        f"after that event (checked to show the edit). mdBook runs with `--watcher {args.mdbook_watcher}` "
        f"(poll is its default). wa-docs: {wa_desc}.",
        "",
        *table(results),
        "",
        *([f"Full rebuild (`wa-docs build DIR -d OUT`, median of {len(builds)} after a warm-up): "
           f"{statistics.median(builds):.0f} ms.", ""] if builds else []),
        *([f"- wa-docs serve / {t} (paragraph median): {ratio(wa_para, lat)}" for t, lat in para.items()
           if t != "wa-docs serve"]),
        *([f"- wa-docs serve / wa-docs full rebuild (paragraph median): {ratio(wa_para, builds)}"] if builds else []),
        "",
    ])
    print("\n" + text)
    with open(args.results, "w") as f:
        f.write(text)
    print(f"written to {args.results}")
    return 1 if any(p["fail"] for r in results for p in r["phases"]) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ServeFailed as e:
        sys.exit(str(e))
    except KeyboardInterrupt:  # the servers were already stopped by the finally blocks
        sys.exit("interrupted")
