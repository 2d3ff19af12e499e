// Building a large site allocates and frees millions of small strings from every core; glibc's
// allocator spent a fifth of a 10,000-page build in malloc and free, mimalloc much less.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    no_huge_pages();
    quiet_broken_pipe();
    std::process::exit(wa_docs::cli::run());
}

/// `wa-docs search … | head -1`: once `head` has what it wants, the next write to the closed
/// pipe ends the process quietly (SIGPIPE, exit status 141 in a shell), as it does for other
/// command-line tools, instead of Rust's `println!` panicking with "Broken pipe". `serve` keeps
/// SIGPIPE ignored: a browser closing a connection must never stop the server.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    if std::env::args_os().nth(1).is_none_or(|c| c != "serve") {
        // SAFETY: restoring the default disposition of one signal, before any thread starts.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
}

/// mimalloc asks Linux for transparent huge pages, and each first touch of one zeroes 2 MB:
/// half of a 100,000-page build's load stage went to `clear_page`, and a 10,000-page build
/// spent a third more system time and 30 MB more memory than with 4 KB pages.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
