//! A linear pre-scan of YAML text for flow collections (`[`, `{`) nested too deeply.
//!
//! libyaml, under serde_yaml, keeps one "possible simple key" per open flow level and
//! re-checks all of them for every token, so `[[[[…` costs time quadratic in the depth: 200,000
//! brackets took 76 s before serde_yaml's recursion limit could reject them. This scan finds
//! such input in one pass, before the parser sees it. It is a guard, not a parser: it only
//! needs to count the brackets that can open a flow collection, and skips quoted scalars,
//! comments and block scalars, where brackets are just text.

/// Deepest flow nesting accepted. A lens nests about ten levels; serde_yaml itself stops at 128.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Byte offset of the bracket that opens nesting level `MAX_FLOW_DEPTH + 1`, if any.
pub fn too_deep(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    // Inside a block scalar (`|`, `>`): lines indented more than this belong to it.
    let mut block_indent: Option<usize> = None;
    while i < b.len() {
        // At the start of a line.
        let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
        let line_end = b[i..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |p| i + p);
        if let Some(parent) = block_indent {
            let blank = b[i + indent..line_end]
                .iter()
                .all(|c| c.is_ascii_whitespace());
            if blank || indent > parent {
                i = line_end + 1;
                continue;
            }
            block_indent = None;
        }
        let mut j = i + indent;
        // A bracket here starts a collection; after a plain character it is text.
        let mut can_open = true;
        while j < line_end {
            let c = b[j];
            match c {
                b'#' if j == i + indent || b[j - 1] == b' ' || b[j - 1] == b'\t' => break,
                b'[' | b'{' if can_open => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(j);
                    }
                }
                b']' | b'}' if depth > 0 => {
                    depth -= 1;
                    can_open = false;
                }
                b',' if depth > 0 => can_open = true,
                b'"' | b'\'' if can_open => {
                    // A quoted scalar may span lines; continue after its closing quote.
                    j = skip_quoted(b, j);
                    can_open = false;
                    if j > line_end {
                        // The scalar ended on a later line: resume scanning from there.
                        break;
                    }
                    continue;
                }
                b'|' | b'>' if can_open && depth == 0 => {
                    block_indent = Some(indent);
                    break;
                }
                b' ' | b'\t' => {}
                // In flow context a value may follow `:` directly (`{"a":{"a":…`).
                b':' if depth > 0 => can_open = true,
                b':' | b'-' | b'?' if b.get(j + 1).is_none_or(|n| n.is_ascii_whitespace()) => {
                    can_open = true;
                }
                _ => can_open = false,
            }
            j += 1;
        }
        // When a quoted scalar ran past this line, `j` points after its closing quote; the
        // rest of that line is scanned as a fresh line, which is close enough for a guard.
        i = if j > line_end { j } else { line_end + 1 };
    }
    None
}

/// Offset just past the quoted scalar opening at `start` (or the end of the text).
fn skip_quoted(b: &[u8], start: usize) -> usize {
    let quote = b[start];
    let mut k = start + 1;
    while k < b.len() {
        match b[k] {
            b'\\' if quote == b'"' => k += 2,
            b'\'' if quote == b'\'' && b.get(k + 1) == Some(&b'\'') => k += 2,
            c if c == quote => return k + 1,
            _ => k += 1,
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_found_at_the_first_bracket_too_many() {
        let text = format!("id: t\npillars: {}", "[".repeat(200_000));
        let at = too_deep(&text).unwrap();
        assert_eq!(at, "id: t\npillars: ".len() + MAX_FLOW_DEPTH);
        assert!(too_deep(&format!("a: {}", "{b: ".repeat(100))).is_some());
        assert!(too_deep(&format!("a: {}", "{\"b\":".repeat(100))).is_some());
    }

    #[test]
    fn brackets_in_text_quotes_comments_and_block_scalars_do_not_count() {
        let deep = "[".repeat(100);
        for text in [
            format!("title: see {deep}\n"),
            format!("title: \"{deep}\"\nx: [1]\n"),
            format!("title: '{deep}''s'\n"),
            format!("a: 1 # {deep}\n"),
            format!("description: |\n  {deep}\n  more\nnext: [a, [b]]\n"),
            format!("d: >-\n    {deep}\n\n    {deep}\n"),
        ] {
            assert_eq!(too_deep(&text), None, "{text}");
        }
        assert_eq!(too_deep("a: [[1, 2], {b: [c]}]\n- [x]\n"), None);
    }

    #[test]
    fn a_quoted_scalar_spanning_lines_is_skipped_whole() {
        let text = format!("a: \"x\n{}\ny\"\nb: [1]\n", "[".repeat(100));
        assert_eq!(too_deep(&text), None);
    }
}
