//! The Markdown exporter, for pasting into documents and tickets: a
//! document's title as a heading, its tables as pipe tables, its lists as
//! bullets under headings.

use super::document::{Content, Document, Formats, List, Text, figure_columns};

/// A pipe table (figures right, text left), `|` in cells escaped.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    let align: Vec<&str> = figure_columns(header.len(), rows)
        .into_iter()
        .map(|right| if right { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("| {} |\n", align.join(" | ")));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// A line with its emphasis.
fn text(line: &Text) -> String {
    line.0
        .iter()
        .map(|s| {
            if s.strong {
                format!("**{}**", s.text)
            } else {
                s.text.clone()
            }
        })
        .collect()
}

/// The heading of a titled block: set off by a blank line unless it
/// follows a paragraph, which ends in one. A title's further lines are a
/// caption under the heading.
fn heading(title: &str, after_paragraph: bool) -> String {
    let gap = if after_paragraph { "" } else { "\n" };
    let mut lines = title.lines();
    let mut out = format!("{gap}## {}\n\n", lines.next().unwrap_or_default());
    for line in lines {
        out.push_str(&format!("{line}\n\n"));
    }
    out
}

/// The document as Markdown.
pub fn render(doc: &Document) -> String {
    let mut out = format!("# {}\n\n", doc.title);
    let mut after_paragraph = false;
    for content in doc.shown_in(Formats::MARKDOWN) {
        match content {
            Content::Paragraph { lines, .. } => {
                for line in lines {
                    out.push_str(&text(line));
                    out.push_str("\n\n");
                }
                after_paragraph = true;
                continue;
            }
            Content::Table(t) => {
                let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
                match &t.title {
                    Some(title) => out.push_str(&heading(title, after_paragraph)),
                    None => out.push('\n'),
                }
                out.push_str(&table(&header, &t.rows));
            }
            Content::List(l) => {
                let text = list(l, after_paragraph);
                if text.is_empty() {
                    continue;
                }
                out.push_str(&text);
            }
            Content::Section { .. } | Content::Cards(_) | Content::Figure(_) => continue,
        }
        after_paragraph = false;
    }
    out
}

fn list(l: &List, after_paragraph: bool) -> String {
    let body: String = match &l.empty {
        _ if !l.items.is_empty() => l
            .items
            .iter()
            .map(|item| format!("- {}\n", text(item)))
            .collect(),
        Some(empty) => format!("{}\n", text(empty)),
        None => return String::new(),
    };
    heading(&l.title, after_paragraph) + &body
}
