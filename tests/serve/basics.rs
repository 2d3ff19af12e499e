//! Reloads, error pages, refused path escapes, and a port already taken.

use super::*;

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
