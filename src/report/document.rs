//! The report document: what every result (a plan, a simulation, a sweep, a
//! frontier, a comparison) becomes before it is written. A title, then
//! blocks (paragraphs, tables, lists, KPI cards, charts, sections), each
//! shown in the formats it names; the exporters (terminal text, Markdown,
//! CSV, HTML) only lay it out.

use std::ops::BitOr;

/// The formats a block is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats(u8);

impl Formats {
    /// The terminal table.
    pub const TEXT: Formats = Formats(1);
    /// Markdown.
    pub const MARKDOWN: Formats = Formats(2);
    /// The HTML report.
    pub const HTML: Formats = Formats(4);
    /// CSV: the one table of raw figures a result has.
    pub const CSV: Formats = Formats(8);
    /// Every format that people read: text, Markdown and HTML.
    pub const READ: Formats = Formats(1 | 2 | 4);

    /// Whether `format` is among these.
    pub fn contains(self, format: Formats) -> bool {
        self.0 & format.0 == format.0
    }
}

impl BitOr for Formats {
    type Output = Formats;
    fn bitor(self, other: Formats) -> Formats {
        Formats(self.0 | other.0)
    }
}

/// A run of text, plain or emphasised, optionally carrying the exact value
/// behind it under its JSON key (the HTML report's `data-key` and
/// `data-value`, which a test holds against `--format json`).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text shown.
    pub text: String,
    /// Shown in bold.
    pub strong: bool,
    /// The JSON key and exact value of the figure shown.
    pub data: Option<(String, String)>,
}

/// One line of text: spans side by side.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text(pub Vec<Span>);

impl Text {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Text {
        Text(vec![Span {
            text: text.into(),
            strong: false,
            data: None,
        }])
    }

    /// Adds plain text.
    pub fn and(mut self, text: impl Into<String>) -> Text {
        self.0.push(Span {
            text: text.into(),
            strong: false,
            data: None,
        });
        self
    }

    /// Adds text in bold.
    pub fn strong(mut self, text: impl Into<String>) -> Text {
        self.0.push(Span {
            text: text.into(),
            strong: true,
            data: None,
        });
        self
    }

    /// Adds a figure with its JSON key and exact value, in bold if `strong`.
    pub fn figure(
        mut self,
        text: impl Into<String>,
        key: &str,
        value: String,
        strong: bool,
    ) -> Text {
        self.0.push(Span {
            text: text.into(),
            strong,
            data: Some((key.to_string(), value)),
        });
        self
    }

    /// The text without emphasis.
    pub fn unstyled(&self) -> String {
        self.0.iter().map(|s| s.text.as_str()).collect()
    }
}

/// How a paragraph reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Ordinary text.
    Plain,
    /// The recommendation in a sentence, set large.
    Lead,
    /// Facts about the run (status, solver), set small.
    Meta,
    /// A side remark, set small.
    Note,
    /// What the reader must not miss, set apart.
    Warning,
}

/// A table of display text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The title above it, if any.
    pub title: Option<String>,
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// How many leading columns name a row (1 unless set): a table too
    /// wide for a page is shown in parts, each repeating them.
    pub keys: usize,
}

impl Table {
    /// A table without a title.
    pub fn untitled(header: Vec<String>, rows: Vec<Vec<String>>) -> Table {
        Table {
            title: None,
            header,
            rows,
            keys: 1,
        }
    }

    /// The table with its first `keys` columns naming each row.
    pub fn keyed(mut self, keys: usize) -> Table {
        self.keys = keys.max(1);
        self
    }
}

/// Whether a cell is a figure: a number, written as the reports write
/// them (`1,234`, `0.9700`, `-0.0129`, `37.7%`, `50/50`, `1.1e-5`).
fn is_figure(cell: &str) -> bool {
    let c = cell
        .trim()
        .trim_end_matches('%')
        .trim_start_matches(['+', '-', '−']);
    c.chars().any(|ch| ch.is_ascii_digit())
        && c.chars()
            .all(|ch| ch.is_ascii_digit() || ".,/ eE+-".contains(ch))
}

/// Whether a cell stands in for a figure that is not there.
fn is_placeholder(cell: &str) -> bool {
    matches!(cell.trim(), "" | "-" | "infeasible" | "no plan")
}

/// Per column of a table, whether it holds figures (aligned right, so
/// their digits line up) rather than text (aligned left): a column of
/// figures and placeholders, with at least one figure. The first column
/// names its rows and is always text.
pub fn figure_columns(columns: usize, rows: &[Vec<String>]) -> Vec<bool> {
    (0..columns)
        .map(|i| {
            i > 0
                && rows.iter().any(|r| r.get(i).is_some_and(|c| is_figure(c)))
                && rows
                    .iter()
                    .all(|r| r.get(i).is_none_or(|c| is_figure(c) || is_placeholder(c)))
        })
        .collect()
}

/// A titled list.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The title.
    pub title: String,
    /// The items; a list without items and without `empty` is left out.
    pub items: Vec<Text>,
    /// What to say instead when there are no items.
    pub empty: Option<Text>,
    /// A remark before the items (HTML).
    pub note: Option<String>,
    /// The HTML class of the list, if it has one.
    pub class: Option<&'static str>,
}

/// A headline figure (HTML KPI card).
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// What it is.
    pub label: String,
    /// Its JSON key (dotted for nested keys).
    pub key: String,
    /// Its exact value, if it has one.
    pub value: Option<f64>,
    /// The value as shown.
    pub shown: String,
    /// A line under it.
    pub sub: String,
}

/// A chart: SVG and its caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The SVG document.
    pub svg: String,
    /// What it shows.
    pub caption: String,
}

/// What a block holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Lines of text.
    Paragraph {
        /// The lines.
        lines: Vec<Text>,
        /// How they read.
        style: Style,
    },
    /// A table.
    Table(Table),
    /// A titled list.
    List(List),
    /// Headline figures.
    Cards(Vec<Card>),
    /// A chart.
    Figure(Figure),
    /// Blocks under a heading.
    Section {
        /// The heading.
        heading: String,
        /// What is under it.
        blocks: Vec<Block>,
    },
}

/// One block of a document and the formats it is shown in.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Where it is shown.
    pub shown_in: Formats,
    /// What it holds.
    pub content: Content,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The title.
    pub title: String,
    /// The blocks, in order.
    pub blocks: Vec<Block>,
    /// A closing line (HTML).
    pub footer: Option<String>,
}

impl Document {
    /// An empty document with a title.
    pub fn new(title: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            ..Document::default()
        }
    }

    /// Adds a block shown in `shown_in`.
    pub fn add(&mut self, shown_in: Formats, content: Content) {
        self.blocks.push(Block { shown_in, content });
    }

    /// The blocks shown in `format`.
    pub fn shown_in(&self, format: Formats) -> impl Iterator<Item = &Content> {
        shown_in(&self.blocks, format)
    }
}

/// The blocks of a list shown in `format`.
pub fn shown_in(blocks: &[Block], format: Formats) -> impl Iterator<Item = &Content> {
    blocks
        .iter()
        .filter(move |b| b.shown_in.contains(format))
        .map(|b| &b.content)
}

/// Lines of plain text as a paragraph.
pub fn paragraph(lines: impl IntoIterator<Item = String>, style: Style) -> Content {
    Content::Paragraph {
        lines: lines.into_iter().map(Text::plain).collect(),
        style,
    }
}

/// A table from a title, column names and rows.
pub fn table(title: Option<String>, header: &[impl AsRef<str>], rows: Vec<Vec<String>>) -> Content {
    Content::Table(Table {
        title,
        header: header.iter().map(|h| h.as_ref().to_string()).collect(),
        rows,
        keys: 1,
    })
}

/// A list of plain lines under a title, left out when empty.
pub fn list(title: impl Into<String>, items: Vec<String>) -> Content {
    Content::List(List {
        title: title.into(),
        items: items.into_iter().map(Text::plain).collect(),
        empty: None,
        note: None,
        class: None,
    })
}
