//! CSV rosters (`creators_csv`): one creator per row. A plain roster's
//! headers are the creator fields; a platform export's are mapped to them
//! by the scenario, and its other columns are ignored. Headers match
//! ignoring case and surrounding spaces; the delimiter (`,`, `;` or tab) is
//! detected from the header unless given; cells may be written as exports
//! write them ([`super::cells`]); niches are separated by `;`, `,` or `|`;
//! an empty cell means absent.

use std::path::Path;

use super::cells::{self, Kind};
use super::input::{CreatorInput, Field, OfferInput, Site};
use super::raw::Quantity;
use crate::error::InputError;
use crate::model::RosterRead;

/// Columns a roster may have.
pub const COLUMNS: &[&str] = &[
    "handle",
    "followers",
    "price_per_post",
    "engagement_rate",
    "conversion_rate",
    "reach_rate",
    "max_posts",
    "fee",
    "tier",
    "platform",
    "niches",
    "audience",
    "require",
    "exclude",
    "delivery",
    "credibility",
    "audience_fit",
    "avg_views",
];

/// Columns every roster must have.
const REQUIRED: &[&str] = &["handle", "followers", "price_per_post"];

/// Most rows a roster may have.
pub const MAX_ROWS: usize = 200_000;

/// How a roster file is laid out.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// An export's mapping: each creator field (where the scenario names
    /// it) and the header it comes from. Empty for a plain roster.
    pub columns: Vec<(Field<String>, Field<String>)>,
    /// Whether the roster is an export (its unknown columns are ignored).
    pub export: bool,
    /// The delimiter, if the scenario gives it.
    pub delimiter: Option<u8>,
    /// The scenario's currency code, against which money cells are checked.
    pub currency: Option<String>,
    /// The export's decimal mark, if the scenario states it.
    pub decimal: Option<char>,
}

/// What a roster held.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// One creator per row, as read.
    pub creators: Vec<CreatorInput>,
    /// How it was read: delimiter, the header of each field, the columns
    /// ignored.
    pub read: RosterRead,
}

/// A header as matched: trimmed, in lower case.
fn key(header: &str) -> String {
    header.trim().to_lowercase()
}

/// The delimiter of a header line: the most frequent of `,`, `;` and tab
/// outside quotes (`,` when there is none).
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .fold((b',', 0), |best, &c| if c.1 > best.1 { c } else { best })
        .0
}

/// The kind of number a column holds.
fn kind_of(column: &str) -> Kind {
    match column {
        "price_per_post" | "fee" => Kind::Money,
        "engagement_rate" | "conversion_rate" | "reach_rate" | "delivery" | "credibility"
        | "audience_fit" => Kind::Rate,
        _ => Kind::Count,
    }
}

/// Reads a roster. Problems are collected, not stopped at, so a user sees them all.
pub fn read(path: &Path, text: &str, layout: &Layout, errors: &mut Vec<InputError>) -> Roster {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // CRLF (and CR) line endings as LF: the CSV reader's positions count
    // them short. Lines stay the file's own.
    let text: std::borrow::Cow<str> = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    };
    let text = text.as_ref();
    let delimiter = layout.delimiter.unwrap_or_else(|| detect_delimiter(text));
    let mut roster = Roster {
        creators: Vec::new(),
        read: RosterRead {
            path: path.to_path_buf(),
            delimiter: char::from(delimiter),
            ..RosterRead::default()
        },
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let at = |line: u64, column: u64, field: &str, message: String| InputError {
        file: path.to_path_buf(),
        line: Some(line),
        column: (column > 0).then_some(column),
        field: (!field.is_empty()).then(|| field.to_string()),
        message,
        hint: None,
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(at(1, 0, "", format!("cannot read the CSV header: {e}")));
            return roster;
        }
    };
    let keys: Vec<String> = headers.iter().map(key).collect();
    let mut columns: Vec<Option<&'static str>> = vec![None; headers.len()];
    let mut header_ok = true;
    // An export's mapping first: each field from the header it names.
    for (field, header) in &layout.columns {
        let Some(column) = COLUMNS.iter().copied().find(|c| *c == field.value) else {
            let hint = match super::suggest(&field.value, COLUMNS.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the fields a column may give are {}", COLUMNS.join(", ")),
            };
            errors.push(
                field
                    .site
                    .error(format!("unknown creator field `{}`", field.value))
                    .with_hint(hint),
            );
            header_ok = false;
            continue;
        };
        match keys.iter().position(|k| *k == key(&header.value)) {
            Some(i) if columns[i].is_some() => {
                errors.push(header.site.error(format!(
                    "the column `{}` is mapped to both `{}` and `{column}`",
                    header.value,
                    columns[i].unwrap_or_default()
                )));
                header_ok = false;
            }
            Some(i) => columns[i] = Some(column),
            None => {
                let wanted = key(&header.value);
                let containing = headers.iter().find(|h| key(h).contains(&wanted));
                let hint = match super::suggest(&header.value, headers.iter()).or(containing) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "its headers are {}",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                };
                errors.push(
                    header
                        .site
                        .error(format!(
                            "{} has no column `{}`",
                            path.display(),
                            header.value
                        ))
                        .with_hint(hint),
                );
                header_ok = false;
            }
        }
    }
    // Then every header named as a field not mapped already.
    for (i, name) in headers.iter().enumerate() {
        if columns[i].is_some() {
            continue;
        }
        match COLUMNS.iter().copied().find(|c| *c == keys[i]) {
            Some(c) if columns.contains(&Some(c)) => {
                if layout.export {
                    roster.read.ignored.push(name.to_string());
                } else {
                    errors.push(at(1, i as u64 + 1, name, "column appears twice".into()));
                    header_ok = false;
                }
            }
            Some(c) => columns[i] = Some(c),
            None if layout.export => roster.read.ignored.push(name.to_string()),
            None => {
                let mut error = at(1, i as u64 + 1, name, format!("unknown column `{name}`"));
                error.hint = Some(match super::suggest(name, COLUMNS.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "the columns allowed are {}; to read a platform export, map its headers: \
                         creators_csv: {{ path: ..., columns: {{ followers: Followers }} }}",
                        COLUMNS.join(", ")
                    ),
                });
                errors.push(error);
                header_ok = false;
            }
        }
    }
    let misspelt: Vec<&str> = if layout.export {
        Vec::new()
    } else {
        keys.iter()
            .filter(|h| !COLUMNS.contains(&h.as_str()))
            .filter_map(|h| super::suggest(h, REQUIRED.iter().copied()))
            .collect()
    };
    // A field the mapping names but could not find is reported already.
    let mapped: Vec<&str> = layout
        .columns
        .iter()
        .map(|(f, _)| f.value.as_str())
        .collect();
    for required in REQUIRED {
        if !columns.contains(&Some(required))
            && !misspelt.contains(required)
            && !mapped.contains(required)
        {
            let hint = if layout.export {
                format!(
                    "map it to a header of the export, e.g. columns: {{ {required}: ... }}; its headers are {}",
                    headers.iter().collect::<Vec<_>>().join(", ")
                )
            } else {
                format!("the header must name at least {}", REQUIRED.join(", "))
            };
            errors.push(
                at(
                    1,
                    0,
                    required,
                    format!("the roster has no `{required}` column"),
                )
                .with_hint(hint),
            );
            header_ok = false;
        }
    }
    if !header_ok {
        return roster;
    }
    roster.read.columns = columns
        .iter()
        .zip(headers.iter())
        .filter_map(|(c, h)| c.map(|c| (c.to_string(), h.to_string())))
        .collect();
    let notation = cells::Notation {
        currency: layout.currency.as_deref(),
        decimal: layout.decimal,
    };
    // A record's line: the CSV reader's position is where the blank lines
    // before it begin.
    let newlines: Vec<usize> = newline_offsets(text);
    let line_of = |byte: u64| {
        let start = text
            .as_bytes()
            .iter()
            .skip(byte as usize)
            .position(|&b| b != b'\n')
            .map_or(byte as usize, |k| byte as usize + k);
        newlines.partition_point(|&i| i < start) as u64 + 1
    };

    // The records counted first, none kept: a roster longer than the limit
    // is refused at its first row too many before any row is read into a
    // creator, so memory stays bounded by the file, not by its rows.
    let mut counter = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut rows = 0usize;
    while counter.read_byte_record(&mut record).unwrap_or(false) {
        rows += 1;
        if rows > MAX_ROWS {
            let line = record.position().map_or(0, |p| line_of(p.byte()));
            errors.push(
                at(
                    line,
                    0,
                    "",
                    format!(
                        "the roster has more than {MAX_ROWS} rows, the limit: this is row {rows}"
                    ),
                )
                .with_hint(
                    "split the roster, or narrow it (a niche, a minimum credibility) before the campaign is planned",
                ),
            );
            return roster;
        }
    }
    for (row, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(p.byte()));
                errors.push(at(
                    line,
                    0,
                    "",
                    format!("malformed CSV row: {}", csv_reason(&e)),
                ));
                continue;
            }
        };
        let line = record
            .position()
            .map(|p| line_of(p.byte()))
            .unwrap_or(row as u64 + 2);
        let site = |column: usize, name: &str| Site {
            file: path.to_path_buf(),
            line,
            column: column as u64 + 1,
            field: name.to_string(),
        };
        let mut offer = OfferInput::default();
        let mut handle = None;
        let mut max_posts = None;
        let mut require = None;
        let mut exclude = None;
        for (i, cell) in record.iter().enumerate() {
            let Some(name) = columns[i] else { continue };
            if cell.is_empty() {
                continue;
            }
            let text = || Field {
                value: cell.to_string(),
                site: site(i, name),
            };
            // A number, or (for uncertain fields) a distribution in YAML flow
            // style, e.g. `{ dist: beta, mean: 0.05, sd: 0.01 }`.
            let kind = kind_of(name);
            let mut quantity =
                |allow_dist: bool| match cell_quantity(cell, allow_dist, kind, notation) {
                    Ok(value) => Some(Field {
                        value,
                        site: site(i, name),
                    }),
                    Err((message, hint)) => {
                        errors.push(at(line, i as u64 + 1, name, message).with_hint(hint));
                        None
                    }
                };
            let number = |q: Option<Field<Quantity>>| {
                q.and_then(|f| match f.value {
                    Quantity::Number(value) => Some(Field {
                        value,
                        site: f.site,
                    }),
                    Quantity::Distribution(_) => None,
                })
            };
            match name {
                "handle" => handle = Some(text()),
                "followers" => offer.followers = quantity(true),
                "price_per_post" => offer.price_per_post = quantity(true),
                "engagement_rate" => offer.engagement_rate = quantity(true),
                "conversion_rate" => offer.conversion_rate = quantity(true),
                "reach_rate" => offer.reach_rate = quantity(true),
                "max_posts" => max_posts = number(quantity(false)),
                "fee" => offer.fee = quantity(true),
                "delivery" => offer.delivery = number(quantity(false)),
                "credibility" => offer.credibility = number(quantity(false)),
                "audience_fit" => offer.audience_fit = number(quantity(false)),
                "avg_views" => offer.avg_views = number(quantity(false)),
                "tier" => offer.tier = Some(text()),
                "platform" => offer.platform = Some(text()),
                "audience" => offer.audience = Some(text()),
                "niches" => {
                    offer.niches = cell
                        .split([';', ',', '|'])
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(|n| Field {
                            value: n.to_string(),
                            site: site(i, name),
                        })
                        .collect()
                }
                "require" | "exclude" => {
                    let value = match cell.to_ascii_lowercase().as_str() {
                        "true" | "yes" | "1" => Some(true),
                        "false" | "no" | "0" => Some(false),
                        _ => {
                            errors.push(
                                at(
                                    line,
                                    i as u64 + 1,
                                    name,
                                    format!("`{cell}` is not a boolean"),
                                )
                                .with_hint("write true or false"),
                            );
                            None
                        }
                    };
                    let field = value.map(|value| Field {
                        value,
                        site: site(i, name),
                    });
                    if name == "require" {
                        require = field;
                    } else {
                        exclude = field;
                    }
                }
                _ => unreachable!("every known column is handled"),
            }
        }
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|r| match *r {
                "handle" => handle.is_none(),
                "followers" => offer.followers.is_none(),
                _ => offer.price_per_post.is_none(),
            })
            .collect();
        // A required cell that is empty (or not a number, already reported).
        if let Some(first) = missing.first() {
            if handle.is_none() || !errors.iter().any(|e| e.line == Some(line)) {
                let column = columns.iter().position(|c| c == &Some(*first)).unwrap_or(0);
                errors.push(at(
                    line,
                    column as u64 + 1,
                    first,
                    format!("missing required value `{first}`"),
                ));
            }
            continue;
        }
        let handle = handle.expect("checked above");
        roster.creators.push(CreatorInput {
            site: site(0, ""),
            handle,
            offer,
            max_posts,
            require,
            exclude,
        });
    }
    roster.read.rows = roster.creators.len();
    roster
}

/// A cell's number, or its distribution where `allow_dist`; else a message and a hint.
fn cell_quantity(
    cell: &str,
    allow_dist: bool,
    kind: Kind,
    notation: cells::Notation,
) -> Result<Quantity, (String, String)> {
    let dist_hint =
        "write a distribution as { dist: beta, mean: 0.05, sd: 0.01 }, quoted in the CSV";
    if cell.trim_start().starts_with('{') {
        if !allow_dist {
            return Err((
                format!("`{cell}`: this column takes a plain number"),
                "write a number such as 3 or 0.9".into(),
            ));
        }
        return match serde_saphyr::from_str::<Quantity>(cell) {
            Ok(Quantity::Distribution(mut raw)) => {
                // Positions inside the cell mean nothing in the CSV: report the cell's.
                for loc in [
                    &mut raw.mean,
                    &mut raw.sd,
                    &mut raw.min,
                    &mut raw.mode,
                    &mut raw.max,
                ]
                .into_iter()
                .flatten()
                {
                    loc.line = 0;
                }
                raw.dist.line = 0;
                Ok(Quantity::Distribution(raw))
            }
            Ok(number) => Ok(number),
            Err(e) => Err((
                format!("`{cell}` is not a distribution: {}", e.without_snippet()),
                dist_hint.into(),
            )),
        };
    }
    cells::parse(cell, kind, notation).map(Quantity::Number)
}

/// The byte offsets of a text's line feeds.
fn newline_offsets(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

fn csv_reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("it has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "it is not valid UTF-8".into(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A roster one row over the limit is refused at that row's own line,
    /// before any row is read into a creator.
    #[test]
    fn an_oversized_roster_is_refused_at_its_first_row_too_many() {
        let mut text = String::from("handle,followers,price_per_post\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("c{i},2000,10\n"));
        }
        let mut errors = Vec::new();
        let roster = read(Path::new("big.csv"), &text, &Layout::default(), &mut errors);
        assert!(roster.creators.is_empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, Some(MAX_ROWS as u64 + 2));
        assert!(
            errors[0].message.contains("more than 200000 rows"),
            "{}",
            errors[0]
        );
        // At the limit itself, every row is read.
        let at_limit: String = text
            .lines()
            .take(MAX_ROWS + 1)
            .map(|l| format!("{l}\n"))
            .collect();
        let mut errors = Vec::new();
        let roster = read(
            Path::new("big.csv"),
            &at_limit,
            &Layout::default(),
            &mut errors,
        );
        assert!(errors.is_empty(), "{:?}", errors.first());
        assert_eq!(roster.creators.len(), MAX_ROWS);
    }

    #[test]
    fn reads_rows_with_empty_cells_as_absent() {
        let mut errors = Vec::new();
        let text =
            "handle,followers,price_per_post,niches,engagement_rate\n@a,1000,50,food; coffee,\n";
        let rows = read(Path::new("r.csv"), text, &Layout::default(), &mut errors).creators;
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].offer.niches.len(), 2);
        assert!(rows[0].offer.engagement_rate.is_none());
        assert_eq!(rows[0].offer.followers.as_ref().unwrap().site.line, 2);
    }

    #[test]
    fn bad_cells_name_row_and_column() {
        let mut errors = Vec::new();
        let text = "handle,followers,price_per_post\n@a,1000,50\n@b,lots,50\n";
        read(Path::new("r.csv"), text, &Layout::default(), &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(errors[0].column, Some(2));
        assert_eq!(errors[0].field.as_deref(), Some("followers"));
    }

    #[test]
    fn cells_may_hold_distributions() {
        let mut errors = Vec::new();
        let text = "handle,followers,price_per_post,max_posts\n\
                    @a,20000,\"{ dist: triangular, min: 300, mode: 400, max: 650 }\",2\n\
                    @b,20000,300,\"{ dist: uniform, min: 1, max: 3 }\"\n";
        let rows = read(Path::new("r.csv"), text, &Layout::default(), &mut errors).creators;
        assert!(matches!(
            rows[0].offer.price_per_post.as_ref().unwrap().value,
            Quantity::Distribution(_)
        ));
        // Counts stay plain numbers.
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, Some(3));
        assert!(errors[0].message.contains("plain number"));
    }

    #[test]
    fn unknown_columns_get_a_suggestion() {
        let mut errors = Vec::new();
        read(
            Path::new("r.csv"),
            "handle,folowers,price_per_post\n",
            &Layout::default(),
            &mut errors,
        );
        assert!(
            errors
                .iter()
                .any(|e| e.hint.as_deref() == Some("did you mean `followers`?"))
        );
    }

    /// The mapping of an export as the scenario would give it.
    fn export(columns: &[(&str, &str)]) -> Layout {
        let site = |field: &str| Site {
            file: "s.yaml".into(),
            line: 7,
            column: 5,
            field: field.to_string(),
        };
        Layout {
            columns: columns
                .iter()
                .map(|(f, h)| {
                    (
                        Field {
                            value: f.to_string(),
                            site: site(f),
                        },
                        Field {
                            value: h.to_string(),
                            site: site(f),
                        },
                    )
                })
                .collect(),
            export: true,
            delimiter: None,
            currency: Some("USD".into()),
            decimal: None,
        }
    }

    fn number(q: &Option<Field<Quantity>>) -> f64 {
        match q.as_ref().map(|f| &f.value) {
            Some(Quantity::Number(v)) => *v,
            other => panic!("not a number: {other:?}"),
        }
    }

    #[test]
    fn an_export_reads_as_it_comes() {
        let text = "\u{feff}Username,Platform,Followers,Engagement Rate,Avg Views,Price (USD),Country,Category\r\n\
                    @ana,Instagram,\"1,996\",8.3%,900,\"$4,600\",NL,\"skincare, vegan\"\r\n\
                    @bo,TikTok,12.5k,3.4%,2.1M,USD 350,DE,food|travel\r\n";
        let layout = export(&[
            ("handle", "Username"),
            ("followers", "followers "),
            ("engagement_rate", "engagement rate"),
            ("price_per_post", "Price (USD)"),
            ("niches", "Category"),
        ]);
        let mut errors = Vec::new();
        let roster = read(Path::new("r.csv"), text, &layout, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let [ana, bo] = &roster.creators[..] else {
            panic!("two rows")
        };
        assert_eq!(number(&ana.offer.followers), 1996.0);
        assert!((number(&ana.offer.engagement_rate) - 0.083).abs() < 1e-15);
        assert_eq!(number(&ana.offer.price_per_post), 4600.0);
        assert_eq!(number(&bo.offer.followers), 12_500.0);
        assert_eq!(number(&bo.offer.price_per_post), 350.0);
        let niches = |c: &CreatorInput| {
            c.offer
                .niches
                .iter()
                .map(|n| n.value.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(niches(ana), ["skincare", "vegan"]);
        assert_eq!(niches(bo), ["food", "travel"]);
        // `Platform` is a field's name in another case: read, not ignored.
        assert_eq!(bo.offer.platform.as_ref().unwrap().value, "TikTok");
        assert_eq!(roster.read.ignored, ["Avg Views", "Country"]);
        // Lines as the file has them, whatever its line endings.
        assert_eq!(bo.offer.followers.as_ref().unwrap().site.line, 3);
    }

    #[test]
    fn errors_name_the_true_line_with_crlf_and_a_byte_order_mark() {
        let text = "\u{feff}handle,followers,price_per_post\r\n@a,1000,50\r\n\r\n@b,lots,50\r\n";
        let mut errors = Vec::new();
        read(Path::new("r.csv"), text, &Layout::default(), &mut errors);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, Some(4));
        assert_eq!(errors[0].column, Some(2));
    }

    #[test]
    fn the_delimiter_is_detected_or_given() {
        let text = "handle;followers;price_per_post;engagement_rate\n@a;\"1.996,0\";50;0,034\n";
        let mut errors = Vec::new();
        let roster = read(Path::new("r.csv"), text, &Layout::default(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(roster.read.delimiter, ';');
        assert_eq!(number(&roster.creators[0].offer.followers), 1996.0);
        assert_eq!(number(&roster.creators[0].offer.engagement_rate), 0.034);
        let tabs = "handle\tfollowers\tprice_per_post\n@a\t1000\t50\n";
        let roster = read(Path::new("r.tsv"), tabs, &Layout::default(), &mut errors);
        assert_eq!((roster.read.delimiter, roster.read.rows), ('\t', 1));
    }

    #[test]
    fn a_mapping_to_a_missing_header_names_the_scenario_line() {
        let text = "Username,Followers,Price\n@a,1000,50\n";
        let mut errors = Vec::new();
        read(
            Path::new("r.csv"),
            text,
            &export(&[
                ("handle", "Username"),
                ("followers", "Follower"),
                ("price_per_post", "Price"),
            ]),
            &mut errors,
        );
        let e = errors
            .iter()
            .find(|e| e.message.contains("no column `Follower`"))
            .expect("named");
        assert_eq!((e.file.to_str(), e.line), (Some("s.yaml"), Some(7)));
        assert_eq!(e.hint.as_deref(), Some("did you mean `Followers`?"));
        let mut errors = Vec::new();
        read(
            Path::new("r.csv"),
            text,
            &export(&[("followrs", "Followers")]),
            &mut errors,
        );
        assert!(
            errors
                .iter()
                .any(|e| e.hint.as_deref() == Some("did you mean `followers`?"))
        );
    }

    #[test]
    fn ambiguous_cells_are_refused_with_their_cell() {
        let text = "handle,followers,price_per_post\n@a,1.996,50\n@b,2000,EUR 40\n";
        let mut errors = Vec::new();
        read(Path::new("r.csv"), text, &export(&[]), &mut errors);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (Some(2), Some(2)));
        assert!(errors[0].message.contains("two ways"));
        assert_eq!((errors[1].line, errors[1].column), (Some(3), Some(3)));
        assert!(errors[1].message.contains("in EUR"));
    }
}
