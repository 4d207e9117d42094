//! CSV rosters (`creators_csv`): one creator per row, columns named as the
//! creator fields, niches separated by `;`, empty cells meaning absent.

use std::path::Path;

use super::input::{CreatorInput, Field, OfferInput, Site};
use super::raw::Quantity;
use crate::error::InputError;

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
];

/// Columns every roster must have.
const REQUIRED: &[&str] = &["handle", "followers", "price_per_post"];

/// Most rows a roster may have.
pub const MAX_ROWS: usize = 200_000;

/// Reads a roster. Problems are collected, not stopped at, so a user sees them all.
pub fn read(path: &Path, text: &str, errors: &mut Vec<InputError>) -> Vec<CreatorInput> {
    let mut reader = csv::ReaderBuilder::new()
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
            return Vec::new();
        }
    };
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    let mut header_ok = true;
    for (i, name) in headers.iter().enumerate() {
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if columns.contains(&Some(*c)) => {
                errors.push(at(1, i as u64 + 1, name, "column appears twice".into()));
                header_ok = false;
            }
            Some(c) => columns.push(Some(c)),
            None => {
                let mut error = at(1, i as u64 + 1, name, format!("unknown column `{name}`"));
                error.hint = Some(match super::suggest(name, COLUMNS.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("the columns allowed are {}", COLUMNS.join(", ")),
                });
                errors.push(error);
                columns.push(None);
                header_ok = false;
            }
        }
    }
    let misspelt: Vec<&str> = headers
        .iter()
        .filter(|h| !COLUMNS.contains(h))
        .filter_map(|h| super::suggest(h, REQUIRED.iter().copied()))
        .collect();
    for required in REQUIRED {
        if !columns.contains(&Some(required)) && !misspelt.contains(required) {
            errors.push(
                at(
                    1,
                    0,
                    required,
                    format!("the roster has no `{required}` column"),
                )
                .with_hint(format!(
                    "the header must name at least {}",
                    REQUIRED.join(", ")
                )),
            );
            header_ok = false;
        }
    }
    if !header_ok {
        return Vec::new();
    }

    let mut creators = Vec::new();
    for (row, record) in reader.records().enumerate() {
        if row >= MAX_ROWS {
            errors.push(at(
                0,
                0,
                "",
                format!("the roster has more than {MAX_ROWS} rows, the limit"),
            ));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
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
            .map(|p| p.line())
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
            let mut quantity = |allow_dist: bool| match cell_quantity(cell, allow_dist) {
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
                "tier" => offer.tier = Some(text()),
                "platform" => offer.platform = Some(text()),
                "audience" => offer.audience = Some(text()),
                "niches" => {
                    offer.niches = cell
                        .split(';')
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
        creators.push(CreatorInput {
            site: site(0, ""),
            handle,
            offer,
            max_posts,
            require,
            exclude,
        });
    }
    creators
}

/// A cell's number, or its distribution where `allow_dist`; else a message and a hint.
fn cell_quantity(cell: &str, allow_dist: bool) -> Result<Quantity, (String, &'static str)> {
    let dist_hint =
        "write a distribution as { dist: beta, mean: 0.05, sd: 0.01 }, quoted in the CSV";
    if cell.trim_start().starts_with('{') {
        if !allow_dist {
            return Err((
                format!("`{cell}`: this column takes a plain number"),
                "write a number such as 3 or 0.9",
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
                dist_hint,
            )),
        };
    }
    cell.parse::<f64>().map(Quantity::Number).map_err(|_| {
        (
            format!("`{cell}` is not a number"),
            "write a plain number such as 42000 or 0.058",
        )
    })
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

    #[test]
    fn reads_rows_with_empty_cells_as_absent() {
        let mut errors = Vec::new();
        let text =
            "handle,followers,price_per_post,niches,engagement_rate\n@a,1000,50,food; coffee,\n";
        let rows = read(Path::new("r.csv"), text, &mut errors);
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
        read(Path::new("r.csv"), text, &mut errors);
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
        let rows = read(Path::new("r.csv"), text, &mut errors);
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
            &mut errors,
        );
        assert!(
            errors
                .iter()
                .any(|e| e.hint.as_deref() == Some("did you mean `followers`?"))
        );
    }
}
