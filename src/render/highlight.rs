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

/// A `<pre><code>` block, highlighted when the language is known.
pub fn code_block(lang: &str, code: &str) -> String {
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
    let Some(syntax) = syntax else {
        return format!(
            "<pre tabindex=\"0\"><code{class}>{}</code></pre>\n",
            escape_html(code)
        );
    };
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
        let html = code_block("json", "{\"a\": 1}\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        let html = code_block("nosuchlang", "<b>\n");
        assert!(html.contains("&lt;b&gt;"));
    }
}
