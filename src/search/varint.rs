//! Sorted number lists packed as LEB128 deltas. `serve`'s scorer keeps every doc's terms and
//! words between builds; at 10,000 pages that is five million terms, which take about three
//! bytes each this way against twelve as tuples.

fn push(out: &mut Vec<u8>, mut n: u32) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Reads one number written by [`push`]; the bytes are only ever ours.
fn read(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return n;
        }
        shift += 7;
    }
}

/// A doc's (stem, field, count) terms, sorted by stem then field.
#[derive(Debug, Default)]
pub struct Terms(Box<[u8]>);

impl Terms {
    pub fn new(terms: &[(u32, u8, u32)]) -> Terms {
        let mut out = Vec::with_capacity(terms.len() * 3);
        let mut prev = 0;
        for &(stem, field, count) in terms {
            push(&mut out, stem - prev);
            out.push(field);
            push(&mut out, count);
            prev = stem;
        }
        Terms(out.into_boxed_slice())
    }

    pub fn iter(&self) -> impl Iterator<Item = (u32, u8, u32)> + '_ {
        let (mut at, mut prev) = (0, 0);
        std::iter::from_fn(move || {
            if at >= self.0.len() {
                return None;
            }
            let stem = prev + read(&self.0, &mut at);
            let field = self.0[at];
            at += 1;
            prev = stem;
            Some((stem, field, read(&self.0, &mut at)))
        })
    }
}

/// Distinct ids in ascending order.
#[derive(Debug, Default)]
pub struct Ids(Box<[u8]>);

impl Ids {
    pub fn new(ids: &[u32]) -> Ids {
        let mut out = Vec::with_capacity(ids.len() * 2);
        let mut prev = 0;
        for &id in ids {
            push(&mut out, id - prev);
            prev = id;
        }
        Ids(out.into_boxed_slice())
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let (mut at, mut prev) = (0, 0);
        std::iter::from_fn(move || {
            (at < self.0.len()).then(|| {
                prev += read(&self.0, &mut at);
                prev
            })
        })
    }
}

/// One stem's postings, (doc, score) in doc order, as doc gaps and scores: made one posting at
/// a time, so a site's lists are never held as eight-byte pairs.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct PostingList {
    bytes: Vec<u8>,
    last: u32,
    len: u32,
}

impl PostingList {
    /// Adds a posting; docs come in ascending order.
    pub fn push(&mut self, doc: u32, score: u32) {
        push(
            &mut self.bytes,
            if self.len == 0 { doc } else { doc - self.last },
        );
        push(&mut self.bytes, score);
        self.last = doc;
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
    }

    pub fn to_vec(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::with_capacity(self.len());
        let (mut at, mut doc) = (0, 0);
        while at < self.bytes.len() {
            let gap = read(&self.bytes, &mut at);
            doc = if out.is_empty() { gap } else { doc + gap };
            out.push((doc, read(&self.bytes, &mut at)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_read_back_as_written_across_byte_boundaries() {
        let terms = vec![
            (0, 0, 1),
            (0, 3, 127),
            (5, 1, 128),
            (300, 4, 16_384),
            (u32::MAX, 2, u32::MAX),
        ];
        assert_eq!(Terms::new(&terms).iter().collect::<Vec<_>>(), terms);
        assert_eq!(Terms::new(&[]).iter().count(), 0);
    }

    #[test]
    fn postings_read_back_in_doc_order() {
        let mut p = PostingList::default();
        let want = [(0, 5), (1, 1), (200, 70_000), (u32::MAX, u32::MAX)];
        for (d, s) in want {
            p.push(d, s);
        }
        assert_eq!(p.to_vec(), want);
        assert_eq!(p.len(), 4);
        assert!(PostingList::default().to_vec().is_empty());
    }

    #[test]
    fn ids_read_back_as_written_in_about_a_byte_each_when_close() {
        let ids: Vec<u32> = (0..1000).map(|i| i * 3).chain([u32::MAX]).collect();
        let packed = Ids::new(&ids);
        assert_eq!(packed.iter().collect::<Vec<_>>(), ids);
        assert!(packed.0.len() < 1010);
    }
}
