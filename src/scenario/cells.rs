//! Numbers as platform exports write them: `3.4%` in a rate, `$4,600` or
//! `USD 4600` in money, `1,996`, `12.5k` or `1.2M` in counts. Anything that
//! could be read two ways (`1.996` followers: 1996, or a fraction of one?)
//! is refused with a message saying how to write it.

/// What a column holds, which decides the notations its cells may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A share in [0, 1]: a plain number, or a percentage (`3.4%`).
    Rate,
    /// An amount of money: a currency sign or code may come with it.
    Money,
    /// A count of people or posts: thousands separators and `k`, `M`, `B`.
    Count,
}

/// Currency signs and the codes they stand for (`$` for any dollar).
const SIGNS: &[(&str, &str)] = &[("$", "D"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY")];

/// How a file writes its numbers: the scenario's currency code (a cell in
/// another currency is refused rather than silently mixed) and, if the
/// export states it, its decimal mark (the other of `.` and `,` is then a
/// thousands separator, and nothing is ambiguous).
#[derive(Debug, Clone, Copy, Default)]
pub struct Notation<'a> {
    /// The scenario's currency code.
    pub currency: Option<&'a str>,
    /// The decimal mark, `.` or `,`, if stated.
    pub decimal: Option<char>,
}

/// A cell's number under its column's kind and the file's notation, or why
/// it cannot be read and how to write it.
pub fn parse(cell: &str, kind: Kind, notation: Notation) -> Result<f64, (String, String)> {
    let currency = notation.currency;
    let original = cell.trim();
    let fail = |why: &str, hint: &str| Err((format!("`{original}` {why}"), hint.to_string()));
    let mut text = original.to_string();
    let mut scale = 1.0;
    // A percentage is divided by 100 (not multiplied by 0.01, which is
    // inexact: 69% would read as 0.6900000000000001).
    let mut percent = false;
    if let Some(rest) = text.strip_suffix('%') {
        if kind != Kind::Rate {
            return fail(
                "is a percentage, but this column is not a rate",
                "write a plain number",
            );
        }
        text = rest.trim_end().to_string();
        percent = true;
    }
    if kind == Kind::Money {
        match strip_currency(&text, currency) {
            Ok(rest) => text = rest,
            Err(code) => {
                return fail(
                    &format!(
                        "is in {code}, but the scenario's amounts are in {}",
                        currency.unwrap_or("another currency")
                    ),
                    "convert it, or set `currency:` to match the roster",
                );
            }
        }
    }
    let negative = text.starts_with('-');
    if negative {
        text.remove(0);
    }
    if kind != Kind::Rate
        && let Some(last) = text.chars().last()
        && let Some(factor) = match last {
            'k' | 'K' => Some(1e3),
            'm' | 'M' => Some(1e6),
            'b' | 'B' => Some(1e9),
            _ => None,
        }
    {
        text.pop();
        text = text.trim_end().to_string();
        scale *= factor;
    }
    let digits = match notation.decimal {
        Some(mark) => marked_digits(&text, mark),
        None => plain_digits(&text, kind, percent || scale != 1.0),
    };
    let digits = match digits {
        Ok(d) => d,
        Err(Ambiguity::NotANumber) => {
            let hint = match kind {
                Kind::Rate => "write a number such as 0.034 or 3.4%",
                Kind::Money => "write an amount such as 4600, 4,600.00 or $4,600",
                Kind::Count => "write a count such as 1996, 1,996 or 12.5k",
            };
            return fail("is not a number", hint);
        }
        Err(Ambiguity::Separator) => {
            return fail(
                "could be read two ways (thousands separator or decimal point)",
                "state the export's decimal mark (creators_csv: { decimal: \",\" } or \".\"), \
                 or write it without separators: 1996 or 1.996",
            );
        }
    };
    match digits.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let v = if percent { v / 100.0 } else { v * scale };
            Ok(if negative { -v } else { v })
        }
        _ => fail(
            "is not a number",
            "write a plain number such as 42000 or 0.058",
        ),
    }
}

/// Why a cell's digits cannot be read.
enum Ambiguity {
    NotANumber,
    Separator,
}

/// The number with the file's stated decimal mark: the other mark is a
/// thousands separator, in groups of three.
fn marked_digits(text: &str, mark: char) -> Result<String, Ambiguity> {
    let text = text.replace([' ', '\u{a0}', '\u{202f}', '_'], "");
    let thousands = if mark == ',' { '.' } else { ',' };
    let (int, frac) = match text.split_once(mark) {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let groups: Vec<&str> = int.split(thousands).collect();
    let grouped = groups.len() == 1
        || ((1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() && frac.is_none_or(str::is_empty)
        || !grouped
        || !groups.iter().all(|g| digits(g))
        || !frac.is_none_or(|f| !f.is_empty() && digits(f))
    {
        return Err(Ambiguity::NotANumber);
    }
    let int: String = groups.concat();
    Ok(match frac {
        Some(f) => format!("{int}.{f}"),
        None => int,
    })
}

/// The number with its separators resolved, as Rust parses it. Commas in
/// groups of three before the point are thousands (`4,600.00`, `1,996`); a
/// single comma otherwise is a decimal comma (`0,034`, `12,5`), and so is
/// the last comma after points in groups of three (`1.234,56`). In a count
/// without a suffix, a point before exactly three digits (`1.996`) could be
/// either, and is refused.
fn plain_digits(text: &str, kind: Kind, suffixed: bool) -> Result<String, Ambiguity> {
    let text = text.replace([' ', '\u{a0}', '\u{202f}', '_'], "");
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !text.starts_with(|c: char| c.is_ascii_digit() || c == '.')
    {
        return Err(Ambiguity::NotANumber);
    }
    let commas = text.matches(',').count();
    let points = text.matches('.').count();
    let grouped = |int: &str, sep: char| {
        let groups: Vec<&str> = int.split(sep).collect();
        groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && !groups[0].starts_with('0')
            && groups[1..].iter().all(|g| g.len() == 3)
    };
    match (commas, points) {
        (0, 0) => Ok(text),
        (0, 1) => {
            let (int, frac) = text.split_once('.').expect("one point");
            if kind == Kind::Count && !suffixed && frac.len() == 3 && !int.is_empty() {
                Err(Ambiguity::Separator)
            } else {
                Ok(text)
            }
        }
        (0, _) => {
            // `1.234.567`: points as thousands separators.
            if grouped(&text, '.') {
                Ok(text.replace('.', ""))
            } else {
                Err(Ambiguity::NotANumber)
            }
        }
        (_, 0) => {
            if grouped(&text, ',') {
                Ok(text.replace(',', ""))
            } else if commas == 1 {
                Ok(text.replace(',', "."))
            } else {
                Err(Ambiguity::NotANumber)
            }
        }
        _ => {
            let (last_comma, last_point) = (
                text.rfind(',').expect("a comma"),
                text.rfind('.').expect("a point"),
            );
            if last_point > last_comma {
                // `4,600.00`
                let (int, _) = text.split_at(last_point);
                if points == 1 && grouped(int, ',') {
                    Ok(text.replace(',', ""))
                } else {
                    Err(Ambiguity::NotANumber)
                }
            } else {
                // `1.234,56`
                let (int, _) = text.split_at(last_comma);
                if commas == 1 && grouped(int, '.') {
                    Ok(text.replace('.', "").replace(',', "."))
                } else {
                    Err(Ambiguity::NotANumber)
                }
            }
        }
    }
}

/// The amount without its currency sign or code; the code found when it
/// is not the scenario's.
fn strip_currency(text: &str, currency: Option<&str>) -> Result<String, String> {
    let mut rest = text.trim().to_string();
    let wanted = currency.map(str::to_ascii_uppercase);
    for (sign, code) in SIGNS {
        if let Some(r) = rest
            .strip_prefix(sign)
            .or_else(|| rest.strip_suffix(sign))
            .map(str::trim)
        {
            let matches = match &wanted {
                None => true,
                Some(w) if *code == "D" => w.ends_with('D'),
                Some(w) => w == code,
            };
            if !matches {
                return Err(if *code == "D" {
                    "dollars".into()
                } else {
                    (*code).into()
                });
            }
            rest = r.to_string();
            break;
        }
    }
    // A three-letter code before or after the amount: `USD 4600`, `4600 EUR`.
    let code_at = |s: &str| s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic());
    let (before, after) = match rest.split_once(char::is_whitespace) {
        Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
        None => (rest.clone(), String::new()),
    };
    let found = if code_at(&before) && !after.is_empty() {
        Some((before.to_ascii_uppercase(), after))
    } else if code_at(&after) {
        Some((after.to_ascii_uppercase(), before))
    } else if rest.len() > 3 && rest.is_char_boundary(3) && code_at(&rest[..3]) {
        Some((rest[..3].to_ascii_uppercase(), rest[3..].trim().to_string()))
    } else {
        None
    };
    if let Some((code, amount)) = found {
        if wanted.as_ref().is_some_and(|w| *w != code) {
            return Err(code);
        }
        rest = amount;
    }
    Ok(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Notation<'static> {
        Notation {
            currency: Some("USD"),
            decimal: None,
        }
    }

    fn ok(cell: &str, kind: Kind) -> f64 {
        parse(cell, kind, usd()).unwrap_or_else(|e| panic!("{cell}: {e:?}"))
    }

    fn refused(cell: &str, kind: Kind) -> String {
        parse(cell, kind, usd()).expect_err(cell).0
    }

    #[test]
    fn rates_may_be_percentages() {
        assert!((ok("3.4%", Kind::Rate) - 0.034).abs() < 1e-15);
        assert!((ok("8.3 %", Kind::Rate) - 0.083).abs() < 1e-15);
        assert_eq!(ok("0.058", Kind::Rate), 0.058);
        assert_eq!(ok("0,034", Kind::Rate), 0.034);
        assert!(refused("12%", Kind::Count).contains("not a rate"));
    }

    #[test]
    fn money_may_carry_signs_codes_and_separators() {
        for cell in [
            "$4,600", "4,600.00", "USD 4600", "4600 USD", "USD4,600", "$ 4600",
        ] {
            assert_eq!(ok(cell, Kind::Money), 4600.0, "{cell}");
        }
        assert_eq!(ok("1.234,50", Kind::Money), 1234.5);
        assert_eq!(ok("$12.5k", Kind::Money), 12_500.0);
        assert!(refused("EUR 4600", Kind::Money).contains("in EUR"));
        assert!(refused("€4600", Kind::Money).contains("in EUR"));
        assert_eq!(
            parse(
                "€4.600,00",
                Kind::Money,
                Notation {
                    currency: Some("eur"),
                    decimal: None
                }
            )
            .unwrap(),
            4600.0
        );
        assert_eq!(
            parse(
                "$4,600",
                Kind::Money,
                Notation {
                    currency: Some("CAD"),
                    decimal: None
                }
            )
            .unwrap(),
            4600.0
        );
    }

    #[test]
    fn counts_take_separators_and_suffixes() {
        assert_eq!(ok("1,996", Kind::Count), 1996.0);
        assert_eq!(ok("1,234,567", Kind::Count), 1_234_567.0);
        assert_eq!(ok("12.5k", Kind::Count), 12_500.0);
        assert_eq!(ok("1.2M", Kind::Count), 1_200_000.0);
        assert_eq!(ok("3B", Kind::Count), 3e9);
        assert_eq!(ok("1 996", Kind::Count), 1996.0);
        assert_eq!(ok("1.234.567", Kind::Count), 1_234_567.0);
    }

    #[test]
    fn ambiguous_or_foreign_cells_are_refused() {
        assert!(refused("1.996", Kind::Count).contains("two ways"));
        assert!(refused("lots", Kind::Count).contains("not a number"));
        assert!(refused("1,2,3", Kind::Count).contains("not a number"));
        assert!(refused("12.5k", Kind::Rate).contains("not a number"));
        assert!(refused("4,60,0", Kind::Money).contains("not a number"));
        assert!(refused("", Kind::Money).contains("not a number"));
    }

    #[test]
    fn a_stated_decimal_mark_settles_every_separator() {
        let comma = Notation {
            currency: Some("EUR"),
            decimal: Some(','),
        };
        let read = |cell: &str, kind: Kind| parse(cell, kind, comma).unwrap();
        assert_eq!(read("18.400", Kind::Count), 18_400.0);
        assert_eq!(read("1.234.567", Kind::Count), 1_234_567.0);
        assert!((read("6,2%", Kind::Rate) - 0.062).abs() < 1e-15);
        assert_eq!(read("210,00 EUR", Kind::Money), 210.0);
        assert_eq!(read("12,5k", Kind::Count), 12_500.0);
        assert!(parse("1,2,3", Kind::Count, comma).is_err());
        assert!(parse("18.40", Kind::Count, comma).is_err());
        let point = Notation {
            currency: None,
            decimal: Some('.'),
        };
        assert_eq!(parse("1.996", Kind::Count, point).unwrap(), 1.996);
        assert_eq!(parse("1,996", Kind::Count, point).unwrap(), 1996.0);
    }
}
