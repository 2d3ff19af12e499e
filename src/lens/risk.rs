//! Risk-rule conditions with the Well-Architected Tool's semantics: boolean expressions over
//! choice ids with `&&`, `||`, `!` and parentheses; `default` matches always; rules are tried
//! in order and the first match wins. Parsed once here; the browser gets the parsed tree, so it
//! never evaluates author text.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "args", rename_all = "lowercase")]
pub enum Condition {
    Default,
    Choice(String),
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
}

/// A parse error with the byte offset into the condition text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

/// Nesting deeper than this is refused so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 64;

impl Condition {
    pub fn parse(text: &str) -> Result<Condition, ParseError> {
        let tokens = tokenize(text)?;
        if tokens.is_empty() {
            return Err(ParseError {
                offset: 0,
                message: "empty condition".into(),
            });
        }
        let mut p = Parser {
            tokens,
            pos: 0,
            end: text.len(),
        };
        let cond = p.or(0)?;
        if let Some((off, tok)) = p.tokens.get(p.pos) {
            return Err(ParseError {
                offset: *off,
                message: format!("unexpected `{tok}`"),
            });
        }
        if matches!(cond, Condition::Default) || !cond.mentions_default() {
            Ok(cond)
        } else {
            Err(ParseError {
                offset: text.find("default").unwrap_or(0),
                message: "`default` must stand alone as the whole condition".into(),
            })
        }
    }

    fn mentions_default(&self) -> bool {
        match self {
            Condition::Default => true,
            Condition::Choice(_) => false,
            Condition::Not(c) => c.mentions_default(),
            Condition::And(cs) | Condition::Or(cs) => cs.iter().any(Condition::mentions_default),
        }
    }

    pub fn eval(&self, selected: &HashSet<&str>) -> bool {
        match self {
            Condition::Default => true,
            Condition::Choice(id) => selected.contains(id.as_str()),
            Condition::Not(c) => !c.eval(selected),
            Condition::And(cs) => cs.iter().all(|c| c.eval(selected)),
            Condition::Or(cs) => cs.iter().any(|c| c.eval(selected)),
        }
    }

    /// Every choice id the condition names, in order of appearance.
    pub fn choices(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Default => {}
            Condition::Choice(id) => out.push(id),
            Condition::Not(c) => c.collect(out),
            Condition::And(cs) | Condition::Or(cs) => cs.iter().for_each(|c| c.collect(out)),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<(usize, String)>, ParseError> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' | b')' | b'!' => {
                out.push((i, (c as char).to_string()));
                i += 1;
            }
            b'&' | b'|' => {
                if bytes.get(i + 1) != Some(&c) {
                    return Err(ParseError {
                        offset: i,
                        message: format!("expected `{0}{0}`", c as char),
                    });
                }
                out.push((i, text[i..i + 2].to_string()));
                i += 2;
            }
            c if is_id_byte(c) => {
                let start = i;
                while i < bytes.len() && is_id_byte(bytes[i]) {
                    i += 1;
                }
                out.push((start, text[start..i].to_string()));
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(ParseError {
                    offset: i,
                    message: format!("unexpected character `{ch}`"),
                });
            }
        }
    }
    Ok(out)
}

fn is_id_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.'
}

struct Parser {
    tokens: Vec<(usize, String)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(|(_, t)| t.as_str())
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(o, _)| *o)
    }

    fn deeper(&self, depth: usize) -> Result<usize, ParseError> {
        if depth >= MAX_DEPTH {
            Err(ParseError {
                offset: self.offset(),
                message: format!("condition nests deeper than {MAX_DEPTH} levels"),
            })
        } else {
            Ok(depth + 1)
        }
    }

    fn or(&mut self, depth: usize) -> Result<Condition, ParseError> {
        let depth = self.deeper(depth)?;
        let mut items = vec![self.and(depth)?];
        while self.peek() == Some("||") {
            self.pos += 1;
            items.push(self.and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Condition::Default)
        } else {
            Condition::Or(items)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Condition, ParseError> {
        let mut items = vec![self.unary(depth)?];
        while self.peek() == Some("&&") {
            self.pos += 1;
            items.push(self.unary(depth)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Condition::Default)
        } else {
            Condition::And(items)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Condition, ParseError> {
        let depth = self.deeper(depth)?;
        let offset = self.offset();
        match self.peek() {
            Some("!") => {
                self.pos += 1;
                Ok(Condition::Not(Box::new(self.unary(depth)?)))
            }
            Some("(") => {
                self.pos += 1;
                let inner = self.or(depth)?;
                if self.peek() != Some(")") {
                    return Err(ParseError {
                        offset: self.offset(),
                        message: "missing `)`".into(),
                    });
                }
                self.pos += 1;
                Ok(inner)
            }
            Some("default") => {
                self.pos += 1;
                Ok(Condition::Default)
            }
            Some(t) if t.bytes().all(is_id_byte) => {
                let id = t.to_string();
                self.pos += 1;
                Ok(Condition::Choice(id))
            }
            Some(t) => Err(ParseError {
                offset,
                message: format!("expected a choice id, `!` or `(`, found `{t}`"),
            }),
            None => Err(ParseError {
                offset,
                message: "condition ends too early: expected a choice id".into(),
            }),
        }
    }
}

/// Evaluates rules in order; the first whose condition holds gives the risk.
pub fn evaluate<'a, R>(
    rules: impl IntoIterator<Item = (&'a Condition, R)>,
    selected: &HashSet<&str>,
) -> Option<R> {
    rules
        .into_iter()
        .find(|(c, _)| c.eval(selected))
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel<'a>(ids: &[&'a str]) -> HashSet<&'a str> {
        ids.iter().copied().collect()
    }

    #[test]
    fn precedence_and_binds_tighter_than_or() {
        let c = Condition::parse("a && b || c").unwrap();
        assert!(c.eval(&sel(&["c"])));
        assert!(c.eval(&sel(&["a", "b"])));
        assert!(!c.eval(&sel(&["a"])));
    }

    #[test]
    fn not_and_parentheses() {
        let c = Condition::parse("choice1 && (choice2 || !choice3)").unwrap();
        assert!(c.eval(&sel(&["choice1"])));
        assert!(!c.eval(&sel(&["choice1", "choice3"])));
        assert!(c.eval(&sel(&["choice1", "choice2", "choice3"])));
        assert_eq!(c.choices(), vec!["choice1", "choice2", "choice3"]);
    }

    #[test]
    fn first_matching_rule_wins() {
        let rules = [
            (Condition::parse("a && b").unwrap(), "NONE"),
            (Condition::parse("a").unwrap(), "MEDIUM"),
            (Condition::parse("default").unwrap(), "HIGH"),
        ];
        let eval = |s: &[&str]| evaluate(rules.iter().map(|(c, r)| (c, *r)), &sel(s));
        assert_eq!(eval(&["a", "b"]), Some("NONE"));
        assert_eq!(eval(&["a"]), Some("MEDIUM"));
        assert_eq!(eval(&["b"]), Some("HIGH"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = Condition::parse("a & b").unwrap_err();
        assert_eq!(e.offset, 2);
        let e = Condition::parse("a && (b || c").unwrap_err();
        assert!(e.message.contains("missing `)`"));
        let e = Condition::parse("a && default").unwrap_err();
        assert!(e.message.contains("stand alone"));
        assert!(Condition::parse("").is_err());
        assert!(Condition::parse("a $ b").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let text = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(Condition::parse(&text).is_err());
        let text = format!("{}a", "!".repeat(10_000));
        assert!(Condition::parse(&text).is_err());
    }
}
