//! Syntax highlighting with syntect, emitted as one short CSS class per token: the theme's
//! `highlight.css` styles the few token kinds with a light and a dark palette (and follows
//! the theme toggle).
//!
//! syntect reports a stack of scopes for every token (`source.json meta.mapping.key
//! string.quoted.double punctuation.definition.string.begin`). Writing the whole stack as
//! classes made code blocks ~25 times the size of their text, so each token is reduced to
//! one [`Kind`], decided by the innermost scope that means something to a reader; plain text
//! and punctuation get no element at all, and neighbouring tokens of one kind share one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::escape_html;

/// The token kinds a reader can tell apart; each is one class in `highlight.css`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Comment,
    String,
    /// Numbers and other constants (`true`, `null`, escapes, `self`).
    Constant,
    Keyword,
    Operator,
    /// Storage keywords (`let`, `def`) and type names.
    Type,
    /// Function, section and other entity names.
    Function,
    /// Parameters, attributes and other named variables.
    Variable,
    /// Markup tags and YAML/TOML keys, and inserted diff lines.
    Tag,
    /// Deleted diff lines.
    Deleted,
}

impl Kind {
    /// The class name: one letter, since a page carries one per token.
    fn class(self) -> &'static str {
        match self {
            Kind::Comment => "c",
            Kind::String => "s",
            Kind::Constant => "n",
            Kind::Keyword => "k",
            Kind::Operator => "o",
            Kind::Type => "t",
            Kind::Function => "f",
            Kind::Variable => "v",
            Kind::Tag => "g",
            Kind::Deleted => "d",
        }
    }
}

/// What one scope says about its token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Says {
    /// The token is of this kind.
    Is(Kind),
    /// The token is plain, whatever the scopes around it say (ordinary punctuation, code
    /// embedded in a string, plain identifiers).
    Plain,
    /// Nothing: ask the enclosing scope (`meta.*`, the quotes of a string, a comment's `#`).
    Nothing,
}

/// Scope prefixes and what they say; the longest matching prefix of a scope wins.
const RULES: &[(&str, Says)] = &[
    ("comment", Says::Is(Kind::Comment)),
    ("string", Says::Is(Kind::String)),
    ("constant", Says::Is(Kind::Constant)),
    ("keyword", Says::Is(Kind::Keyword)),
    ("keyword.operator", Says::Is(Kind::Operator)),
    // `and`, `not`, `in`, `typeof`: words, shown as keywords.
    ("keyword.operator.word", Says::Is(Kind::Keyword)),
    ("storage", Says::Is(Kind::Type)),
    ("support.type", Says::Is(Kind::Type)),
    ("support.class", Says::Is(Kind::Type)),
    ("entity.name.type", Says::Is(Kind::Type)),
    ("entity.name.class", Says::Is(Kind::Type)),
    ("entity.other.inherited-class", Says::Is(Kind::Type)),
    ("support.function", Says::Is(Kind::Function)),
    ("support.constant", Says::Is(Kind::Constant)),
    ("support.variable", Says::Is(Kind::Variable)),
    ("entity.name", Says::Is(Kind::Function)),
    ("entity.name.tag", Says::Is(Kind::Tag)),
    ("entity.other.attribute-name", Says::Is(Kind::Variable)),
    ("variable", Says::Is(Kind::Variable)),
    ("variable.function", Says::Is(Kind::Function)),
    ("variable.language", Says::Is(Kind::Constant)),
    ("variable.other.constant", Says::Is(Kind::Constant)),
    // Ordinary identifiers are most of the code: colouring them all would colour nothing.
    ("variable.other.readwrite", Says::Plain),
    ("variable.other.member", Says::Plain),
    ("variable.other.property", Says::Plain),
    ("variable.other.object", Says::Plain),
    // Shell `$NAME` is worth showing, unlike a plain identifier elsewhere.
    ("variable.other.readwrite.shell", Says::Is(Kind::Variable)),
    ("punctuation", Says::Plain),
    // Quotes, comment markers: shown as what they delimit.
    ("punctuation.definition", Says::Nothing),
    // The `$` of a shell variable, which syntect scopes apart from the name.
    ("punctuation.definition.variable", Says::Is(Kind::Variable)),
    ("markup.heading", Says::Is(Kind::Keyword)),
    ("markup.inserted", Says::Is(Kind::Tag)),
    ("markup.deleted", Says::Is(Kind::Deleted)),
    ("markup.changed", Says::Is(Kind::Constant)),
    // Code inside a string (`f"{x}"`, `${x}`) is code again, not string.
    ("meta.interpolation", Says::Plain),
    ("meta.embedded", Says::Plain),
    ("source", Says::Plain),
    ("text", Says::Plain),
    ("invalid", Says::Plain),
];

fn rules() -> &'static [(Scope, Says)] {
    static RULES_PARSED: OnceLock<Vec<(Scope, Says)>> = OnceLock::new();
    RULES_PARSED.get_or_init(|| {
        RULES
            .iter()
            .filter_map(|&(prefix, says)| Scope::new(prefix).ok().map(|s| (s, says)))
            .collect()
    })
}

/// What one scope says, by the longest rule that is a prefix of it.
fn says(scope: Scope) -> Says {
    // Scopes repeat across tokens and pages; remember each scope's answer per thread (the
    // build renders pages on several threads).
    thread_local! {
        static SEEN: RefCell<HashMap<Scope, Says>> = RefCell::new(HashMap::new());
    }
    SEEN.with(|seen| {
        *seen.borrow_mut().entry(scope).or_insert_with(|| {
            rules()
                .iter()
                .filter(|(prefix, _)| prefix.is_prefix_of(scope))
                .max_by_key(|(prefix, _)| prefix.len())
                .map_or(Says::Nothing, |&(_, says)| says)
        })
    })
}

/// The kind of a token, from the innermost scope on its stack that says something.
fn kind_of(stack: &[Scope]) -> Option<Kind> {
    for &scope in stack.iter().rev() {
        match says(scope) {
            Says::Is(kind) => return Some(kind),
            Says::Plain => return None,
            Says::Nothing => {}
        }
    }
    None
}

fn syntaxes() -> &'static SyntaxSet {
    // Loaded once per process: deserialising the default syntaxes takes tens of milliseconds,
    // and compiled regexes are cached inside the set, so every page shares them.
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Names people write after the fence that syntect knows under another token.
fn alias(lang: &str) -> &str {
    match lang {
        "sh" | "shell" | "console" | "zsh" => "bash",
        "yml" => "yaml",
        "py" => "python",
        "js" | "javascript" => "js",
        "ts" | "typescript" => "js",
        "jsonc" | "json5" => "json",
        "rs" => "rust",
        "hcl" | "terraform" | "tf" => "ruby",
        other => other,
    }
}

/// How much code one page may highlight: bytes, plus [`BLOCK_COST`] for each block. syntect
/// highlights a few MB/s at best and far less on pathological input, so past this a page's
/// code is shown plain and every input builds at the speed it must. Real pages hold a few
/// kilobytes of code.
pub const PAGE_BUDGET: usize = 96 * 1024;
/// What starting a block costs, in bytes of budget (a parser state per block).
const BLOCK_COST: usize = 512;

/// Appends `text` escaped for element content (quotes need no escaping there).
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&amp;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// Writes tokens as `<span class="k">`, one element per run of tokens of one kind.
#[derive(Default)]
struct Spans {
    out: String,
    /// The kind of the open `<span>`, if one is open.
    open: Option<Kind>,
    /// Whitespace after the open span, held back: if the next token has the same kind it
    /// joins the span (whitespace looks the same inside it), otherwise it goes after it.
    gap: String,
}

impl Spans {
    fn token(&mut self, kind: Option<Kind>, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.open.is_some() && text.trim().is_empty() {
            self.gap.push_str(text);
            return;
        }
        if self.open != kind || kind.is_none() {
            self.close();
            if let Some(k) = kind {
                self.out.push_str("<span class=\"");
                self.out.push_str(k.class());
                self.out.push_str("\">");
                self.open = Some(k);
            }
        }
        self.out.push_str(&self.gap);
        self.gap.clear();
        push_text(&mut self.out, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.out.push_str("</span>");
        }
        self.out.push_str(&self.gap);
        self.gap.clear();
    }

    fn finish(mut self) -> String {
        self.close();
        self.out
    }
}

/// The highlighted markup of `code`, or `None` if syntect fails on it.
fn highlight(code: &str, syntax: &syntect::parsing::SyntaxReference) -> Option<String> {
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut spans = Spans {
        out: String::with_capacity(code.len() + code.len() / 2),
        ..Spans::default()
    };
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, set).ok()?;
        let mut at = 0;
        for (to, op) in ops {
            // syntect's offsets are byte offsets on char boundaries; `get` keeps a bad one
            // from panicking.
            if to > at {
                spans.token(kind_of(stack.as_slice()), line.get(at..to)?);
                at = to;
            }
            stack.apply(&op).ok()?;
        }
        spans.token(kind_of(stack.as_slice()), line.get(at..)?);
    }
    Some(spans.finish())
}

fn plain(class: &str, code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 64);
    out.push_str("<pre tabindex=\"0\"><code");
    out.push_str(class);
    out.push('>');
    push_text(&mut out, code);
    out.push_str("</code></pre>\n");
    out
}

/// A `<pre><code>` block, highlighted when the language is known and `budget` (see
/// [`PAGE_BUDGET`]) allows; highlighting spends from it.
pub fn code_block(lang: &str, code: &str, budget: &mut usize) -> String {
    let lang = lang.trim().to_ascii_lowercase();
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_html(&lang))
    };
    let syntax = (!lang.is_empty())
        .then(|| syntaxes().find_syntax_by_token(alias(&lang)))
        .flatten();
    let cost = code.len() + BLOCK_COST;
    let Some(syntax) = syntax.filter(|_| cost <= *budget) else {
        return plain(&class, code);
    };
    *budget -= cost;
    match highlight(code, syntax) {
        Some(html) => {
            format!("<pre class=\"hl\" tabindex=\"0\"><code{class}>{html}</code></pre>\n")
        }
        None => plain(&class, code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text a reader sees: the markup without its tags, unescaped.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    /// The code inside `<code …>`.
    fn inner(html: &str) -> &str {
        let start = html.find("<code").unwrap();
        let start = start + html[start..].find('>').unwrap() + 1;
        &html[start..html.rfind("</code>").unwrap()]
    }

    #[test]
    fn known_language_gets_one_short_class_per_token_kind() {
        let mut budget = PAGE_BUDGET;
        let html = code_block("json", "{\"a\": 1, \"b\": true}\n", &mut budget);
        assert!(
            html.starts_with("<pre class=\"hl\" tabindex=\"0\"><code class=\"language-json\">")
        );
        // Keys and values are strings with their quotes; numbers and `true` are constants;
        // braces, colons and commas are plain text with no element.
        assert_eq!(
            inner(&html),
            "{<span class=\"s\">\"a\"</span>: <span class=\"n\">1</span>, \
             <span class=\"s\">\"b\"</span>: <span class=\"n\">true</span>}\n"
        );
    }

    #[test]
    fn each_kind_is_decided_by_the_innermost_scope() {
        let mut budget = PAGE_BUDGET;
        let code = "def score(values):\n    # mean\n    return sum(values) / 2\n";
        let html = code_block("python", code, &mut budget);
        let code_html = inner(&html);
        assert_eq!(text_of(code_html), code);
        assert!(
            code_html.contains("<span class=\"t\">def</span>"),
            "{code_html}"
        );
        assert!(
            code_html.contains("<span class=\"f\">score</span>"),
            "{code_html}"
        );
        assert!(
            code_html.contains("<span class=\"v\">values</span>"),
            "{code_html}"
        );
        assert!(
            code_html.contains("<span class=\"c\"># mean"),
            "{code_html}"
        );
        assert!(
            code_html.contains("<span class=\"k\">return</span>"),
            "{code_html}"
        );
        assert!(
            code_html.contains("<span class=\"o\">/</span>"),
            "{code_html}"
        );
        assert!(
            code_html.contains("<span class=\"n\">2</span>"),
            "{code_html}"
        );
        // No scope-stack classes, and never two spans of one kind side by side.
        assert!(!code_html.contains("hl-"), "{code_html}");
        // Never two spans of one kind with only whitespace between them.
        let mut last: Option<(&str, usize)> = None;
        let mut rest = code_html;
        let mut offset = 0;
        while let Some(i) = rest.find("<span class=\"") {
            let start = offset + i;
            let kind = &code_html[start + 13..start + 14];
            let end = start + code_html[start..].find("</span>").unwrap() + 7;
            if let Some((prev, prev_end)) = last {
                let between = &code_html[prev_end..start];
                assert!(prev != kind || !between.trim().is_empty(), "{code_html}");
            }
            last = Some((kind, end));
            offset = end;
            rest = &code_html[end..];
        }
    }

    #[test]
    fn code_inside_a_string_is_not_string() {
        let mut budget = PAGE_BUDGET;
        let html = code_block("sh", "echo \"hi $NAME\" # done\n", &mut budget);
        let code_html = inner(&html);
        assert!(
            code_html.contains("<span class=\"v\">$NAME</span>"),
            "{code_html}"
        );
        assert!(
            code_html.contains("<span class=\"c\"># done"),
            "{code_html}"
        );
    }

    #[test]
    fn markup_characters_are_escaped_and_quotes_kept() {
        let mut budget = PAGE_BUDGET;
        let code = "if a < b && c > \"<d>\" { x }\n";
        let html = code_block("rust", code, &mut budget);
        assert!(!inner(&html).contains("< "), "{html}");
        assert_eq!(text_of(inner(&html)), code);
        let html = code_block("nosuchlang", "<b>\"q\"\n", &mut budget);
        assert_eq!(
            html,
            "<pre tabindex=\"0\"><code class=\"language-nosuchlang\">&lt;b&gt;\"q\"\n</code></pre>\n"
        );
        let html = code_block("", "a & b\n", &mut budget);
        assert_eq!(html, "<pre tabindex=\"0\"><code>a &amp; b\n</code></pre>\n");
    }

    #[test]
    fn every_kind_has_a_style_in_both_palettes() {
        let css = include_str!("../../themes/default/static/highlight.css");
        for k in [
            Kind::Comment,
            Kind::String,
            Kind::Constant,
            Kind::Keyword,
            Kind::Operator,
            Kind::Type,
            Kind::Function,
            Kind::Variable,
            Kind::Tag,
            Kind::Deleted,
        ] {
            let selector = format!(".hl .{}", k.class());
            assert!(
                css.contains(&selector),
                "{selector} missing from highlight.css"
            );
        }
    }

    #[test]
    fn past_the_page_budget_code_is_shown_plain_and_escaped() {
        let mut budget = PAGE_BUDGET;
        let block = "let x = 1 < 2;\n".repeat(1000);
        let mut highlighted = 0;
        for _ in 0..10 {
            let html = code_block("rust", &block, &mut budget);
            if html.contains("<span") {
                highlighted += 1;
            } else {
                assert!(html.contains("let x = 1 &lt; 2;"), "{html}");
                assert!(html.contains("class=\"language-rust\""));
            }
        }
        assert_eq!(highlighted, PAGE_BUDGET / (block.len() + BLOCK_COST));
    }
}
