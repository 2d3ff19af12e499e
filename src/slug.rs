//! How file and folder names under `content/` become URL path segments (and page ids).
//!
//! One rule, chosen so a site deploys the same to any file system, object store or wiki:
//! a name that is already a valid id segment (ASCII letters, digits, `_`, `-`, `.`) is kept as
//! it is, so existing URLs never move; any other name is transliterated to ASCII (`é` -> `e`,
//! `数据` -> `shu-ju`, as Zola does by default) and each run of other characters becomes one
//! `-`. Names Windows reserves (`con`, `aux`, `nul`, `prn`, `com1`…`com9`, `lpt1`…`lpt9`,
//! whatever the case or extension) get a `_` appended, and trailing dots are dropped, because
//! Windows cannot create such files: a site built on Linux must still check out and serve
//! there.

/// Windows device names: no file may be called this, with any extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// Whether `name` (a file stem or folder name) is a Windows device name.
pub fn is_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name).trim_end();
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(base))
}

/// Why a name cannot be written as it is on every system, if it cannot.
pub fn unportable(name: &str) -> Option<&'static str> {
    if is_reserved(name) {
        Some("Windows reserves this name for a device")
    } else if name.ends_with('.') || name.ends_with(' ') {
        Some("Windows drops a trailing dot or space, so the file would change name")
    } else {
        None
    }
}

/// The URL segment for a file stem or folder name (see the module comment). Empty when the
/// name has no letter or digit to keep.
pub fn segment(name: &str) -> String {
    let mut out = id_segment(name);
    if is_reserved(&out) {
        // After the device name itself: `nul.txt` is as reserved as `nul`.
        let at = out.find('.').unwrap_or(out.len());
        out.insert(at, '_');
    }
    out
}

/// The id segment for a name: [`segment`] without the reserved-name mapping, which concerns
/// only files, so `con.md` is still `[[con]]`.
pub fn id_segment(name: &str) -> String {
    let mut out = if !name.is_empty() && name.chars().all(is_id_char) {
        name.to_string()
    } else {
        let ascii = deunicode::deunicode_with_tofu(name, "-");
        let mut s = String::with_capacity(ascii.len());
        for c in ascii.chars() {
            if is_id_char(c) {
                s.push(c);
            } else if !s.ends_with('-') {
                s.push('-');
            }
        }
        s.trim_matches('-').to_string()
    };
    while out.ends_with('.') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names_are_kept_and_others_transliterated() {
        assert_eq!(segment("fairness"), "fairness");
        assert_eq!(segment("Notes_v1.2"), "Notes_v1.2");
        assert_eq!(segment("données techniques é"), "donnees-techniques-e");
        assert_eq!(segment("Café  & Co!"), "Cafe-Co");
        assert_eq!(segment("数据"), "Shu-Ju");
        assert_eq!(segment("!!!"), "");
    }

    #[test]
    fn reserved_names_and_trailing_dots_are_mapped() {
        assert_eq!(segment("con"), "con_");
        assert_eq!(segment("AUX"), "AUX_");
        assert_eq!(segment("nul.backup"), "nul_.backup");
        assert_eq!(segment("console"), "console");
        assert_eq!(id_segment("con"), "con");
        assert_eq!(segment("draft."), "draft");
        assert_eq!(unportable("lpt1.png"), unportable("con"));
        assert!(unportable("draft.").is_some() && unportable("notes").is_none());
    }
}
