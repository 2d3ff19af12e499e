//! `wa-docs serve`: builds in memory, serves over HTTP on loopback, watches the sources and
//! rebuilds on change. Pages get a small script that reloads them (or only their stylesheets)
//! over Server-Sent Events, and shows build errors in the page while the last good site keeps
//! being served.

mod http;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::build::{self, LiveSite};
use crate::diag::Diagnostics;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub host: String,
    pub port: u16,
    pub open: bool,
    /// Also write each good build here (atomically).
    pub dest: Option<PathBuf>,
}

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    Reload { css_only: bool },
    BuildError(String),
    Ok,
    Shutdown,
}

/// The site as served: the last good build, and the current error if the last build failed.
pub struct State {
    /// `None` until the first build succeeds.
    pub site: RwLock<Option<Arc<Mutex<LiveSite>>>>,
    pub error: RwLock<Option<String>>,
    pub tx: broadcast::Sender<LiveEvent>,
    /// `host:port` values a request's Host header may name.
    pub hosts: Vec<String>,
    pub origins: Vec<String>,
}

/// The overlay payload: each diagnostic as the terminal prints it (without colour).
pub fn error_payload(diags: &Diagnostics) -> String {
    let items: Vec<serde_json::Value> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            serde_json::json!({
                "position": d.position(),
                "message": d.message,
                "hint": d.hint,
                "report": d.render(false),
            })
        })
        .collect();
    serde_json::json!({ "diagnostics": items }).to_string()
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What changed since the last rebuild: the paths the watcher named, or `None` when it
/// cannot say (the first build, a dropped event queue).
type Changed<'a> = Option<&'a [PathBuf]>;

/// Applies a burst of changes: edits to page bodies in place when that is all they are
/// (work proportional to the edit), otherwise a full rebuild swapped in whole. Tells open
/// pages what happened.
fn rebuild(
    state: &State,
    cache: &mut build::BuildCache,
    root: &Path,
    dest: Option<&Path>,
    color: bool,
    changed: Changed,
) {
    let started = Instant::now();
    let current = state.site.read().ok().and_then(|s| s.clone());
    let in_error = state.error.read().map(|e| e.is_some()).unwrap_or(true);
    // After a failed build the next one is full, so that every problem is reported again;
    // with an output folder, every good build is written whole.
    if let (Some(site), Some(paths), false, None) = (&current, changed, in_error, dest)
        && let Ok(mut site) = site.lock()
        && let Some(edited) = site.edit_bodies(paths)
    {
        drop(site);
        eprintln!(
            "Updated in {} ms ({})",
            started.elapsed().as_millis(),
            if edited {
                "page edit"
            } else {
                "nothing changed"
            }
        );
        let _ = state.tx.send(if edited {
            LiveEvent::Reload { css_only: false }
        } else {
            LiveEvent::Ok
        });
        return;
    }
    // The memos live with the site they were made for; the rebuild takes them over.
    if let Some(site) = &current
        && let Ok(mut site) = site.lock()
    {
        *cache = site.take_cache();
    }
    match LiveSite::build(root, cache) {
        Ok((mut site, warnings)) => {
            for w in warnings.sorted() {
                eprintln!("{}", w.render(color));
            }
            let changed: Vec<String> = match current.as_ref().map(|s| s.lock()) {
                Some(Ok(old)) => site.changed_since(&old),
                // No site before (or a poisoned one): everything is new.
                _ => site.changed_since_nothing(),
            };
            let css_only = !changed.is_empty() && changed.iter().all(|k| k.ends_with(".css"));
            let nothing = changed.is_empty();
            if let Some(d) = dest {
                let files = site.out_files();
                match build::check_destination(root, &site.project().config, d)
                    .and_then(|_| build::write_atomically(d, files))
                {
                    Ok(_) => {}
                    Err(e) => eprintln!("{}", e.render(color)),
                }
            }
            if let Ok(mut s) = state.site.write() {
                *s = Some(Arc::new(Mutex::new(site)));
            }
            if let Ok(mut e) = state.error.write() {
                *e = None;
            }
            eprintln!(
                "Rebuilt in {} ms ({} files changed)",
                started.elapsed().as_millis(),
                changed.len()
            );
            let _ = state.tx.send(if nothing {
                LiveEvent::Ok
            } else {
                LiveEvent::Reload { css_only }
            });
        }
        Err(diags) => {
            for d in diags.sorted() {
                eprintln!("{}", d.render(color));
            }
            eprintln!("Build failed: still serving the last good site");
            let payload = error_payload(&diags);
            if let Ok(mut e) = state.error.write() {
                *e = Some(payload.clone());
            }
            let _ = state.tx.send(LiveEvent::BuildError(payload));
        }
    }
}

/// Paths whose change should trigger a rebuild: sources, never the output or editor scratch.
fn relevant(path: &Path, root: &Path, watched: &[PathBuf], ignored: &[PathBuf]) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if ignored.iter().any(|i| path.starts_with(i)) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name.ends_with(".tmp")
    {
        return false;
    }
    watched.iter().any(|w| rel.starts_with(w))
}

/// Serves until Ctrl-C. Returns the process exit code.
pub fn run(opts: ServeOptions) -> i32 {
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let root = match std::fs::canonicalize(&opts.root) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot open project {}: {e}", opts.root.display());
            return 2;
        }
    };
    let config = match crate::config::Config::load(&root) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("{}", d.render(color));
            return 2;
        }
    };
    if !is_loopback(&opts.host) {
        eprintln!(
            "warning: serving on {} makes the draft site reachable from other machines; the default is 127.0.0.1",
            opts.host
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return 2;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind((opts.host.as_str(), opts.port)).await {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                eprintln!(
                    "error: port {} on {} is already in use",
                    opts.port, opts.host
                );
                eprintln!("  help: stop the other server, or pass `-p 0` to pick a free port");
                return 2;
            }
            Err(e) => {
                eprintln!("error: cannot listen on {}:{}: {e}", opts.host, opts.port);
                return 2;
            }
        };
        let addr: SocketAddr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        let port = addr.port();
        let mut hosts = vec![
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        let bound = if addr.is_ipv6() {
            format!("[{}]:{port}", addr.ip())
        } else {
            format!("{}:{port}", addr.ip())
        };
        if !hosts.contains(&bound) {
            hosts.push(bound);
        }
        if !is_loopback(&opts.host) && !hosts.contains(&format!("{}:{port}", opts.host)) {
            hosts.push(format!("{}:{port}", opts.host));
        }
        let origins = hosts.iter().map(|h| format!("http://{h}")).collect();
        let (tx, _) = broadcast::channel(64);
        let state = Arc::new(State {
            site: RwLock::new(None),
            error: RwLock::new(None),
            tx,
            hosts,
            origins,
        });
        let dest = opts.dest.clone();
        let (watched, ignored) = watch_scope(&root, &config, dest.as_deref());
        // Armed before the first build, so that a save made while it runs is not lost.
        let (watcher, changes) = match watch(&root) {
            Ok((w, rx)) => (Some(w), Some(rx)),
            Err(e) => {
                eprintln!("warning: cannot watch the sources ({e}); pages will not reload");
                (None, None)
            }
        };
        let cache = {
            let (state, root, dest) = (state.clone(), root.clone(), dest.clone());
            tokio::task::spawn_blocking(move || {
                let mut cache = build::BuildCache::default();
                rebuild(&state, &mut cache, &root, dest.as_deref(), color, None);
                cache
            })
            .await
            .unwrap_or_default()
        };
        let url = format!(
            "http://{}:{port}/",
            if is_loopback(&opts.host) {
                "127.0.0.1"
            } else {
                opts.host.as_str()
            }
        );
        println!("Serving {} on {url} (Ctrl-C to stop)", root.display());
        if opts.open
            && let Err(why) = crate::desktop::open(&url)
        {
            eprintln!("{why}; open {url} in a browser");
        }
        if let Some(changes) = changes {
            spawn_rebuilder(
                state.clone(),
                cache,
                root.clone(),
                dest,
                (watched, ignored),
                changes,
                color,
            );
        }
        let app = http::router(state.clone());
        let shutdown_state = state.clone();
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                eprintln!("\nStopping…");
                let _ = shutdown_state.tx.send(LiveEvent::Shutdown);
            })
            .await;
        drop(watcher);
        match result {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: server stopped: {e}");
                2
            }
        }
    })
}

/// Source paths (relative to the root) whose changes count, and folders whose changes never do.
fn watch_scope(
    root: &Path,
    config: &crate::config::Config,
    dest: Option<&Path>,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let watched = config.source_paths();
    let mut ignored = vec![
        root.join(&config.build.build_dir),
        root.join(".git"),
        root.join("target"),
        // `wa-docs search` keeps its index there; it is no source.
        root.join(crate::search::query::INDEX_DIR),
    ];
    if let Some(d) = dest {
        // Event paths are canonical, and before the first build the folder may not exist:
        // resolve its parent.
        let d = std::path::absolute(d).unwrap_or_else(|_| d.to_path_buf());
        let resolved = std::fs::canonicalize(&d).ok().or_else(|| {
            let parent = std::fs::canonicalize(d.parent()?).ok()?;
            Some(parent.join(d.file_name()?))
        });
        ignored.push(resolved.unwrap_or(d));
    }
    (watched, ignored)
}

type Changes = std::sync::mpsc::Receiver<notify::Result<notify::Event>>;

/// Watches the whole project folder rather than each source folder: a watch on `content/`
/// dies with the folder when it is deleted or renamed (`git checkout`, `git stash`, `rm -rf`
/// and a fresh copy), and nothing would re-arm it; the root's watch sees it come back, and
/// notify watches every folder created or moved in under a recursive watch. Files written
/// into such a folder before its watch is armed raise no event of their own, but the
/// folder's event starts a rebuild that reads them. Source folders may also sit anywhere
/// (`lens-dir`, `lens-history`). The price is watches on output and tool folders too, whose
/// events `relevant` drops.
fn watch(root: &Path) -> notify::Result<(notify::RecommendedWatcher, Changes)> {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(root, notify::RecursiveMode::Recursive)?;
    Ok((watcher, rx))
}

/// Quiet time that ends a burst: editors save in steps (write a temporary file, rename it,
/// touch metadata; or truncate, then write) that arrive within a few milliseconds.
const QUIET: Duration = Duration::from_millis(25);
/// The longest a burst may hold a rebuild back: under a steady stream of changes (a script,
/// a formatter over every file, a large checkout) pages still update, and the number of
/// rebuilds stays bounded by the stream's length rather than its number of saves.
const MAX_WAIT: Duration = Duration::from_millis(400);

/// Blocks until a change that `counts` arrives, then takes every change that follows until
/// `quiet` passes without one that counts, or `max_wait` since the first. False once the
/// watcher is gone. Changes arriving while the caller rebuilds stay queued and make the next
/// call return: a rebuild reads the sources after the burst it answers, so every change is
/// either seen by it or starts another.
fn next_burst<E>(
    rx: &std::sync::mpsc::Receiver<E>,
    mut counts: impl FnMut(&E) -> bool,
    quiet: Duration,
    max_wait: Duration,
) -> bool {
    loop {
        match rx.recv() {
            Ok(e) if counts(&e) => break,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    let first = Instant::now();
    let mut last = first;
    loop {
        let until = (last + quiet).min(first + max_wait);
        let Some(left) = until.checked_duration_since(Instant::now()) else {
            return true;
        };
        match rx.recv_timeout(left) {
            Ok(e) if counts(&e) => last = Instant::now(),
            Ok(_) => {}
            Err(_) => return true,
        }
    }
}

/// Rebuilds after each burst of source changes, on a thread of its own, off the server's tasks.
fn spawn_rebuilder(
    state: Arc<State>,
    mut cache: build::BuildCache,
    root: PathBuf,
    dest: Option<PathBuf>,
    (watched, ignored): (Vec<PathBuf>, Vec<PathBuf>),
    changes: Changes,
    color: bool,
) {
    std::thread::spawn(move || {
        // What the burst named: its relevant paths, or `None` once any event could not say.
        let named = std::cell::RefCell::new(Some(Vec::<PathBuf>::new()));
        let counts = |ev: &notify::Result<notify::Event>| match ev {
            // Changes may have gone unreported (a folder that could not be watched); a
            // rebuild reads every source anyway.
            Err(e) => {
                eprintln!("warning: watching the sources: {e}");
                *named.borrow_mut() = None;
                true
            }
            // The kernel dropped events (queue overflow).
            Ok(ev) if ev.need_rescan() => {
                *named.borrow_mut() = None;
                true
            }
            // Reading files (the build itself) raises access events; only changes count.
            Ok(ev) => {
                let counts = matches!(
                    ev.kind,
                    notify::EventKind::Create(_)
                        | notify::EventKind::Modify(_)
                        | notify::EventKind::Remove(_)
                ) && ev
                    .paths
                    .iter()
                    .any(|p| relevant(p, &root, &watched, &ignored));
                if counts && let Some(paths) = named.borrow_mut().as_mut() {
                    paths.extend(
                        ev.paths
                            .iter()
                            .filter(|p| relevant(p, &root, &watched, &ignored))
                            .cloned(),
                    );
                }
                counts
            }
        };
        while next_burst(&changes, counts, QUIET, MAX_WAIT) {
            let mut paths = named.replace(Some(Vec::new()));
            if let Some(p) = &mut paths {
                p.sort();
                p.dedup();
            }
            rebuild(
                &state,
                &mut cache,
                &root,
                dest.as_deref(),
                color,
                paths.as_deref(),
            );
        }
    });
}

#[cfg(test)]
mod tests;
