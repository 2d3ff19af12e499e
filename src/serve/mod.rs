//! `wa-docs serve`: builds in memory, serves over HTTP on loopback, watches the sources and
//! rebuilds on change. Pages get a small script that reloads them (or only their stylesheets)
//! over Server-Sent Events, and shows build errors in the page while the last good site keeps
//! being served.

mod http;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::build;
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
    pub files: RwLock<Arc<HashMap<String, bytes::Bytes>>>,
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

/// Runs a build and swaps it in; tells open pages what happened.
fn rebuild(
    state: &State,
    cache: &mut build::BuildCache,
    root: &Path,
    dest: Option<&Path>,
    color: bool,
) {
    let started = Instant::now();
    match build::render_project(root, cache, dest.is_some()) {
        Ok((project, files, warnings)) => {
            for w in warnings.sorted() {
                eprintln!("{}", w.render(color));
            }
            let map: HashMap<String, bytes::Bytes> = files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect();
            let old = state.files.read().map(|f| f.clone()).unwrap_or_default();
            // The tantivy index differs on every build (segment ids); pages do not depend on it.
            let index_dir = format!("{}/", crate::search::browser::INDEX_DIR);
            // Reused files share their buffer with the last build: no need to compare bytes.
            let same = |a: Option<&bytes::Bytes>, b: Option<&bytes::Bytes>| match (a, b) {
                (Some(a), Some(b)) => a.as_ptr() == b.as_ptr() && a.len() == b.len() || a == b,
                (None, None) => true,
                _ => false,
            };
            let changed: Vec<String> = map
                .keys()
                .filter(|k| !same(old.get(*k), map.get(*k)))
                .chain(old.keys().filter(|k| !map.contains_key(*k)))
                .filter(|k| !k.starts_with(&index_dir))
                .cloned()
                .collect();
            let css_only = !changed.is_empty() && changed.iter().all(|k| k.ends_with(".css"));
            let nothing = changed.is_empty();
            if let Some(d) = dest {
                match build::check_destination(root, &project.config, d)
                    .and_then(|_| build::write_atomically(d, files))
                {
                    Ok(_) => {}
                    Err(e) => eprintln!("{}", e.render(color)),
                }
            }
            if let Ok(mut f) = state.files.write() {
                *f = Arc::new(map);
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
            files: RwLock::new(Arc::new(HashMap::new())),
            error: RwLock::new(None),
            tx,
            hosts,
            origins,
        });
        let dest = opts.dest.clone();
        let cache = {
            let (state, root, dest) = (state.clone(), root.clone(), dest.clone());
            tokio::task::spawn_blocking(move || {
                let mut cache = build::BuildCache::default();
                rebuild(&state, &mut cache, &root, dest.as_deref(), color);
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
        // Watch sources on a thread of its own; rebuilds run there too, off the server's tasks.
        let watched = vec![
            PathBuf::from(crate::config::CONFIG_FILE),
            config.wa.lens_dir.clone(),
            config.wa.content_dir.clone(),
            PathBuf::from("themes"),
        ]
        .into_iter()
        // Earlier lens versions kept as folders (not `git:REV`) are sources too.
        .chain(
            config
                .wa
                .lens_history
                .iter()
                .filter(|e| !e.starts_with("git:"))
                .map(PathBuf::from),
        )
        .collect::<Vec<_>>();
        let mut ignored = vec![
            root.join(&config.build.build_dir),
            root.join(".git"),
            root.join("target"),
        ];
        if let Some(d) = &dest {
            ignored.push(std::fs::canonicalize(d).unwrap_or_else(|_| d.clone()));
        }
        let watcher = spawn_watcher(
            state.clone(),
            cache,
            root.clone(),
            dest,
            watched,
            ignored,
            color,
        );
        if let Err(e) = &watcher {
            eprintln!("warning: cannot watch the sources ({e}); pages will not reload");
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

fn spawn_watcher(
    state: Arc<State>,
    mut cache: build::BuildCache,
    root: PathBuf,
    dest: Option<PathBuf>,
    watched: Vec<PathBuf>,
    ignored: Vec<PathBuf>,
    color: bool,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(&root, notify::RecursiveMode::Recursive)?;
    std::thread::spawn(move || {
        // Reading files (the build itself) raises access events; only changes count.
        let is_relevant = |ev: &notify::Event| {
            matches!(
                ev.kind,
                notify::EventKind::Create(_)
                    | notify::EventKind::Modify(_)
                    | notify::EventKind::Remove(_)
            ) && ev
                .paths
                .iter()
                .any(|p| relevant(p, &root, &watched, &ignored))
        };
        while let Ok(ev) = rx.recv() {
            let Ok(ev) = ev else { continue };
            if !is_relevant(&ev) {
                continue;
            }
            // Debounce: editors save in bursts (write temp, rename, touch metadata) that arrive
            // within a millisecond or two; a slower burst only costs one extra rebuild.
            let quiet = Duration::from_millis(10);
            while let Ok(next) = rx.recv_timeout(quiet) {
                let _ = next;
            }
            rebuild(&state, &mut cache, &root, dest.as_deref(), color);
        }
    });
    Ok(watcher)
}
