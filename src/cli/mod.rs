//! Command-line interface. Every command returns an [`Outcome`]; [`run`] prints a failure and
//! turns it into the exit code: 0 ok, 1 content errors, 2 usage or I/O errors.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub mod checklist;
pub mod error;
mod lens;
mod search;

use crate::build::{self, BuildOptions};
use crate::diag::{Diagnostic, Diagnostics};
pub use error::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE, Failure, Outcome};

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
        /// Project folder (holds book.toml; default: the current folder)
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The project folder, as the other commands take it (same as DIR)
        #[arg(long, value_name = "DIR", conflicts_with = "dir")]
        root: Option<PathBuf>,
        /// Output folder (default: `[build] build-dir` from book.toml, usually `book`); mdBook's
        /// `--dest-dir`, and `--output` as the other commands name where they write
        #[arg(short = 'd', long = "dest-dir", visible_alias = "output")]
        dest_dir: Option<PathBuf>,
        /// Print nothing but errors
        #[arg(short, long)]
        quiet: bool,
        /// Open the built site in a browser
        #[arg(long)]
        open: bool,
        /// Deprecated spelling of --open (`-o` is --output in the other commands)
        #[arg(short = 'o', hide = true)]
        open_short: bool,
    },
    /// Run every validation a build runs, and write nothing
    Check {
        /// Project folder (holds book.toml; default: the current folder)
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The project folder, as the other commands take it (same as DIR)
        #[arg(long, value_name = "DIR", conflicts_with = "dir")]
        root: Option<PathBuf>,
    },
    /// Create a small working project (book.toml, one lens, one dimension, one scenario)
    Init {
        /// Folder to create the project in (default: the current folder)
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The folder, as the other commands take it (same as DIR)
        #[arg(long, value_name = "DIR", conflicts_with = "dir")]
        root: Option<PathBuf>,
        /// Write into a folder that already has files (existing files are never overwritten)
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema for lens files (for editor validation)
    Schema,
    /// Print a shell completion script (see the README for where to put it)
    #[command(after_help = "Examples:
  wa-docs completions bash > ~/.local/share/bash-completion/completions/wa-docs
  wa-docs completions zsh > ~/.zfunc/_wa-docs      # with fpath+=(~/.zfunc) before compinit
  wa-docs completions fish > ~/.config/fish/completions/wa-docs.fish")]
    Completions {
        /// bash, zsh, fish, powershell or elvish
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page, or write one page per command into a folder
    #[command(after_help = "Examples:
  wa-docs man | man -l -
  wa-docs man --out-dir ~/.local/share/man/man1    # then: man wa-docs, man wa-docs-build")]
    Man {
        /// Write wa-docs.1 and wa-docs-<command>.1 here instead of printing wa-docs.1
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// Serve the site on localhost, rebuild on every save, and reload open pages
    Serve {
        /// Project folder (holds book.toml; default: the current folder)
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The project folder, as the other commands take it (same as DIR)
        #[arg(long, value_name = "DIR", conflicts_with = "dir")]
        root: Option<PathBuf>,
        /// Address to listen on (loopback by default; anything else is reachable from other machines)
        #[arg(short = 'n', long, default_value = "127.0.0.1")]
        hostname: String,
        /// Port to listen on; 0 picks a free one (printed at start)
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Deprecated spelling of --open (`-o` is --output in the other commands)
        #[arg(short = 'o', hide = true)]
        open_short: bool,
        /// Also write every good build to this folder (`--output` is the same)
        #[arg(short = 'd', long = "dest-dir", visible_alias = "output")]
        dest_dir: Option<PathBuf>,
    },
    /// List checklists, or write one in a format teams paste into wikis and trackers
    Checklist {
        /// Scenario id (or `lens-<lens id>`) of the checklist to write
        #[arg(value_name = "SCENARIO")]
        scenario: Option<String>,
        /// Project folder (holds book.toml)
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// List the checklists the project has
        #[arg(long, conflicts_with = "scenario")]
        list: bool,
        /// md, confluence, mediawiki, csv, json or html (the self-contained embeddable page); default md
        #[arg(short = 'f', long)]
        format: Option<String>,
        /// Output file (default: standard output)
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        out: Option<PathBuf>,
        /// Fill in the answers of a JSON export (the checklist page's "Download JSON" or
        /// `-f json`): done and not-applicable items marked, each question's risk shown
        #[arg(long, value_name = "FILE.json", conflicts_with = "list")]
        answers: Option<PathBuf>,
    },
    /// Search the guidance from the command line (the same index and ranking as the site)
    Search {
        /// Project folder (holds book.toml); its search index (in .wa-cache/) is rebuilt first
        /// when it is missing or a source is newer; the site is not built
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Number of results to print
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        /// Print results as JSON
        #[arg(long)]
        json: bool,
        /// Words to search for; an exact id (e.g. GENSEC01-BP01) comes first
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
    },
    /// Import and export AWS Well-Architected Tool custom-lens JSON
    Lens {
        #[command(subcommand)]
        command: LensCommand,
    },
}

#[derive(Subcommand, Debug)]
enum LensCommand {
    /// Convert AWS Well-Architected Tool custom-lens JSON into lens YAML, or build a site from it
    #[command(after_help = "Examples:
  wa-docs lens import my-lens.json                 writes lenses/<lens-id>.yaml in this project
  wa-docs lens import exported/ --root docs        imports every *.json in exported/
  wa-docs lens import my-lens.json -o lens.yaml    writes one file (`-o -`: standard output)
  wa-docs lens import --site site a.json b.json    builds a browsable site, writes no YAML

A file written by `wa-docs lens export` comes back as the lens it was exported from: ids (`_`
becomes `-`), version and every field the WA Tool does not show are restored from its `_wa_docs`
key, and text edited in the WA Tool is taken as edited. A lens too big to carry its texts whole
(500 KB) carries them by hash: they are restored from the lens of that id in the project given by
--root (or its `[wa] lens-history`), and a warning counts those no copy there holds.

Other files: ids become unique across the project: pillar and question ids get the lens id as
prefix, choice ids the question's. The WA Tool's own ids and every key the lens model does not
hold are kept under `extra`, so `wa-docs lens export` writes the original JSON back. Violations
of the WA Tool's limits are reported as warnings with their JSON path.

Exit codes: 0 imported (warnings allowed), 1 a file is not a usable lens, 2 usage or I/O error.")]
    Import {
        /// Custom-lens JSON files, or folders (every *.json file in a folder is imported)
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        inputs: Vec<PathBuf>,
        /// Project folder: YAML goes to its lens folder (`[wa] lens-dir`, default `lenses/`) as <lens-id>.yaml
        #[arg(long, value_name = "DIR", default_value = ".", conflicts_with = "site")]
        root: PathBuf,
        /// Write the YAML to this file instead (one input file only; `-` for standard output)
        #[arg(short, long, value_name = "OUT.yaml", conflicts_with = "site")]
        output: Option<PathBuf>,
        /// Build a browsable site into this folder straight from the JSON files (writes no YAML)
        #[arg(long, value_name = "OUT")]
        site: Option<PathBuf>,
        /// Replace lens files that already exist in the lens folder
        #[arg(long, conflicts_with = "site")]
        force: bool,
        /// Take `NaN` and `Infinity` values (not JSON; spreadsheet exports write them for empty
        /// cells) as empty text, with a warning each, instead of refusing the file
        #[arg(long)]
        lenient: bool,
        /// Print problems only, no summary lines
        #[arg(short, long)]
        quiet: bool,
    },
    /// Write a lens as AWS Well-Architected Tool custom-lens JSON
    #[command(
        after_help = "The lens is checked against the WA Tool's documented rules first: counts and lengths
(measured on the plain text the WA Tool shows), id form (`-` and `.` become `_`; 3-128 letters,
digits or `_`), improvement plans (every choice but a \"None of these\" `_no` choice), risk rules
(a `default` rule, last; conditions naming only the question's choices) and the 500 KB size
limit. What the WA Tool JSON cannot hold (the lens id and version, markdown, risk levels,
dimensions, previous ids...) goes into the top-level `_wa_docs` key, so `wa-docs lens import`
gives the lens back. Every problem is listed with its YAML file:line:col and nothing is written; with
--truncate, texts over a length limit are shortened instead (each cut is reported). Values kept
as written from an imported file are passed through with a warning.

Exit codes: 0 written, 1 the WA Tool would reject the lens, 2 usage or I/O error."
    )]
    Export {
        /// Id of the lens (the `id:` at the top of its YAML file)
        #[arg(value_name = "LENS_ID")]
        lens_id: String,
        /// Project folder (holds book.toml)
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Output file (default: standard output)
        #[arg(short, long, value_name = "FILE.json")]
        output: Option<PathBuf>,
        /// Shorten texts over the WA Tool's length limits (at a word, ending in `…`) instead of refusing; each cut is reported
        #[arg(long)]
        truncate: bool,
    },
    /// Show what changed between two versions of a lens
    #[command(
        after_help = "OLD and NEW are lens YAML files, AWS Well-Architected Tool custom-lens JSON files, or
REV:PATH for a file at a git revision (run inside the repository), e.g.

  wa-docs lens diff versions/2025.11/generative-ai.yaml lenses/generative-ai.yaml
  wa-docs lens diff HEAD~3:lenses/generative-ai.yaml lenses/generative-ai.yaml --format md

It lists pillars, questions and best practices added, removed, moved to a new id (found through
`previous-ids:` on the new object, or else by similar text, and it says which), retitled, regrouped
under another question, reworded (with a word diff), and changes of risk level, risk rules and
dimensions.

Exit codes: 0 done (with --exit-code: no differences), 1 differences with --exit-code, or an
input that does not parse, 2 usage or I/O error."
    )]
    Diff {
        /// The earlier version: FILE.yaml, FILE.json or REV:PATH
        #[arg(value_name = "OLD")]
        old: String,
        /// The later version: FILE.yaml, FILE.json or REV:PATH
        #[arg(value_name = "NEW")]
        new: String,
        /// text (word diff as [-removed-]{+added+}), md (~~removed~~ **added**) or json
        #[arg(short, long, default_value = "text", value_parser = ["text", "md", "json"])]
        format: String,
        /// Output file (default: standard output)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Exit with 1 when the versions differ, like `git diff --exit-code`
        #[arg(long)]
        exit_code: bool,
        /// Project folder whose lenses restore the texts a large export carries by reference
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
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
    match dispatch(cli, color) {
        Ok(()) => EXIT_OK,
        Err(f) => f.report(color),
    }
}

fn dispatch(cli: Cli, color: bool) -> Outcome {
    match cli.command {
        Command::Build {
            dir,
            root,
            dest_dir,
            quiet,
            open,
            open_short,
        } => {
            let dir = project_dir(dir, root);
            let open = open || deprecated_open(open_short);
            let opts = BuildOptions {
                dest: dest_dir,
                progress: !quiet && color,
            };
            build_site(&dir, &opts, quiet, open, color)
        }
        Command::Check { dir, root } => check_project(&project_dir(dir, root), color),
        Command::Init { dir, root, force } => init_project(&project_dir(dir, root), force),
        Command::Completions { shell } => completions(shell),
        Command::Man { out_dir } => man_pages(out_dir.as_deref()),
        Command::Schema => schema(),
        Command::Serve {
            dir,
            root,
            hostname,
            port,
            open,
            open_short,
            dest_dir,
        } => match crate::serve::run(crate::serve::ServeOptions {
            root: project_dir(dir, root),
            host: hostname,
            port,
            open: open || deprecated_open(open_short),
            dest: dest_dir,
        }) {
            EXIT_OK => Ok(()),
            code => Err(Failure::exit(code)),
        },
        Command::Checklist {
            scenario,
            root,
            list,
            format,
            out,
            answers,
        } => checklist::run_with_answers(
            &root,
            list,
            scenario.as_deref(),
            format.as_deref(),
            out.as_deref(),
            answers.as_deref(),
        ),
        Command::Search {
            root,
            limit,
            json,
            query,
        } => search::run(&root, limit, json, &query.join(" "), color),
        Command::Lens { command } => lens_command(command, color),
    }
}

/// `wa-docs build`: the site, its warnings, and a one-line summary unless `quiet`.
fn build_site(
    dir: &std::path::Path,
    opts: &BuildOptions,
    quiet: bool,
    open: bool,
    color: bool,
) -> Outcome {
    match build::build(dir, opts) {
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
            Ok(())
        }
        Err(diags) => Err(Failure::problems(&diags)),
    }
}

/// `wa-docs check`: warnings are shown only when there is no error (errors fail with all).
fn check_project(dir: &std::path::Path, color: bool) -> Outcome {
    let diags = build::check(dir);
    if diags.has_errors() {
        return Err(Failure::problems(&diags));
    }
    print_diags(&diags, color);
    eprintln!("No problems found.");
    Ok(())
}

/// `wa-docs init`: a starter project, listing the files written.
fn init_project(dir: &std::path::Path, force: bool) -> Outcome {
    let written = crate::init::init(dir, force)?;
    for f in &written {
        eprintln!("  created {}", f.display());
    }
    eprintln!("Project ready: run `wa-docs build {}`", dir.display());
    Ok(())
}

/// `wa-docs completions SHELL` to standard output.
fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "wa-docs", &mut out);
    print_bytes(&out)
}

/// `wa-docs schema`: the lens JSON Schema to standard output.
fn schema() -> Outcome {
    let mut text = serde_json::to_string_pretty(&crate::lens::json_schema()).unwrap_or_default();
    text.push('\n');
    print_bytes(text.as_bytes())
}

/// `wa-docs lens import|export|diff`.
fn lens_command(command: LensCommand, color: bool) -> Outcome {
    match command {
        LensCommand::Import {
            inputs,
            root,
            output,
            site,
            force,
            lenient,
            quiet,
        } => lens::import(
            &lens::ImportArgs {
                inputs,
                root,
                output,
                site,
                force,
                lenient,
                quiet,
            },
            color,
        ),
        LensCommand::Export {
            lens_id,
            root,
            output,
            truncate,
        } => lens::export(&lens_id, &root, output.as_deref(), truncate, color),
        LensCommand::Diff {
            old,
            new,
            format,
            output,
            exit_code,
            root,
        } => lens::diff(&old, &new, &root, &format, output.as_deref(), exit_code),
    }
}

/// The project folder of `build`, `check`, `serve` and `init`: DIR or `--root DIR` (the
/// spelling every command takes), else the current folder.
fn project_dir(dir: Option<PathBuf>, root: Option<PathBuf>) -> PathBuf {
    dir.or(root).unwrap_or_else(|| PathBuf::from("."))
}

/// `-o` for `--open` (build, serve) still opens the browser, with a note: everywhere else `-o`
/// is `--output`.
fn deprecated_open(used: bool) -> bool {
    if used {
        eprintln!(
            "note: `-o` for --open is deprecated and will be removed: write --open (in every \
             other command -o is --output)"
        );
    }
    used
}

/// One man page: synopsis with the command as typed (`wa-docs lens diff`), and the text after
/// the options (examples, exit codes) under EXAMPLES.
fn man_page(page: clap::Command) -> Result<Vec<u8>, std::io::Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
    let text = String::from_utf8_lossy(&out).replace("\n.SH EXTRA\n", "\n.SH EXAMPLES\n");
    Ok(text.into_bytes())
}

/// The man page of `wa-docs` to standard output, or a page per command into `dir`.
fn man_pages(dir: Option<&std::path::Path>) -> Outcome {
    let cmd = <Cli as clap::CommandFactory>::command();
    let Some(dir) = dir else {
        let out = man_page(cmd)
            .map_err(|e| Diagnostic::error(format!("cannot render the man page: {e}")))?;
        return print_bytes(&out);
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", dir.display())))?;
    // One page for the tool, one per command (`wa-docs-lens-export.1` for nested ones).
    // The page's file and NAME are `wa-docs-lens-diff`, its synopsis `wa-docs lens diff`.
    let page = |c: &clap::Command, words: &str| {
        let name = words.replace(' ', "-");
        (
            name.clone(),
            c.clone().display_name(name).bin_name(words.to_string()),
        )
    };
    let mut pages = vec![("wa-docs".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let words = format!("wa-docs {}", sub.get_name());
        for nested in sub.get_subcommands() {
            pages.push(page(nested, &format!("{words} {}", nested.get_name())));
        }
        pages.push(page(sub, &words));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let written = man_page(page).and_then(|out| std::fs::write(&path, out));
        if written.is_err() {
            return Err(Diagnostic::error(format!("cannot write {}", path.display())).into());
        }
    }
    eprintln!("Wrote the man pages to {}", dir.display());
    Ok(())
}

/// Writes to standard output. A closed pipe (`| head`) is not an error: `main` exits quietly.
pub(crate) fn print_bytes(bytes: &[u8]) -> Outcome {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Diagnostic::error(format!("cannot write standard output: {e}")).into())
        }
        _ => Ok(()),
    }
}

/// Whether standard output takes colours: a terminal, and `NO_COLOR` unset or empty.
pub(crate) fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn print_diags(diags: &Diagnostics, color: bool) {
    for d in diags.sorted() {
        eprintln!("{}", d.render(color));
    }
}

fn open_in_browser(path: &std::path::Path) {
    if let Err(why) = crate::desktop::open(&path.to_string_lossy()) {
        eprintln!("{why}; open {} in a browser", path.display());
    }
}
