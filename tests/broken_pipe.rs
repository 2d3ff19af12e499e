//! Issue #29: commands piped into `head` stop quietly when the pipe closes (exit 0 or 141),
//! never with Rust's "Broken pipe" panic (exit 101).

use std::path::Path;
use std::process::Command;

#[test]
fn commands_piped_into_head_exit_quietly() {
    let bin = env!("CARGO_BIN_EXE_wa-docs");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        "search security",
        "search --json security",
        "schema",
        "lens export generative-ai",
        "completions bash",
        "completions zsh",
        "man",
        "lens diff versions/2025.11/generative-ai.yaml lenses/generative-ai.yaml",
        "checklist --list",
    ] {
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "set -o pipefail; '{bin}' {args} | head -1 >/dev/null"
            ))
            .current_dir(repo)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(code == 0 || code == 141, "`{args}` exited {code}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "`{args}`: {err}"
        );
    }
}
