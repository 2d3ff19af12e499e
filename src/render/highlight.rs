//! Syntax highlighting with syntect, emitted as CSS classes: the theme's `highlight.css`
//! styles them with a light and a dark palette (and follows the theme toggle).

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};

use super::escape_html;
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
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
/// (pure-Rust regexes) highlights about 0.3 MB/s, under the 1 MB/s every input must build at,
/// so past this a page's code is shown plain. Real pages hold a few kilobytes of code.
pub const PAGE_BUDGET: usize = 96 * 1024;
/// What starting a block costs, in bytes of budget (a parser state per block).
const BLOCK_COST: usize = 512;

/// A `<pre><code>` block, highlighted when the language is known and `budget` (see
/// [`PAGE_BUDGET`]) allows; highlighting spends from it.
pub fn code_block(lang: &str, code: &str, budget: &mut usize) -> String {
    let lang = lang.trim().to_ascii_lowercase();
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_html(&lang))
    };
    let set = syntaxes();
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(alias(&lang)))
        .flatten();
    let cost = code.len() + BLOCK_COST;
    let syntax = syntax.filter(|_| cost <= *budget);
    let Some(syntax) = syntax else {
        return format!(
            "<pre tabindex=\"0\"><code{class}>{}</code></pre>\n",
            escape_html(code)
        );
    };
    *budget -= cost;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre tabindex=\"0\"><code{class}>{}</code></pre>\n",
                escape_html(code)
            );
        }
    }
    format!(
        "<pre class=\"hl\" tabindex=\"0\"><code{class}>{}</code></pre>\n",
        generator.finalize()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_and_unknown_is_escaped() {
        let mut budget = PAGE_BUDGET;
        let html = code_block("json", "{\"a\": 1}\n", &mut budget);
        assert!(html.contains("class=\"hl-"), "{html}");
        let html = code_block("nosuchlang", "<b>\n", &mut budget);
        assert!(html.contains("&lt;b&gt;"));
    }

    #[test]
    fn past_the_page_budget_code_is_shown_plain_and_escaped() {
        let mut budget = PAGE_BUDGET;
        let block = "let x = 1 < 2;\n".repeat(1000);
        let mut highlighted = 0;
        for _ in 0..10 {
            let html = code_block("rust", &block, &mut budget);
            if html.contains("hl-") {
                highlighted += 1;
            } else {
                assert!(html.contains("let x = 1 &lt; 2;"), "{html}");
                assert!(html.contains("class=\"language-rust\""));
            }
        }
        assert_eq!(highlighted, PAGE_BUDGET / (block.len() + BLOCK_COST));
    }
}
