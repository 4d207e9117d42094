//! The terminal exporter: a document as plain text, its tables with
//! aligned columns, blocks separated by a blank line.

use unicode_width::UnicodeWidthStr;

use super::document::{Content, Document, Formats, List, Table, figure_columns};

/// The columns a text takes in a terminal: two for a wide character (CJK,
/// most emoji), none for a combining mark.
fn columns(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// A plain-text table with aligned columns: figures right, text left
/// ([`figure_columns`]), by the columns each cell takes on a terminal.
pub fn grid(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let right = figure_columns(cols, rows);
    let mut width: Vec<usize> = header.iter().map(|h| columns(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            width[i] = width[i].max(columns(cell));
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(width[i] - columns(cell));
            let gap = if i == 0 { " " } else { "  " };
            if right[i] {
                out.push_str(&format!("{gap}{pad}{cell}"));
            } else {
                out.push_str(&format!("{gap}{cell}{pad}"));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(rule.iter().map(String::as_str).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// The document as text: the title, then each block after a blank line.
pub fn render(doc: &Document) -> String {
    let mut out = format!("{}\n", doc.title);
    let mut first = true;
    for content in doc.shown_in(Formats::TEXT) {
        let text = block(content);
        if text.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        out.push_str(&text);
    }
    out
}

/// One block as text (empty when there is nothing to show).
fn block(content: &Content) -> String {
    match content {
        Content::Paragraph { lines, .. } => {
            lines.iter().map(|line| line.unstyled() + "\n").collect()
        }
        Content::Table(t) => table(t),
        Content::List(l) => list(l),
        // Sections, cards and charts are the HTML report's, as in Markdown.
        Content::Section { .. } | Content::Cards(_) | Content::Figure(_) => String::new(),
    }
}

fn table(t: &Table) -> String {
    let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
    let grid = grid(&header, &t.rows);
    match &t.title {
        Some(title) => format!("{title}\n{grid}"),
        None => grid,
    }
}

fn list(l: &List) -> String {
    let mut out = format!("{}\n", l.title);
    match &l.empty {
        _ if !l.items.is_empty() => {
            for item in &l.items {
                out.push_str(&format!("  - {}\n", item.unstyled()));
            }
        }
        Some(empty) => out.push_str(&format!("  {}\n", empty.unstyled())),
        None => return String::new(),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Handles in CJK script take two columns a character: the columns
    /// after them still line up on a terminal.
    #[test]
    fn wide_characters_keep_columns_aligned() {
        let rows = vec![
            vec!["@美妆小红".to_string(), "1,300".to_string()],
            vec!["@glowwithmia".to_string(), "420".to_string()],
            vec!["@café\u{301}".to_string(), "7".to_string()],
        ];
        let text = grid(&["handle", "spend"], &rows);
        let ends: Vec<usize> = text.lines().map(columns).collect();
        assert!(ends.iter().all(|&e| e == ends[0]), "{text}\n{ends:?}");
    }
}
