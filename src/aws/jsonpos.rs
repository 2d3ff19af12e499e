//! Byte positions of values in a JSON text, by path. serde_json gives positions only for syntax
//! errors; import warnings name a JSON path, and this finds where that path sits in the file.
//! The text has already been parsed by serde_json, so the scanner may be simple, but it never
//! panics on any input.

use std::collections::HashMap;

use super::JsonPath;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

/// Where every value (and every object key) of a document is.
#[derive(Debug, Default)]
pub struct Positions {
    values: HashMap<JsonPath, Span>,
    keys: HashMap<JsonPath, Span>,
    /// Keys that appear more than once in one object (the parser keeps the last).
    pub duplicates: Vec<(JsonPath, Span)>,
}

impl Positions {
    pub fn scan(text: &str) -> Positions {
        let mut s = Scanner {
            b: text.as_bytes(),
            i: 0,
            out: Positions::default(),
        };
        s.ws();
        s.value(&JsonPath::root(), 0);
        s.out
    }

    /// The value at `path`, or the nearest enclosing value that exists (a missing key is
    /// reported at its object).
    pub fn locate(&self, path: &JsonPath) -> Span {
        let mut p = Some(path.clone());
        while let Some(cur) = p {
            if let Some(s) = self.values.get(&cur) {
                return *s;
            }
            p = cur.parent();
        }
        Span { offset: 0, len: 1 }
    }

    /// The path of each value, by the offset where it starts (the innermost value wins).
    pub fn paths_by_offset(&self) -> HashMap<usize, &JsonPath> {
        let mut out: HashMap<usize, &JsonPath> = HashMap::new();
        for (path, span) in &self.values {
            let deeper = out
                .get(&span.offset)
                .is_none_or(|p| p.0.len() < path.0.len());
            if deeper {
                out.insert(span.offset, path);
            }
        }
        out
    }

    /// The key of an object member (for unknown keys), else the value.
    pub fn locate_key(&self, path: &JsonPath) -> Span {
        self.keys
            .get(path)
            .copied()
            .unwrap_or_else(|| self.locate(path))
    }
}

const MAX_DEPTH: usize = 256;

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    out: Positions,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Skips a string starting at `self.i` (on the quote); returns its decoded text.
    fn string(&mut self) -> String {
        let start = self.i + 1;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    let raw = &self.b[start - 1..=self.i];
                    self.i += 1;
                    return serde_json::from_slice::<String>(raw).unwrap_or_default();
                }
                _ => self.i += 1,
            }
        }
        String::new()
    }

    fn value(&mut self, path: &JsonPath, depth: usize) {
        let start = self.i;
        if depth > MAX_DEPTH {
            return;
        }
        match self.peek() {
            Some(b'{') => {
                self.i += 1;
                let mut seen: HashMap<String, ()> = HashMap::new();
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b'"') => {
                            let kstart = self.i;
                            let key = self.string();
                            let kspan = Span {
                                offset: kstart,
                                len: self.i - kstart,
                            };
                            let child = path.key(&key);
                            if seen.insert(key, ()).is_some() {
                                self.out.duplicates.push((child.clone(), kspan));
                            }
                            self.out.keys.insert(child.clone(), kspan);
                            self.ws();
                            if self.peek() == Some(b':') {
                                self.i += 1;
                            }
                            self.ws();
                            self.value(&child, depth + 1);
                            self.ws();
                            if self.peek() == Some(b',') {
                                self.i += 1;
                            }
                        }
                        Some(b'}') => {
                            self.i += 1;
                            break;
                        }
                        _ => break,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b']') => {
                            self.i += 1;
                            break;
                        }
                        None => break,
                        _ => {
                            let before = self.i;
                            self.value(&path.index(n), depth + 1);
                            n += 1;
                            self.ws();
                            if self.peek() == Some(b',') {
                                self.i += 1;
                            } else if self.i == before {
                                break;
                            }
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self.i < self.b.len()
                    && !matches!(
                        self.b[self.i],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.i += 1;
                }
            }
            None => return,
        }
        // Containers are located at their opening bracket only, scalars at their whole text.
        let len = match self.b.get(start) {
            Some(b'{') | Some(b'[') => 1,
            _ => (self.i - start).max(1),
        };
        self.out
            .values
            .insert(path.clone(), Span { offset: start, len });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_and_duplicates() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\\\"y\"}],\n  \"c\": true, \"c\": false\n}";
        let p = Positions::scan(text);
        let at = p.locate(&JsonPath::root().key("a").index(1).key("b"));
        assert_eq!(&text[at.offset..at.offset + at.len], "\"x\\\"y\"");
        let at = p.locate(&JsonPath::root().key("a").index(0));
        assert_eq!(&text[at.offset..at.offset + at.len], "1");
        // A missing key falls back to its object.
        let at = p.locate(&JsonPath::root().key("a").index(1).key("zz"));
        assert_eq!(&text[at.offset..at.offset + 1], "{");
        assert_eq!(p.duplicates.len(), 1);
    }

    #[test]
    fn never_panics_on_garbage() {
        for t in [
            "", "{", "[", "\"", "{\"a\"", "[1,", "}", "{\"a\":}", "[[[[", "\\",
        ] {
            let _ = Positions::scan(t).locate(&JsonPath::root().key("a"));
        }
    }
}
