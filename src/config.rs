//! `book.toml`: mdBook's key names where the concept is the same, plus a `[wa]` table.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub book: BookConfig,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub output: OutputConfig,
    #[serde(default)]
    pub wa: WaConfig,
    /// Said once by a build or `wa-docs checklist` writing checklist exports when `site-url` is
    /// unset (see `Config::missing_site_url`); `None` once it is set, or while book.toml holds
    /// the commented `# site-url = ...` line `wa-docs init` writes, which says the same.
    #[serde(skip)]
    pub site_url_warning: Option<Diagnostic>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookConfig {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "default_language")]
    pub language: String,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: default_title(),
            authors: Vec::new(),
            description: None,
            language: default_language(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    #[serde(default = "default_build_dir")]
    pub build_dir: PathBuf,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            build_dir: default_build_dir(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    #[serde(default)]
    pub html: HtmlConfig,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlConfig {
    /// Absolute base URL of the published site, e.g. `https://docs.example.com/ai/`.
    pub site_url: Option<String>,
    pub git_repository_url: Option<String>,
    /// `{path}` is replaced by the source file's path relative to the project root.
    pub edit_url_template: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WaConfig {
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_lens_dir")]
    pub lens_dir: PathBuf,
    #[serde(default = "default_content_dir")]
    pub content_dir: PathBuf,
    /// Earlier published versions of the lenses, oldest first: a folder of lens files, or
    /// `git:REV` for the lens folder at a git revision. Old URLs redirect to where their topics
    /// went, and each lens gets a "what changed" page.
    #[serde(default)]
    pub lens_history: Vec<String>,
    /// Largest print view file, in kilobytes (1000 bytes): a larger print view is split into
    /// parts of at most this size, listed by `print.html`. Unset: 5000 (5 MB).
    #[serde(default)]
    pub print_part_kb: Option<u64>,
    /// Which pages the print view holds: `auto`, `all`, `lenses` or `off` (see [`PrintPolicy`]).
    /// Kept as written, with its place in the file, so that a bad value is reported where it is;
    /// read it with [`WaConfig::print`].
    #[serde(default)]
    pub print: Option<toml::Spanned<String>>,
}

/// Which pages the print view (`print.html`, `print/`) holds. Every page's article printed again
/// doubles what a large site deploys (66 of 192 MB at 10,000 pages) for a view few print whole,
/// while the lens guidance is what people print for a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrintPolicy {
    /// Every page while the site's rendered markdown fits in one print file (`print-part-kb`);
    /// past that, only the pages made from lens definitions (none on a site without lenses).
    /// Settled per build by `site::print::resolve`.
    #[default]
    Auto,
    /// Every page, split into parts past the part limit.
    All,
    /// Only the pages made from lens definitions, whatever the size.
    Lenses,
    /// No print view, and no link to one.
    Off,
}

impl PrintPolicy {
    /// The values `[wa] print` accepts, as written in `book.toml`.
    pub const NAMES: [(&str, PrintPolicy); 4] = [
        ("auto", PrintPolicy::Auto),
        ("all", PrintPolicy::All),
        ("lenses", PrintPolicy::Lenses),
        ("off", PrintPolicy::Off),
    ];

    fn parse(value: &str) -> Option<PrintPolicy> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == value)
            .map(|&(_, p)| p)
    }
}

impl Default for WaConfig {
    fn default() -> Self {
        WaConfig {
            theme: default_theme(),
            lens_dir: default_lens_dir(),
            content_dir: default_content_dir(),
            lens_history: Vec::new(),
            print_part_kb: None,
            print: None,
        }
    }
}

impl WaConfig {
    /// The print view's policy; a value `Config::parse` refused never gets here, and reads as
    /// the default.
    pub fn print(&self) -> PrintPolicy {
        self.print
            .as_ref()
            .and_then(|v| PrintPolicy::parse(v.get_ref()))
            .unwrap_or_default()
    }
}

fn default_title() -> String {
    "Documentation".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_build_dir() -> PathBuf {
    "book".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_lens_dir() -> PathBuf {
    "lenses".into()
}
fn default_content_dir() -> PathBuf {
    "content".into()
}

pub const CONFIG_FILE: &str = "book.toml";

impl Config {
    /// The project's sources, relative to the root: `book.toml`, the lens, content and theme
    /// folders, and earlier lens versions kept as folders (not `git:REV`). What `serve`
    /// watches and what `wa-docs search` compares its index with.
    pub fn source_paths(&self) -> Vec<PathBuf> {
        [
            PathBuf::from(CONFIG_FILE),
            self.wa.lens_dir.clone(),
            self.wa.content_dir.clone(),
            PathBuf::from("themes"),
        ]
        .into_iter()
        .chain(
            self.wa
                .lens_history
                .iter()
                .filter(|e| !e.starts_with("git:"))
                .map(PathBuf::from),
        )
        .collect()
    }

    /// Reads `book.toml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(
                    Diagnostic::error(format!("no {CONFIG_FILE} in {}", root.display())).with_hint(
                        "run `wa-docs init` to create a project, or pass the project folder",
                    ),
                );
            }
            Err(e) => {
                return Err(Diagnostic::error(format!("cannot read {CONFIG_FILE}: {e}"))
                    .in_file(Path::new(CONFIG_FILE)));
            }
        };
        Self::parse(&text, Path::new(CONFIG_FILE))
    }

    pub fn parse(text: &str, file: &Path) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim().to_string();
            let hint = if msg.contains("unknown field") {
                "book.toml accepts [book] title/authors/description/language, [build] build-dir, \
                 [output.html] site-url/git-repository-url/edit-url-template and \
                 [wa] theme/lens-dir/content-dir/lens-history/print/print-part-kb"
            } else {
                "check the TOML syntax at this position"
            };
            let d = Diagnostic::error(msg).with_hint(hint);
            match e.span() {
                Some(span) => d.at(file, text, span.start, span.len().max(1)),
                None => d.in_file(file),
            }
        })?;
        config.check(text, file)?;
        config.site_url_warning = config.missing_site_url(text, file);
        Ok(config)
    }

    /// Without `site-url`, checklist exports link relative to the site (`../scenarios/….html`):
    /// fine beside the site, broken once pasted into a wiki. The warning points at the
    /// `[output.html]` table when there is one, else at book.toml. None when `site-url` is set,
    /// or when a comment line `# site-url = ...` (as `wa-docs init` writes) already says how.
    fn missing_site_url(&self, text: &str, file: &Path) -> Option<Diagnostic> {
        if self.output.html.site_url.is_some() {
            return None;
        }
        let lines = || text.lines().map(str::trim_start);
        if lines().any(|l| {
            l.strip_prefix('#')
                .is_some_and(|c| c.trim_start().starts_with("site-url ="))
        }) {
            return None;
        }
        let what = "site-url is not set: checklist exports (Markdown, Confluence, MediaWiki, \
                    CSV, JSON) link with relative URLs, which break once pasted into a wiki";
        let d = Diagnostic::warning(format!("[output.html] {what}"));
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim();
            if t.starts_with('[') && t.trim_matches(['[', ']', ' ']) == "output.html" {
                let at = offset + (line.len() - line.trim_start().len());
                return Some(
                    d.with_hint(
                        "set `site-url` in this [output.html] table to the address the site is \
                         published at, e.g. site-url = \"https://guidance.example.com/\"",
                    )
                    .at(file, text, at, t.len()),
                );
            }
            offset += line.len();
        }
        // No table to point at: the message names the file.
        Some(
            Diagnostic::warning(format!("{}: [output.html] {what}", file.display())).with_hint(
                "set `site-url` in an [output.html] table of book.toml to the address the site \
                 is published at, e.g. site-url = \"https://guidance.example.com/\"",
            ),
        )
    }

    fn check(&self, text: &str, file: &Path) -> Result<(), Diagnostic> {
        let locate = |key: &str| text.find(key).unwrap_or(0);
        if let Some(url) = &self.output.html.site_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(
                Diagnostic::error(format!("site-url `{url}` is not an absolute URL"))
                    .with_hint("write it as https://host/path/")
                    .at(file, text, locate("site-url"), 8),
            );
        }
        for (key, dir) in [
            ("build-dir", &self.build.build_dir),
            ("lens-dir", &self.wa.lens_dir),
            ("content-dir", &self.wa.content_dir),
        ] {
            if dir.is_absolute()
                || dir
                    .components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                return Err(Diagnostic::error(format!(
                    "{key} `{}` must be a relative path inside the project",
                    dir.display()
                ))
                .with_hint("wa-docs never reads or writes outside the project folder")
                .at(file, text, locate(key), key.len()));
            }
        }
        if let Some(print) = &self.wa.print
            && PrintPolicy::parse(print.get_ref()).is_none()
        {
            let mut list = String::new();
            for (k, (n, _)) in PrintPolicy::NAMES.iter().enumerate() {
                if k > 0 {
                    list.push_str(if k + 1 == PrintPolicy::NAMES.len() {
                        " or "
                    } else {
                        ", "
                    });
                }
                list.push_str(&format!("\"{n}\""));
            }
            let span = print.span();
            return Err(Diagnostic::error(format!(
                "print `{}` is not a print view setting",
                print.get_ref()
            ))
            .with_hint(format!(
                "[wa] print takes {list}; \"auto\" prints every page while the print view \
                 fits in one file (print-part-kb), else the pages made from lenses"
            ))
            .at(file, text, span.start, span.len().max(1)));
        }
        let theme_ok = !self.wa.theme.is_empty()
            && self
                .wa
                .theme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !theme_ok {
            return Err(Diagnostic::error(format!(
                "theme name `{}` must be a plain folder name",
                self.wa.theme
            ))
            .at(file, text, locate("theme"), 5));
        }
        Ok(())
    }

    /// The site URL with exactly one trailing slash.
    pub fn site_url(&self) -> Option<String> {
        self.output
            .html
            .site_url
            .as_ref()
            .map(|u| format!("{}/", u.trim_end_matches('/')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_its_line() {
        let text = "[book]\ntitle = \"x\"\ntitel = \"y\"\n";
        let err = Config::parse(text, Path::new("book.toml")).unwrap_err();
        assert!(err.message.contains("unknown field"), "{}", err.message);
        assert_eq!(err.location.unwrap().line, 3);
    }

    #[test]
    fn defaults_match_mdbook() {
        let c = Config::parse("[book]\ntitle = \"T\"\n", Path::new("book.toml")).unwrap();
        assert_eq!(c.build.build_dir, PathBuf::from("book"));
        assert_eq!(c.wa.lens_dir, PathBuf::from("lenses"));
    }

    #[test]
    fn print_policy_reads_its_four_values_and_refuses_others_where_written() {
        let parse =
            |v: &str| Config::parse(&format!("[wa]\nprint = \"{v}\"\n"), Path::new("book.toml"));
        for (name, policy) in PrintPolicy::NAMES {
            assert_eq!(parse(name).unwrap().wa.print(), policy);
        }
        assert_eq!(Config::default().wa.print(), PrintPolicy::Auto);
        let err = parse("All").unwrap_err();
        let at = err.location.unwrap();
        assert_eq!((at.line, at.col), (2, 9));
        assert!(err.hint.unwrap().contains("\"lenses\" or \"off\""));
    }

    #[test]
    fn build_dir_cannot_escape() {
        let err =
            Config::parse("[build]\nbuild-dir = \"../out\"\n", Path::new("book.toml")).unwrap_err();
        assert_eq!(err.location.unwrap().line, 2);
    }
}
