//! Many editors saving at once: serve ends up showing exactly what a fresh build makes.

use super::*;

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
