//! Pictures generated at build time as inline SVG (no script): the coverage heat map and the
//! lens overview. Colours come from the theme's CSS variables, so they follow light and dark;
//! every number is also SVG text, read by screen readers and printed.

use crate::render::escape_html;

/// A heat map: one row per `rows` label, one column per `columns` label (shown as numbers with
/// a key beside the picture, so eleven long scenario names still fit), shaded by count.
pub fn heat_map(title: &str, rows: &[(String, Vec<usize>)], columns: &[String]) -> String {
    const LABEL: usize = 190;
    const CELL: usize = 44;
    const ROW: usize = 30;
    const HEAD: usize = 26;
    let max = rows
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let width = LABEL + CELL * columns.len();
    let height = HEAD + ROW * rows.len();
    let mut svg = format!(
        "<svg class=\"chart heat\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" role=\"img\" aria-labelledby=\"heat-title\">\
         <title id=\"heat-title\">{}</title>",
        escape_html(title)
    );
    for (c, _) in columns.iter().enumerate() {
        let x = LABEL + CELL * c + CELL / 2;
        svg.push_str(&format!(
            "<text class=\"axis\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            HEAD - 8,
            c + 1
        ));
    }
    for (r, (label, counts)) in rows.iter().enumerate() {
        let y = HEAD + ROW * r;
        svg.push_str(&format!(
            "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL - 8,
            y + ROW / 2 + 5,
            escape_html(label)
        ));
        for (c, &n) in counts.iter().enumerate() {
            // Five shades: none, then quarters of the largest count.
            let level = if n == 0 {
                0
            } else {
                1 + (n * 4 - 1) / max.max(1)
            }
            .min(4);
            let x = LABEL + CELL * c;
            svg.push_str(&format!(
                "<g class=\"heat-{level}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text></g>",
                x + 2,
                y + 2,
                CELL - 4,
                ROW - 4,
                x + CELL / 2,
                y + ROW / 2 + 5
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One bar per row, split into high, medium and low risk counts, each labelled with its number.
/// Labels sit above their bars, so the picture stays narrow enough to read on a phone.
pub fn risk_bars(title: &str, rows: &[(String, [usize; 3])]) -> String {
    const BAR: usize = 300;
    const ROW: usize = 46;
    let max = rows
        .iter()
        .map(|(_, c)| c.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let width = BAR + 120;
    let height = ROW * rows.len() + 24;
    let mut svg = format!(
        "<svg class=\"chart bars\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" role=\"img\" aria-labelledby=\"bars-title\">\
         <title id=\"bars-title\">{}</title>",
        escape_html(title)
    );
    for (r, (label, counts)) in rows.iter().enumerate() {
        let y = ROW * r;
        svg.push_str(&format!(
            "<text class=\"axis\" x=\"0\" y=\"{}\">{}</text>",
            y + 15,
            escape_html(label)
        ));
        let mut x = 0;
        for (&n, class) in counts.iter().zip(["high", "medium", "low"]) {
            if n == 0 {
                continue;
            }
            let w = (n * BAR).div_ceil(max).max(16);
            svg.push_str(&format!(
                "<g class=\"bar-{class}\"><rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"20\"><title>{n} {class} risk</title></rect>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text></g>",
                y + 20,
                x + w / 2,
                y + 35
            ));
            x += w;
        }
        let total: usize = counts.iter().sum();
        svg.push_str(&format!(
            "<text class=\"axis\" x=\"{}\" y=\"{}\">{total}</text>",
            x + 6,
            y + 35
        ));
    }
    // A key, so the colours are never the only carrier of meaning.
    let y = ROW * rows.len() + 16;
    let mut x = 0;
    for class in ["high", "medium", "low"] {
        svg.push_str(&format!(
            "<g class=\"bar-{class}\"><rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\"/></g>\
             <text class=\"axis\" x=\"{}\" y=\"{y}\">{class} risk</text>",
            y - 10,
            x + 16
        ));
        x += 100;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_map_shades_by_quarter_and_keeps_numbers_as_text() {
        let svg = heat_map(
            "t <x>",
            &[("a".into(), vec![0, 1, 4]), ("b".into(), vec![2, 3, 8])],
            &["s1".into(), "s2".into(), "s3".into()],
        );
        assert!(svg.contains("<title id=\"heat-title\">t &lt;x&gt;</title>"));
        assert!(svg.contains("class=\"heat-0\""));
        assert!(svg.contains("class=\"heat-4\""));
        assert!(svg.contains(">8</text>"));
        assert!(svg.contains(">3</text>"));
    }

    #[test]
    fn bars_label_every_segment() {
        let svg = risk_bars("r", &[("Security".into(), [3, 2, 0])]);
        assert!(svg.contains("3 high risk"));
        assert!(svg.contains("2 medium risk"));
        assert!(!svg.contains("0 low risk"));
        assert!(svg.contains(">5</text>"));
    }
}
