//! `wa-docs serve` end to end: a real server on port 0 over a temporary copy of a fixture.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wa-docs"))
        .args(["serve", ".", "-p", "0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
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
    Server { child, port }
}

/// One HTTP/1.1 request with a raw path (so `..` reaches the server as typed).
fn request(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
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
