//! Pictures generated at build time as inline SVG (no script): the coverage heat map and the
//! lens overview. Colours come from the theme's CSS variables, so they follow light and dark;
//! every number is also SVG text, read by screen readers and printed.

use crate::render::escape_html;

/// A heat map: one row per `rows` label, one column per `columns` label (shown as numbers with
/// a key beside the picture, so eleven long scenario names still fit), shaded by count. Each
/// non-empty cell links to `#cov-<row>-<column>` (1-based), where the page lists the practices
/// it counts.
///
/// Two layouts, both drawn at their natural size (never scaled down, so no text is under 13 px):
/// a wide one with row labels beside the rows, and a narrow one (for phones) with each label on
/// its own line above its row. The page's CSS shows the one that fits.
pub fn heat_map(title: &str, rows: &[(String, Vec<usize>)], columns: &[String]) -> String {
    let mut svg = heat_layout(title, rows, columns, false);
    svg.push_str(&heat_layout(title, rows, columns, true));
    svg
}

fn heat_layout(
    title: &str,
    rows: &[(String, Vec<usize>)],
    columns: &[String],
    narrow: bool,
) -> String {
    // Wide: labels beside rows. Narrow: labels above rows, smaller cells.
    let (label, cell, row, label_row) = if narrow {
        (0, 30, 30, 20)
    } else {
        (190, 44, 30, 0)
    };
    const HEAD: usize = 26;
    let max = rows
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let width = (label + cell * columns.len()).max(if narrow { 200 } else { 0 });
    let height = HEAD + (row + label_row) * rows.len();
    let layout = if narrow { "narrow" } else { "wide" };
    let id = format!("heat-title-{layout}");
    let mut svg = format!(
        "<svg class=\"chart heat heat-{layout}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-labelledby=\"{id}\">\
         <title id=\"{id}\">{}</title>",
        escape_html(title)
    );
    for (c, _) in columns.iter().enumerate() {
        let x = label + cell * c + cell / 2;
        svg.push_str(&format!(
            "<text class=\"axis\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\" aria-hidden=\"true\">{}</text>",
            HEAD - 8,
            c + 1
        ));
    }
    for (r, (name, counts)) in rows.iter().enumerate() {
        let y = HEAD + (row + label_row) * r + label_row;
        if narrow {
            svg.push_str(&format!(
                "<text class=\"axis\" x=\"0\" y=\"{}\" aria-hidden=\"true\">{}</text>",
                y - 6,
                escape_html(name)
            ));
        } else {
            svg.push_str(&format!(
                "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\" aria-hidden=\"true\">{}</text>",
                label - 8,
                y + row / 2 + 5,
                escape_html(name)
            ));
        }
        for (c, &n) in counts.iter().enumerate() {
            // Five shades: none, then quarters of the largest count.
            let level = if n == 0 {
                0
            } else {
                1 + (n * 4 - 1) / max.max(1)
            }
            .min(4);
            let x = label + cell * c;
            let column = columns.get(c).map(String::as_str).unwrap_or("");
            let what = format!(
                "{}, column {} ({}): {n} best practice{}",
                name,
                c + 1,
                column,
                if n == 1 { "" } else { "s" }
            );
            let shape = format!(
                "<g class=\"heat-{level}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text></g>",
                x + 2,
                y + 2,
                cell - 4,
                row - 4,
                x + cell / 2,
                y + row / 2 + 5
            );
            if n == 0 {
                svg.push_str(&format!(
                    "<g role=\"img\" aria-label=\"{}\">{shape}</g>",
                    escape_html(&what)
                ));
            } else {
                svg.push_str(&format!(
                    "<a href=\"#cov-{}-{}\" aria-label=\"{}\">{shape}</a>",
                    r + 1,
                    c + 1,
                    escape_html(&what)
                ));
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One bar per row, split into high, medium and low risk counts, each labelled with its number.
/// Labels sit above their bars, so the picture stays narrow enough to read on a phone.
pub fn risk_bars(title: &str, rows: &[(String, [usize; 3])]) -> String {
    // 340 px wide at most: at its natural size it fits a 375 px phone, so it is never shrunk
    // below its 13 px text (the page may draw it larger).
    const BAR: usize = 250;
    const ROW: usize = 46;
    let max = rows
        .iter()
        .map(|(_, c)| c.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let width = BAR + 90;
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
        assert!(svg.contains("<title id=\"heat-title-wide\">t &lt;x&gt;</title>"));
        assert!(svg.contains("<title id=\"heat-title-narrow\">t &lt;x&gt;</title>"));
        // Non-empty cells link to the practices they count; empty ones do not.
        assert!(
            svg.contains("<a href=\"#cov-2-3\" aria-label=\"b, column 3 (s3): 8 best practices\">")
        );
        assert!(!svg.contains("href=\"#cov-1-1\""));
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
