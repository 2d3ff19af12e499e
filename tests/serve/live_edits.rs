//! Edits while serving: applied in place, surviving a vanished content folder, and showing up
//! while other files keep changing.

use super::*;

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
