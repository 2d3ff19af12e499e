//! Opening a page in the reader's browser (`--open`), and one plain line when there is no
//! desktop to open it on, instead of the system opener's own errors.

use std::process::{Command, Stdio};

/// Opens `target` (a file path or URL) in the default browser. `Err` says why it could not.
pub fn open(target: &str) -> Result<(), String> {
    let browser = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty());
    let opener = if let Some(b) = &browser {
        b.as_str()
    } else if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        // Without a display, xdg-open has nothing to open on (and says so at length).
        let has = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
        if !has("DISPLAY") && !has("WAYLAND_DISPLAY") {
            return Err("no browser found (no desktop session)".into());
        }
        "xdg-open"
    };
    Command::new(opener)
        .arg(target)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|_| format!("no browser found (could not run `{opener}`)"))
}
