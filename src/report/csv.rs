//! The CSV exporter: the one table of raw figures a document carries for
//! CSV (full precision, one row per item), with a header row.

use super::document::{Content, Document, Formats};

/// CSV of a header and rows.
pub fn csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for row in rows {
        w.write_record(row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 fields")
}

/// The document's CSV table (empty text when it has none).
pub fn render(doc: &Document) -> String {
    doc.shown_in(Formats::CSV)
        .find_map(|content| match content {
            Content::Table(t) => Some(csv(&t.header, &t.rows)),
            _ => None,
        })
        .unwrap_or_default()
}
