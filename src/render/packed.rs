//! Text kept compressed while it waits: every page's rendered HTML and plain text are made in
//! the markdown stage but read once, much later, when that page is written or indexed. On a
//! 100,000-page site they are over a gigabyte as plain strings; LZ4 keeps them at about a
//! third, and unpacks a page's worth in microseconds.

/// A string stored LZ4-compressed.
#[derive(Clone, Default)]
pub struct Packed {
    /// The LZ4 block; empty for the empty string.
    bytes: Box<[u8]>,
    len: usize,
}

impl Packed {
    pub fn new(s: &str) -> Packed {
        if s.is_empty() {
            return Packed::default();
        }
        Packed {
            bytes: lz4_flex::block::compress(s.as_bytes()).into_boxed_slice(),
            len: s.len(),
        }
    }

    /// The text, unpacked.
    pub fn get(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        // Both can only fail on bytes this type did not write; an empty string is then the
        // least surprising answer (and cannot happen).
        let bytes = lz4_flex::block::decompress(&self.bytes, self.len).unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Length of the unpacked text in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held (for memory accounting).
    pub fn packed_len(&self) -> usize {
        self.bytes.len()
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.get(), f)
    }
}

impl PartialEq for Packed {
    fn eq(&self, other: &Packed) -> bool {
        self.len == other.len && self.bytes == other.bytes
    }
}

/// As equality: by the compressed bytes, which one text always compresses to.
impl std::hash::Hash for Packed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.len.hash(state);
        self.bytes.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_comes_back_as_it_went_in() {
        for s in ["", "a", "<p>héllo — ✓</p>\n", &"<li>row</li>".repeat(1000)] {
            let p = Packed::new(s);
            assert_eq!(p.get(), s);
            assert_eq!(p.len(), s.len());
        }
        let long = "<li><a href=\"page-1.html\">Page</a></li>".repeat(500);
        assert!(Packed::new(&long).packed_len() * 4 < long.len());
    }
}
