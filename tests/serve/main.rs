//! `wa-docs serve` end to end: a real server on port 0 over a temporary copy of a fixture.

#[path = "../common/mod.rs"]
mod common;

mod basics;
mod editor_storm;
mod live_edits;
mod scaling;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant, SystemTime};

struct Server {
    child: Child,
    port: u16,
    /// Everything the server printed to stderr so far.
    log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Builds finished so far, good or failed (the server logs one line for each).
    fn builds(&self) -> usize {
        let log = self.log();
        log.matches("Rebuilt in ").count()
            + log.matches("Updated in ").count()
            + log.matches("Build failed").count()
    }

    fn assert_running(&mut self) {
        let status = self.child.try_wait().unwrap();
        assert!(
            status.is_none(),
            "serve exited ({status:?}):\n{}",
            self.log()
        );
    }
}

fn start(dir: &Path) -> Server {
    start_with(dir, &[])
}

fn start_with(dir: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wa-docs"))
        .args(["serve", ".", "-p", "0"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let log = Arc::new(Mutex::new(String::new()));
    let stderr = child.stderr.take().unwrap();
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let mut log = sink.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .rsplit(':')
        .next()
        .and_then(|s| s.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Server { child, port, log }
}

/// One HTTP/1.1 request with a raw path (so `..` reaches the server as typed).
fn request_bytes(port: u16, path: &str, host: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let head_end = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(out.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&out[..head_end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out[head_end..].to_vec())
}

fn request(port: u16, path: &str, host: &str) -> (u16, String) {
    let (status, body) = request_bytes(port, path, host);
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get(port: u16, path: &str) -> (u16, String) {
    request(port, path, &format!("127.0.0.1:{port}"))
}

/// Reads the event stream on a thread; events arrive on the channel as (name, data).
fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__wa/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let reader = BufReader::new(s);
        let mut name = String::new();
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ")
                && tx.send((name.clone(), d.to_string())).is_err()
            {
                break;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    rx
}

fn wait_for(rx: &mpsc::Receiver<(String, String)>, want: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((name, data)) if name == want => return data,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no `{want}` event within 20 s");
}

/// Marks an output folder as written by wa-docs; it is never served.
const MARKER: &str = ".wa-docs-output";
/// The one way a page served by `serve` differs from the built file, by design.
const LIVE_SCRIPT: &[u8] = b"<script src=\"/__wa/live.js\"></script>";

/// Every file of a site folder, by path. A folder being swapped
/// in by a build reads as whatever was there (the caller compares again).
fn site_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(e.path()).ok()?;
            Some((rel, bytes))
        })
        .collect()
}

/// A fresh `wa-docs build` of the sources as they are now.
fn fresh_build(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let run = common::wa(&["build", ".", "-q", "-d", dest.to_str().unwrap()], dir);
    assert_eq!(run.code, 0, "fresh build failed:\n{}", run.stderr);
    site_tree(&dest)
}

fn without_live_script(mut html: Vec<u8>) -> Vec<u8> {
    if let Some(i) = html
        .windows(LIVE_SCRIPT.len())
        .rposition(|w| w == LIVE_SCRIPT)
    {
        html.drain(i..i + LIVE_SCRIPT.len());
    }
    html
}

/// How the site `serve` shows differs from `want` (a fresh build): every file over HTTP,
/// `gone` (files of an earlier site) answered 404, and the output folder `dest` whole.
fn differences(
    port: u16,
    dest: Option<&Path>,
    want: &BTreeMap<String, Vec<u8>>,
    gone: &[String],
) -> Vec<String> {
    let mut diffs = Vec::new();
    for (path, bytes) in want.iter().filter(|(p, _)| *p != MARKER) {
        let (status, mut body) =
            request_bytes(port, &format!("/{path}"), &format!("127.0.0.1:{port}"));
        if path.ends_with(".html") {
            body = without_live_script(body);
        }
        if status != 200 || body != *bytes {
            diffs.push(format!(
                "served /{path}: status {status}, {} bytes where a build has {}",
                body.len(),
                bytes.len()
            ));
        }
    }
    for path in gone.iter().filter(|p| !want.contains_key(*p)) {
        let status = get(port, &format!("/{path}")).0;
        if status != 404 {
            diffs.push(format!("served /{path}: status {status}, but it is gone"));
        }
    }
    if let Some(dest) = dest {
        let have = site_tree(dest);
        for path in want.keys().filter(|p| !have.contains_key(*p)) {
            diffs.push(format!("output folder: {path} missing"));
        }
        for (path, bytes) in &have {
            match want.get(path) {
                None => diffs.push(format!("output folder: {path} should not be there")),
                Some(b) if b != bytes => diffs.push(format!("output folder: {path} differs")),
                Some(_) => {}
            }
        }
    }
    diffs
}

/// Waits (30 s at most) until `serve` shows exactly `want`.
fn settle(srv: &Server, dest: Option<&Path>, want: &BTreeMap<String, Vec<u8>>, gone: &[String]) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let diffs = differences(srv.port, dest, want, gone);
        if diffs.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "30 s after the last change, serve still differs from a fresh build:\n{}\n\nserve's log:\n{}",
            diffs.join("\n"),
            srv.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Sets every file's modification time an hour back, as in a project checked out long ago:
/// serve's cache then trusts file stamps from its first build on.
fn age_sources(dir: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let f = File::options().write(true).open(e.path()).unwrap();
            f.set_modified(old).unwrap();
        }
    }
}

/// A note page; every version has the same size.
fn note(n: usize, version: usize) -> String {
    format!(
        "---\ntitle: Note {n:02}\nweight: {}\n---\n## Entry\n\nVersion {version:04} of note {n:02}, \
         about [[dim-safety]] and the [[intro-page|introduction]].\n",
        n + 10
    )
}

/// Saves `text` the way one of five kinds of editor or tool does.
fn save(path: &Path, text: &str, how: usize) {
    match how % 5 {
        // In place, one write.
        0 => std::fs::write(path, text).unwrap(),
        // Most editors: a temporary file beside it, renamed over it.
        1 => {
            let tmp = path.with_extension("md.tmp");
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, path).unwrap();
        }
        // Truncated first, written a moment later.
        2 => {
            let mut f = File::create(path).unwrap();
            f.sync_data().unwrap();
            std::thread::sleep(Duration::from_millis(2));
            f.write_all(text.as_bytes()).unwrap();
        }
        // Deleted, then written anew.
        3 => {
            std::fs::remove_file(path).unwrap();
            std::thread::sleep(Duration::from_millis(2));
            std::fs::write(path, text).unwrap();
        }
        // In place with the old modification time put back, as `cp -p` or `rsync -t
        // --inplace` do: same size, same inode, same mtime, new bytes.
        _ => {
            let was = std::fs::metadata(path).unwrap().modified().unwrap();
            let mut f = File::options()
                .write(true)
                .truncate(true)
                .open(path)
                .unwrap();
            f.write_all(text.as_bytes()).unwrap();
            f.set_modified(was).unwrap();
        }
    }
}
