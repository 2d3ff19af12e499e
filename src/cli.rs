//! Command-line interface. Exit codes: 0 ok, 1 content errors, 2 usage or I/O errors.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diag::Diagnostics;
use crate::site::{self, BuildOptions};

pub const EXIT_OK: i32 = 0;
pub const EXIT_CONTENT: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "wa-docs",
    version,
    about = "Compile lens definitions and markdown guidance into a cross-linked static site"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (atomically: a failed build keeps the old output)
    Build {
        /// Project folder (holds book.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder (default: `[build] build-dir` from book.toml, usually `book`)
        #[arg(short = 'd', long = "dest-dir")]
        dest_dir: Option<PathBuf>,
        /// Print nothing but errors
        #[arg(short, long)]
        quiet: bool,
        /// Open the built site in a browser
        #[arg(short, long)]
        open: bool,
    },
    /// Run every validation a build runs, and write nothing
    Check {
        /// Project folder (holds book.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a small working project (book.toml, one lens, one dimension, one scenario)
    Init {
        /// Folder to create the project in
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write into a folder that already has files (existing files are never overwritten)
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema for lens files (for editor validation)
    Schema,
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let color = std::io::stderr().is_terminal();
    match cli.command {
        Command::Build {
            dir,
            dest_dir,
            quiet,
            open,
        } => {
            let opts = BuildOptions {
                dest: dest_dir,
                progress: !quiet && color,
            };
            match site::build(&dir, &opts) {
                Ok((report, warnings)) => {
                    print_diags(&warnings, color);
                    if !quiet {
                        eprintln!(
                            "Built {} pages ({} files, {} KiB) into {} in {} ms",
                            report.pages,
                            report.files,
                            report.bytes / 1024,
                            report.dest.display(),
                            report.elapsed.as_millis()
                        );
                    }
                    if open {
                        open_in_browser(&report.dest.join("index.html"));
                    }
                    EXIT_OK
                }
                Err(diags) => fail(&diags, color),
            }
        }
        Command::Check { dir } => {
            let diags = site::check(&dir);
            if diags.has_errors() {
                return fail(&diags, color);
            }
            print_diags(&diags, color);
            eprintln!("No problems found.");
            EXIT_OK
        }
        Command::Init { dir, force } => match crate::init::init(&dir, force) {
            Ok(written) => {
                for f in &written {
                    eprintln!("  created {}", f.display());
                }
                eprintln!("Project ready: run `wa-docs build {}`", dir.display());
                EXIT_OK
            }
            Err(d) => {
                eprintln!("{}", d.render(color));
                EXIT_USAGE
            }
        },
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&crate::lens::json_schema()).unwrap_or_default()
            );
            EXIT_OK
        }
    }
}

fn print_diags(diags: &Diagnostics, color: bool) {
    for d in diags.sorted() {
        eprintln!("{}", d.render(color));
    }
}

/// Content problems exit 1; problems with no source position (I/O, config) exit 2.
fn fail(diags: &Diagnostics, color: bool) -> i32 {
    print_diags(diags, color);
    let errors = diags.error_count();
    eprintln!(
        "error: {errors} problem{} found; nothing was written",
        if errors == 1 { "" } else { "s" }
    );
    let content = diags
        .items
        .iter()
        .any(|d| d.is_error() && d.source_line.is_some());
    if content { EXIT_CONTENT } else { EXIT_USAGE }
}

fn open_in_browser(path: &std::path::Path) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(path)
        .spawn()
        .is_err()
    {
        eprintln!("Open {} in a browser", path.display());
    }
}
