//! `wa-docs serve` end to end: a real server on port 0 over a temporary copy of a fixture.

mod common;

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

#[test]
fn serve_reloads_shows_errors_and_refuses_escapes() {
    let dir = common::copy_fixture("basic");
    let srv = start(dir.path());
    let port = srv.port;

    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("Fixture Home") && home.contains("/__wa/live.js"));

    let rx = events(port);
    // Editing markdown delivers a reload and the new content.
    common::edit(
        &dir.path().join("content/dimensions/safety.md"),
        "Count the harmful outputs.",
        "Count harmful outputs per thousand answers.",
    );
    wait_for(&rx, "reload");
    assert!(
        get(port, "/dimensions/safety.html")
            .1
            .contains("per thousand answers")
    );

    // Editing a lens changes its question page and the backlinks on the dimension page.
    common::edit(
        &dir.path().join("lenses/test.yaml"),
        "title: Restrict invocation to named roles",
        "title: Restrict invocation to approved roles",
    );
    wait_for(&rx, "reload");
    assert!(
        get(port, "/lenses/test-lens/tsec01.html")
            .1
            .contains("Restrict invocation to approved roles")
    );
    assert!(
        get(port, "/dimensions/safety.html")
            .1
            .contains("Restrict invocation to approved roles")
    );

    // A broken edit: the overlay payload names file:line, the last good page is still served.
    common::edit(
        &dir.path().join("content/guide/intro.md"),
        "[[TSEC01-BP01|",
        "[[TSEC01-BP99|",
    );
    let payload = wait_for(&rx, "build-error");
    assert!(payload.contains("content/guide/intro.md:8:"), "{payload}");
    let (status, intro) = get(port, "/guide/intro.html");
    assert_eq!(status, 200);
    assert!(intro.contains("the first best practice"));
    assert!(get(port, "/__wa/status").1.contains("TSEC01-BP99"));

    // Fixing it clears the error.
    common::edit(
        &dir.path().join("content/guide/intro.md"),
        "[[TSEC01-BP99|",
        "[[TSEC01-BP01|",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok((name, _)) = rx.recv_timeout(Duration::from_secs(20))
            && (name == "ok" || name == "reload")
        {
            break;
        }
        assert!(Instant::now() < deadline, "error never cleared");
    }
    assert_eq!(get(port, "/__wa/status").1, "{\"diagnostics\":[]}");

    // Nothing outside the site is served, and foreign Host headers are refused.
    assert_eq!(get(port, "/../Cargo.toml").0, 400);
    assert_eq!(get(port, "/%2e%2e/%2e%2e/Cargo.toml").0, 400);
    assert_eq!(get(port, "/guide\\..\\..\\book.toml").0, 400);
    assert_eq!(request(port, "/", "evil.example").0, 403);
    assert_eq!(request(port, "/", &format!("attacker.test:{port}")).0, 403);
    assert_eq!(get(port, "/no-such-page.html").0, 404);
}

#[test]
fn a_taken_port_gives_a_clear_message() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let dir = common::copy_fixture("basic");
    let out = Command::new(env!("CARGO_BIN_EXE_wa-docs"))
        .args(["serve", ".", "-p", &port])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in use"));
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

#[test]
fn after_an_editor_storm_serve_shows_exactly_what_a_build_makes() {
    let dir = common::copy_fixture("basic");
    let root = dir.path();
    let fixture_pages = [
        "index.md",
        "guide/intro.md",
        "guide/setup.md",
        "dimensions/safety.md",
        "dimensions/fairness.md",
        "scenarios/chatbot.md",
    ]
    .map(|p| {
        (
            root.join("content").join(p),
            common::read(&root.join("content").join(p)),
        )
    });
    std::fs::create_dir(root.join("content/notes")).unwrap();
    let notes = 50 - fixture_pages.len();
    for n in 0..notes {
        std::fs::write(
            root.join(format!("content/notes/page-{n:02}.md")),
            note(n, 0),
        )
        .unwrap();
    }
    age_sources(root);
    let before = fresh_build(root);
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("served");
    let srv = start_with(root, &["-d", dest.to_str().unwrap()]);
    settle(&srv, Some(&dest), &before, &[]);
    let builds_before = srv.builds();

    // 200 saves across 50 files in about two seconds; halfway through, the notes folder is
    // renamed, and later saves go to its new name.
    let mut notes_dir = root.join("content/notes");
    let started = Instant::now();
    for i in 0..200 {
        if i == 100 {
            let renamed = root.join("content/journal");
            std::fs::rename(&notes_dir, &renamed).unwrap();
            notes_dir = renamed;
        }
        // 17 and 50 share no factor: every file is saved four times.
        let f = i * 17 % 50;
        let (path, text) = match fixture_pages.get(f) {
            Some((path, text)) => (path.clone(), format!("{text}\nStorm edit {i:04}.\n")),
            None => {
                let n = f - fixture_pages.len();
                (notes_dir.join(format!("page-{n:02}.md")), note(n, i))
            }
        };
        save(&path, &text, i);
        std::thread::sleep(Duration::from_millis(8));
    }
    let storm = started.elapsed();

    let after = fresh_build(root);
    let gone: Vec<String> = before
        .keys()
        .filter(|p| !after.contains_key(*p))
        .cloned()
        .collect();
    assert!(gone.iter().any(|p| p.starts_with("notes/")), "{gone:?}");
    settle(&srv, Some(&dest), &after, &gone);
    // What the user sees: the last version of every note, under the folder's new name, even
    // those whose saves kept size, inode and modification time.
    for n in 0..notes {
        let last = (0..200)
            .rev()
            .find(|i| i * 17 % 50 == n + fixture_pages.len())
            .unwrap();
        let page = get(srv.port, &format!("/journal/page-{n:02}.html")).1;
        assert!(
            page.contains(&format!("Version {last:04} of note {n:02}")),
            "note {n}"
        );
    }
    // Bursts are coalesced: nowhere near one rebuild per save.
    let builds = srv.builds() - builds_before;
    eprintln!("storm of 200 saves in {storm:?}: {builds} rebuilds");
    assert!(
        builds <= 25,
        "{builds} rebuilds for 200 saves:\n{}",
        srv.log()
    );
}

/// Waits (10 s at most) until the server has logged `pattern` `n` times: an event can overtake
/// the server's log lines through the pipe.
fn logged(srv: &Server, pattern: &str, n: usize) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let count = srv.log().matches(pattern).count();
        if count >= n || Instant::now() > deadline {
            return count == n;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for the next reload (or "nothing changed") event.
fn next_update(rx: &mpsc::Receiver<(String, String)>) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok((name, _)) = rx.recv_timeout(Duration::from_secs(20))
            && matches!(name.as_str(), "reload" | "ok" | "build-error")
        {
            return name;
        }
    }
    panic!("no update within 20 s");
}

#[test]
fn body_edits_are_applied_in_place_and_serve_what_a_build_makes() {
    let dir = common::copy_fixture("basic");
    let root = dir.path();
    let setup = root.join("content/guide/setup.md");
    let intro = root.join("content/guide/intro.md");
    // A link whose text is the page's title.
    std::fs::write(
        &intro,
        format!("{}\nNext: [[guide/setup]].\n", common::read(&intro)),
    )
    .unwrap();
    let srv = start(root);
    settle(&srv, None, &fresh_build(root), &[]);
    let rx = events(srv.port);

    // A new paragraph with a link: the page, the linked page's "cited by", the print view
    // and the search index all change, yet only this page's markdown is rendered again.
    let text = common::read(&setup);
    std::fs::write(
        &setup,
        format!("{text}\nStorm drains need [[dim-fair|fairness checks]] too.\n"),
    )
    .unwrap();
    assert_eq!(next_update(&rx), "reload");
    assert!(logged(&srv, "Updated in ", 1), "{}", srv.log());
    let page = get(srv.port, "/guide/setup.html").1;
    assert!(page.contains("Storm drains need"), "{page}");
    settle(&srv, None, &fresh_build(root), &[]);

    // Taking the link out again takes the backlink away.
    std::fs::write(&setup, &text).unwrap();
    assert_eq!(next_update(&rx), "reload");
    settle(&srv, None, &fresh_build(root), &[]);

    // A broken link is reported in full, with file:line, and fixing it clears it.
    std::fs::write(&setup, format!("{text}\nSee [[no-such-id]].\n")).unwrap();
    assert_eq!(next_update(&rx), "build-error");
    assert!(
        get(srv.port, "/__wa/status")
            .1
            .contains("content/guide/setup.md:")
    );
    std::fs::write(&setup, format!("{text}\nSee [[dim-fair]].\n")).unwrap();
    assert_eq!(next_update(&rx), "reload");
    assert_eq!(get(srv.port, "/__wa/status").1, "{\"diagnostics\":[]}");
    settle(&srv, None, &fresh_build(root), &[]);

    // A new title shows in the sidebar of every page, in the links that name the page and in
    // search: also applied in place.
    let updated = srv.log().matches("Updated in ").count();
    common::edit(&setup, "title: Setup", "title: Setting up");
    assert_eq!(next_update(&rx), "reload");
    assert!(logged(&srv, "Updated in ", updated + 1), "{}", srv.log());
    assert!(
        get(srv.port, "/guide/intro.html")
            .1
            .contains("Setting up</a>")
    );
    settle(&srv, None, &fresh_build(root), &[]);

    // A new weight reorders the navigation: the site is rebuilt whole.
    let rebuilt = srv.log().matches("Rebuilt in ").count();
    common::edit(&setup, "weight: 2", "weight: 0");
    assert_eq!(next_update(&rx), "reload");
    assert!(logged(&srv, "Rebuilt in ", rebuilt + 1), "{}", srv.log());
    settle(&srv, None, &fresh_build(root), &[]);
}

#[test]
fn serve_survives_the_content_folder_going_away_and_coming_back() {
    let dir = common::copy_fixture("basic");
    let root = dir.path();
    let content = root.join("content");
    let safety = content.join("dimensions/safety.md");
    let mut srv = start(root);
    let rx = events(srv.port);

    // `rm -rf content`, or a checkout of a branch without it: the lens links to pages that
    // are gone, so the build fails; the last good site is still served, the error shown.
    std::fs::remove_dir_all(&content).unwrap();
    let payload = wait_for(&rx, "build-error");
    assert!(payload.contains("dim-safety"), "{payload}");
    srv.assert_running();
    assert!(logged(&srv, "Build failed", 1), "{}", srv.log());
    let (status, home) = get(srv.port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("Fixture Home"));
    assert!(get(srv.port, "/__wa/status").1.contains("dim-safety"));

    // Recreated folder by folder, file by file: watched again.
    common::copy_dir(&common::fixture("basic").join("content"), &content);
    settle(&srv, None, &fresh_build(root), &[]);
    common::edit(
        &safety,
        "Count the harmful outputs.",
        "Count outputs flagged by reviewers.",
    );
    settle(&srv, None, &fresh_build(root), &[]);
    assert!(
        get(srv.port, "/dimensions/safety.html")
            .1
            .contains("flagged by reviewers")
    );

    // Moved away and back, as `git stash` and `git stash pop` of a tree can look.
    let aside = root.join("content.bak");
    std::fs::rename(&content, &aside).unwrap();
    wait_for(&rx, "build-error");
    srv.assert_running();
    std::fs::rename(&aside, &content).unwrap();
    settle(&srv, None, &fresh_build(root), &[]);
    common::edit(&safety, "flagged by reviewers", "flagged by two reviewers");
    settle(&srv, None, &fresh_build(root), &[]);
    assert!(
        get(srv.port, "/dimensions/safety.html")
            .1
            .contains("two reviewers")
    );
    srv.assert_running();
}

#[test]
fn edits_show_up_while_other_files_keep_changing() {
    // Something keeps writing in the project, though never a source: a build into `book/`,
    // git, an editor's swap file. A save must still reach the page.
    let dir = common::copy_fixture("basic");
    let root = dir.path().to_path_buf();
    let srv = start(&root);
    let rx = events(srv.port);
    let stop = Arc::new(AtomicBool::new(false));
    let noise = {
        let (stop, root) = (stop.clone(), root.clone());
        std::thread::spawn(move || {
            std::fs::create_dir_all(root.join("book")).unwrap();
            let swap = root.join("content/dimensions/.safety.md.swp");
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                std::fs::write(root.join("book/noise.txt"), i.to_string()).unwrap();
                std::fs::write(&swap, i.to_string()).unwrap();
                i += 1;
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    common::edit(
        &root.join("content/dimensions/safety.md"),
        "Count the harmful outputs.",
        "Count outputs flagged by reviewers.",
    );
    wait_for(&rx, "reload");
    let page = get(srv.port, "/dimensions/safety.html").1;
    stop.store(true, Ordering::Relaxed);
    noise.join().unwrap();
    assert!(page.contains("flagged by reviewers"));
}

/// A project of `n` plain pages, each linking to the next by id.
fn pages_project(dir: &Path, n: usize) {
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"Work\"\n").unwrap();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    for i in 0..n {
        std::fs::write(
            content.join(format!("page-{i:05}.md")),
            format!(
                "---\ntitle: Page {i}\n---\n\nSome text about page {i}. Next: [[page-{:05}]].\n",
                (i + 1) % n
            ),
        )
        .unwrap();
    }
}

/// Work per edit is proportional to the edit (ARCHITECTURE.md): the same paragraph and title
/// edits visit the same items before the reload on a site ten times larger. Counted, not
/// timed (bench/results.md has the times at 10,000 and 100,000 pages).
#[test]
fn an_edit_costs_the_same_work_on_a_site_ten_times_larger() {
    let work = |n: usize| -> (usize, usize) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        pages_project(root, n);
        let (mut site, _) =
            wa_docs::build::LiveSite::build(root, &mut wa_docs::build::BuildCache::default())
                .unwrap_or_else(|d| panic!("build failed: {:?}", d.items));
        let page = root.join("content/page-00001.md");
        common::edit(&page, "Some text", "Edited text");
        assert_eq!(site.edit_bodies(std::slice::from_ref(&page)), Some(true));
        let paragraph = site.edit_work();
        assert!(
            String::from_utf8_lossy(&site.file("page-00001.html").unwrap()).contains("Edited text")
        );
        common::edit(&page, "title: Page 1", "title: Renamed page");
        assert_eq!(site.edit_bodies(std::slice::from_ref(&page)), Some(true));
        let title = site.edit_work();
        // The page linking to it shows the new title, in its text and in every sidebar.
        let citing = String::from_utf8_lossy(&site.file("page-00000.html").unwrap()).into_owned();
        assert!(citing.contains("Renamed page</a>"), "{citing}");
        // Saving the same text again is no edit.
        assert_eq!(site.edit_bodies(std::slice::from_ref(&page)), Some(false));
        (paragraph, title)
    };
    let small = work(100);
    assert_eq!(
        small,
        (1, 2),
        "paragraph: the page; title: the page and the one citing it"
    );
    assert_eq!(work(1000), small);
}
