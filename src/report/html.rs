//! The HTML exporter: a self-contained page, for people who would rather
//! look at a chart than read a table ([`super::html_report`] puts a plan's
//! document first and what the command adds in a section after it).
//!
//! One file, nothing fetched: styles are inline, charts are inline SVG, and
//! the page carries no script at all. Its Content-Security-Policy forbids
//! scripts and every outside resource, so a report passed between agencies
//! cannot run code or call home, whatever the scenario's names contain (they
//! are escaped besides). Every headline number carries its exact value in a
//! `data-value` attribute next to a `data-key` named after its JSON key, so a
//! test can check the page against `--format json`.

use super::document::{
    Card, Content, Document, Figure, Formats, List, Style, Table, Text, figure_columns, shown_in,
};

const STYLE: &str = r#"
:root { --ink: #1d2733; --muted: #5b6775; --line: #d9dee4; --accent: #3b6ea8; --card: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 8px; }
.headline { font-size: 20px; line-height: 1.4; margin: 12px 0 8px; font-weight: 600; }
.meta, .note { color: var(--muted); font-size: 13px; }
.warning { border-left: 4px solid #b4531a; background: #fdf3ec; padding: 8px 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; margin: 20px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; break-inside: avoid; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .sub { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 6px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
th.text, td.text { text-align: left; }
th:not(.text), td:not(.text) { white-space: nowrap; }
td.text:last-child { min-width: 9em; }
.scroll { overflow-x: auto; }

th { background: var(--card); font-weight: 600; }
tr { break-inside: avoid; }
ul.binding li { margin: 4px 0; }
code { font: 0.92em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--card); padding: 0 3px; border-radius: 3px; }
figure { margin: 12px 0 20px; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  .cards { grid-template-columns: repeat(4, 1fr); }
  .scroll { overflow: visible; }
}
"#;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number as JSON writes it, for `data-value`.
pub fn exact(value: f64) -> String {
    serde_json::to_string(&value).unwrap_or_else(|_| "null".into())
}

/// The document as a page.
pub fn render(doc: &Document) -> String {
    let mut out = head(&doc.title);
    out.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    for content in doc.shown_in(Formats::HTML) {
        out.push_str(&block(content, 2));
    }
    // The footer is the program's own sentence, never user input.
    let footer = doc
        .footer
        .clone()
        .unwrap_or_else(|| format!("creatormix {}", env!("CARGO_PKG_VERSION")));
    out.push_str(&format!(
        "<footer>{footer}</footer>\n</main>\n</body>\n</html>\n"
    ));
    out
}

/// Escaped text with each pair of backticks as a code span: names quoted
/// `like this` in messages read as code, not as stray marks.
fn with_code(text: &str) -> String {
    let escaped = escape(text);
    if escaped.matches('`').count() < 2 {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    let mut parts = escaped.split('`').peekable();
    let mut inside = false;
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_none() {
            break;
        }
        // An unpaired last backtick stays as it is.
        let closing_exists = inside || parts.clone().count() > 1;
        out.push_str(match (inside, closing_exists) {
            (false, true) => "<code>",
            (true, _) => "</code>",
            (false, false) => "`",
        });
        inside = !inside && closing_exists;
    }
    out
}

/// A line with its emphasis and data attributes.
fn text(line: &Text) -> String {
    line.0
        .iter()
        .map(|s| {
            let data = match &s.data {
                Some((key, value)) => {
                    format!(r#" data-key="{key}" data-value="{}""#, escape(value))
                }
                None => String::new(),
            };
            match (s.strong, data.is_empty()) {
                (true, _) => format!("<strong{data}>{}</strong>", with_code(&s.text)),
                (false, false) => format!("<span{data}>{}</span>", with_code(&s.text)),
                (false, true) => with_code(&s.text),
            }
        })
        .collect()
}

/// One block; `level` is the heading level of its titles (2 at the top
/// of the page, where a titled block is a section of its own; 3 inside one).
fn block(content: &Content, level: u8) -> String {
    // A title's first line is the heading; further lines, a note under it.
    let section = |title: &str, body: String| {
        let mut lines = title.lines();
        let heading = escape(lines.next().unwrap_or_default());
        let notes: String = lines
            .map(|l| format!("<p class=\"note\">{}</p>\n", with_code(l)))
            .collect();
        if level == 2 {
            format!("<section>\n<h2>{heading}</h2>\n{notes}{body}</section>\n")
        } else {
            format!("<h3>{heading}</h3>\n{notes}{body}")
        }
    };
    match content {
        Content::Paragraph { lines, style } => {
            let class = match style {
                Style::Plain => "",
                Style::Lead => r#" class="headline" id="headline""#,
                Style::Meta => r#" class="meta""#,
                Style::Note => r#" class="note""#,
                Style::Warning => r#" class="warning" role="alert""#,
            };
            lines
                .iter()
                .map(|line| format!("<p{class}>{}</p>\n", text(line)))
                .collect()
        }
        Content::Table(t) => match &t.title {
            Some(title) => section(title, table(t)),
            None => table(t),
        },
        Content::List(l) => match list(l) {
            Some(body) => section(&l.title, body),
            None => String::new(),
        },
        Content::Cards(cards) => {
            let cards: Vec<String> = cards.iter().map(card).collect();
            format!(
                "<section class=\"cards\">\n{}\n</section>\n",
                cards.join("\n")
            )
        }
        Content::Figure(f) => figure(f),
        Content::Section { heading, blocks } => {
            let body: String = shown_in(blocks, Formats::HTML)
                .map(|b| block(b, 3))
                .collect();
            format!(
                "<section>\n<h2>{}</h2>\n{body}</section>\n",
                escape(heading)
            )
        }
    }
}

/// Columns a table shows at most side by side; a wider one is shown in
/// parts, each with the columns that name its rows.
const MAX_COLUMNS: usize = 8;

/// A table, its text columns aligned left and its figures right; split
/// into parts where it is wider than a page.
fn table(t: &Table) -> String {
    let columns = t.header.len();
    let keys = t.keys.min(columns);
    if columns <= MAX_COLUMNS || keys >= MAX_COLUMNS / 2 {
        return table_part(t, &(0..columns).collect::<Vec<_>>());
    }
    let rest: Vec<usize> = (keys..columns).collect();
    let parts = rest.len().div_ceil(MAX_COLUMNS - keys);
    let per = rest.len().div_ceil(parts);
    rest.chunks(per)
        .map(|chunk| {
            let shown: Vec<usize> = (0..keys).chain(chunk.iter().copied()).collect();
            table_part(t, &shown)
        })
        .collect()
}

/// The columns `shown` of a table.
fn table_part(t: &Table, shown: &[usize]) -> String {
    let right = figure_columns(t.header.len(), &t.rows);
    let class = |i: usize| {
        if right.get(i).copied().unwrap_or(false) {
            ""
        } else {
            r#" class="text""#
        }
    };
    let mut out = String::from("<div class=\"scroll\"><table><thead><tr>");
    for &i in shown {
        out.push_str(&format!("<th{}>{}</th>", class(i), escape(&t.header[i])));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for &i in shown {
            let cell = row.get(i).map_or("", String::as_str);
            out.push_str(&format!("<td{}>{}</td>", class(i), with_code(cell)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// A list's body: its items (after its note), or what it says when it has
/// none; `None` when it has nothing to show.
fn list(l: &List) -> Option<String> {
    if l.items.is_empty() {
        return l
            .empty
            .as_ref()
            .map(|empty| format!("<p>{}</p>\n", text(empty)));
    }
    let mut out = String::new();
    if let Some(note) = &l.note {
        out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(note)));
    }
    let class = l
        .class
        .map(|c| format!(r#" class="{c}""#))
        .unwrap_or_default();
    out.push_str(&format!("<ul{class}>\n"));
    for item in &l.items {
        out.push_str(&format!("<li>{}</li>\n", text(item)));
    }
    out.push_str("</ul>\n");
    Some(out)
}

/// One KPI card, its exact value under its JSON key.
fn card(c: &Card) -> String {
    let data = match c.value {
        Some(v) => format!(r#" data-key="{}" data-value="{}""#, c.key, exact(v)),
        None => String::new(),
    };
    let sub = if c.sub.is_empty() {
        String::new()
    } else {
        format!(r#"<div class="sub">{}</div>"#, escape(&c.sub))
    };
    format!(
        r#"<div class="card"><div class="label">{}</div><div class="value"{data}>{}</div>{sub}</div>"#,
        escape(&c.label),
        escape(&c.shown)
    )
}

fn figure(f: &Figure) -> String {
    // plotters writes a bare <svg> element; an XML declaration, if any, has no place in HTML.
    let svg = match f.svg.find("<svg") {
        Some(at) => &f.svg[at..],
        None => &f.svg,
    };
    format!(
        "<figure>{svg}<figcaption>{}</figcaption></figure>\n",
        escape(&f.caption)
    )
}

fn head(title: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="creatormix {version}">
<title>{title} — creatormix</title>
<style>{STYLE}</style>
</head>
<body>
<main>
"#,
        version = env!("CARGO_PKG_VERSION"),
        title = escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_become_code() {
        assert_eq!(
            with_code("group `a<b` is saturated"),
            "group <code>a&lt;b</code> is saturated"
        );
        assert_eq!(
            with_code("`x` and `y`"),
            "<code>x</code> and <code>y</code>"
        );
        assert_eq!(with_code("one ` only"), "one ` only");
        assert_eq!(with_code("`a` then `"), "<code>a</code> then `");
    }

    #[test]
    fn names_cannot_inject_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
