"""Helpers shared by bench.py and serve_bench.py: the wa-docs binary under test, cached generated
corpora, working copies of them for `serve`, and a memory guard. Standard library only."""
import datetime
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
GEN = SHARED / "bench" / "gen_corpus.py"
OUT = HERE / "out"
TOOLS = HERE / ".tools"
MDBOOK = TOOLS / "bin" / "mdbook"
PAGEFIND = HERE / "node_modules" / ".bin" / "pagefind"


def wa_binary():
    """The wa-docs under test: $WA_DOCS_BIN, else this checkout's release build."""
    return Path(os.environ.get("WA_DOCS_BIN") or ROOT / "target" / "release" / "wa-docs")


def snapshot_wa(name):
    """Copies the binary under test into bench/out and describes it. target/release is rebuilt
    often while others work, and every figure of one run must come from the same binary."""
    src = wa_binary()
    if not os.access(src, os.X_OK):
        raise SystemExit(f"missing {src}; build it (cargo build --release) or set WA_DOCS_BIN")
    OUT.mkdir(exist_ok=True)
    dst = OUT / name
    shutil.copy2(src, dst)
    built = datetime.datetime.fromtimestamp(dst.stat().st_mtime).isoformat(" ", "seconds")
    version = subprocess.run([dst, "--version"], capture_output=True, text=True).stdout.strip()
    return dst, f"`{version or 'wa-docs'}` from `{src}`, built {built}"


def corpus(n, layout):
    """The generated corpus of n pages in `layout`, generated once and cached in bench/out.

    A stamp beside it names the generator's hash, so a changed generator regenerates; the text is
    written to a scratch folder and renamed at the end, so an interrupted run never leaves a
    half-written corpus that a later run would take as complete."""
    OUT.mkdir(exist_ok=True)
    d, stamp = OUT / f"corpus-{n}-{layout}", OUT / f"corpus-{n}-{layout}.stamp"
    key = f"{hashlib.sha256(GEN.read_bytes()).hexdigest()[:16]} {n} {layout}\n"
    if d.is_dir() and stamp.is_file() and stamp.read_text() == key:
        return d
    tmp = OUT / f".corpus-{n}-{layout}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(d, ignore_errors=True)
    t0 = time.monotonic()
    print(f"generating the {n:,}-page corpus ({layout} layout)", flush=True)
    subprocess.run([sys.executable, str(GEN), str(n), str(tmp), "--layout", layout], check=True)
    tmp.rename(d)
    stamp.write_text(key)
    print(f"  generated in {time.monotonic() - t0:.0f} s", flush=True)
    return d


def working_copy(n, layout, name):
    """A copy of the cached corpus that a benchmark may edit, made of hard links so that even
    100,000 pages take a second and no disk space. Safe because the edits save as editors do
    (temp file + rename), which replaces the link instead of writing through it. Files at the top
    (book.toml, ...) are real copies, and dot-folders (a tool's cache such as .wa-cache) stay behind."""
    src, dst = corpus(n, layout), OUT / name
    shutil.rmtree(dst, ignore_errors=True)
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(x for x in dirnames if not x.startswith("."))
        rel = os.path.relpath(dirpath, src)
        (dst / rel).mkdir(parents=True, exist_ok=True)
        for f in filenames:
            if f.startswith("."):
                continue
            a, b = os.path.join(dirpath, f), dst / rel / f
            if rel == ".":
                shutil.copy2(a, b)
            else:
                os.link(a, b)
    return dst


def mem_available_mib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return float("inf")


def vm_hwm_mib(pid):
    """Peak resident memory of a live process (VmHWM), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def descendants(pid):
    """Every process below `pid`, children first."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    kids = [int(x) for x in f.read().split()]
                out += kids
                todo += kids
        except OSError:
            continue
    return out


class MemGuard:
    """Stops a measured process tree before the machine runs out of memory.

    The machine is shared (other people compile on it) and a peer at 100,000 pages may want more
    memory than it has; the kernel's OOM killer could then pick anyone's process. When
    MemAvailable falls below `floor_mib`, the processes below `pid` are killed (and `pid` itself
    when `kill_root`), and `tripped` says so. With kill_root false, /usr/bin/time survives to
    report the peak memory reached."""

    def __init__(self, pid, floor_mib, kill_root=False):
        self.pid, self.floor, self.kill_root = pid, floor_mib, kill_root
        self.tripped, self.done = None, threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        if self.floor > 0:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()

    def _watch(self):
        while not self.done.wait(0.1):
            avail = mem_available_mib()
            if avail < self.floor:
                self.tripped = f"stopped by the memory guard (machine had {avail:.0f} MiB left)"
                for p in descendants(self.pid) + ([self.pid] if self.kill_root else []):
                    try:
                        os.kill(p, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                return


def fmt_bytes(n):
    return f"{n / 1024:.0f} KiB" if n < 10 * 1024 * 1024 else f"{n / 1048576:.1f} MiB"
