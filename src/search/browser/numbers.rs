//! The number strings of the browser shards: postings and other number lists written in an
//! alphabet that needs no escaping in JSON or a JS string, five bits per character.

/// Docs kept per word in the shard itself, best first; the rest (needed only to rank queries
/// of several words exactly) goes to a tail file loaded on demand. A single-word query's top
/// results are always in the head, since every tail doc scores lower.
pub const HEAD_POSTINGS: usize = 48;

/// The digits of the shards' number strings. None needs escaping in a JS string literal or in
/// JSON, so a list of numbers costs no commas, quotes or backslashes. A number is written most
/// significant digit first, five bits per character: digits 32 and up carry five bits and say
/// more follow, a digit below 32 carries the last five. `search.js` decodes the same alphabet.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `n` to a number string (see [`DIGITS`]).
pub fn push_number(out: &mut String, n: u32) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        groups[len] = (rest & 31) as u8;
        len += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for (i, g) in groups[..len].iter().rev().enumerate() {
        let more = if i + 1 < len { 32 } else { 0 };
        out.push(char::from(DIGITS[usize::from(g + more)]));
    }
}

/// Encodes postings sorted best first (score descending, then doc ascending) as a number string.
/// Scores repeat a lot (field norms are coded in 256 steps and term counts are small), so docs
/// are grouped by score: per group the score (the first as is, then how far below the previous
/// group's, less one), the group's size less one, then its docs, each the gap from the
/// previous doc less one (the first as is). Small numbers take one character.
fn encode_postings(out: &mut String, p: &[(u32, u32)]) {
    let mut last_score: Option<u32> = None;
    for group in p.chunk_by(|a, b| a.1 == b.1) {
        let score = group[0].1;
        push_number(out, last_score.map_or(score, |l| l - score - 1));
        push_number(out, group.len() as u32 - 1);
        let mut last_doc: Option<u32> = None;
        for &(doc, _) in group {
            push_number(out, last_doc.map_or(doc, |l| doc - l - 1));
            last_doc = Some(doc);
        }
        last_score = Some(score);
    }
}

/// Splits a stem's postings into head (best scores) and tail, each as a JSON string of numbers
/// (see [`encode_postings`]); the head starts with how many postings there are in all.
pub(super) fn split_postings(p: Option<&[(u32, u32)]>) -> (String, String) {
    let mut v: Vec<(u32, u32)> = p.map(<[_]>::to_vec).unwrap_or_default();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (head, tail) = v.split_at(v.len().min(HEAD_POSTINGS));
    let mut h = String::from('"');
    push_number(&mut h, v.len() as u32);
    encode_postings(&mut h, head);
    h.push('"');
    let t = if tail.is_empty() {
        String::new()
    } else {
        let mut t = String::from('"');
        encode_postings(&mut t, tail);
        t.push('"');
        t
    };
    (h, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a number string back, as `search.js` does.
    fn numbers(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = 0u32;
        for c in s.bytes() {
            let v = DIGITS.iter().position(|d| *d == c).unwrap() as u32;
            n = n * 32 + (v & 31);
            if v < 32 {
                out.push(n);
                n = 0;
            }
        }
        out
    }

    /// Postings from numbers, as `search.js` does.
    fn postings(a: &[u32]) -> Vec<(u32, u32)> {
        let (mut out, mut i, mut score) = (Vec::new(), 0, 0);
        while i < a.len() {
            score = if out.is_empty() {
                a[i]
            } else {
                score - a[i] - 1
            };
            let size = a[i + 1] + 1;
            i += 2;
            let mut doc = 0;
            for k in 0..size {
                doc = if k == 0 { a[i] } else { doc + a[i] + 1 };
                out.push((doc, score));
                i += 1;
            }
        }
        out
    }

    #[test]
    fn numbers_read_back_and_small_ones_take_one_character() {
        let values = [0, 1, 31, 32, 1023, 1024, 65_535, 1 << 20, u32::MAX];
        let mut s = String::new();
        for v in values {
            push_number(&mut s, v);
        }
        assert_eq!(numbers(&s), values);
        let mut one = String::new();
        push_number(&mut one, 31);
        assert_eq!(one, "f");
        // Nothing a JS string literal or JSON would have to escape.
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn postings_read_back_best_first_with_their_count() {
        let p: Vec<(u32, u32)> = (0..130u32).map(|d| (d * 7 % 131, 1 + d % 5)).collect();
        let (head, tail) = split_postings(Some(&p));
        let h = numbers(head.trim_matches('"'));
        assert_eq!(h[0], 130);
        let mut got = postings(&h[1..]);
        assert_eq!(got.len(), HEAD_POSTINGS);
        got.extend(postings(&numbers(tail.trim_matches('"'))));
        let mut want = p.clone();
        want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(got, want);
        // Few postings: no tail.
        let (head, tail) = split_postings(Some(&[(42, 7)]));
        assert_eq!(postings(&numbers(head.trim_matches('"'))[1..]), [(42, 7)]);
        assert!(tail.is_empty());
    }
}
