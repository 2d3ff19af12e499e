use super::*;

#[test]
fn word_diff_keeps_order_and_marks_changes() {
    let runs = word_diff("a b c d", "a x c d e");
    assert_eq!(
        runs,
        vec![
            Run::Same("a".into()),
            Run::Removed("b".into()),
            Run::Added("x".into()),
            Run::Same("c d".into()),
            Run::Added("e".into()),
        ]
    );
    assert_eq!(
        render_runs(&runs, ("[-", "-]"), ("{+", "+}")),
        "a [-b-] {+x+} c d {+e+}"
    );
}

#[test]
fn long_unchanged_runs_keep_context_only() {
    let a = (0..40)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let b = a.replace("w20", "changed");
    let s = render_runs(&word_diff(&a, &b), ("[-", "-]"), ("{+", "+}"));
    assert!(s.starts_with("… w14"), "{s}");
    assert!(s.contains("[-w20-] {+changed+}"), "{s}");
    assert!(s.ends_with("w26 …"), "{s}");
}
