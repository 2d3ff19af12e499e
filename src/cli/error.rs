//! The one error type of commands: what to print and the exit code. `cli::run` turns it into
//! the process's exit code, so the codes are written here once.

use crate::diag::{Diagnostic, Diagnostics};

pub const EXIT_OK: i32 = 0;
/// Problems located in project or input files.
pub const EXIT_CONTENT: i32 = 1;
/// Usage or I/O errors, and problems not located in a file.
pub const EXIT_USAGE: i32 = 2;

/// Why a command failed.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub diags: Vec<Diagnostic>,
    /// Followed by "N problems found; nothing was written".
    pub summary: bool,
}

/// What a command returns.
pub type Outcome = Result<(), Failure>;

impl Failure {
    /// A usage or I/O error (exit 2).
    pub fn usage(d: Diagnostic) -> Failure {
        Failure {
            code: EXIT_USAGE,
            diags: vec![d],
            summary: false,
        }
    }

    /// Problems as listed: exit 1 when one of the errors is located in a file, else 2.
    pub fn listed(diags: Vec<Diagnostic>) -> Failure {
        let content = diags.iter().any(|d| d.is_error() && d.location.is_some());
        Failure {
            code: if content { EXIT_CONTENT } else { EXIT_USAGE },
            diags,
            summary: false,
        }
    }

    /// Every problem a run found (warnings too), sorted, then counted.
    pub fn problems(diags: &Diagnostics) -> Failure {
        let mut f = Failure::listed(diags.sorted().into_iter().cloned().collect());
        f.summary = true;
        f
    }

    /// Nothing more to print: only the exit code (`lens diff --exit-code`, `serve`).
    pub fn exit(code: i32) -> Failure {
        Failure {
            code,
            diags: Vec::new(),
            summary: false,
        }
    }

    /// Prints the problems to standard error and returns the exit code.
    pub fn report(&self, color: bool) -> i32 {
        for d in &self.diags {
            eprintln!("{}", d.render(color));
        }
        if self.summary {
            let errors = self.diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: {errors} problem{} found; nothing was written",
                if errors == 1 { "" } else { "s" }
            );
        }
        self.code
    }

    /// Every message and hint, one per line (for tests and logs).
    pub fn text(&self) -> String {
        self.diags
            .iter()
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure::usage(d)
    }
}
