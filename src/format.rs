//! Numbers for people: thousands separated, decimals by magnitude, shares
//! as percentages. Every stage that writes a number into words uses these.

/// A number for people: thousands separated, decimals by magnitude.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let abs = value.abs();
    let decimals = if abs >= 1000.0 || abs == abs.trunc() {
        0
    } else if abs >= 10.0 {
        1
    } else if abs >= 0.01 {
        2
    } else {
        4
    };
    let text = format!("{:.*}", decimals, abs);
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.trim_end_matches('0').to_string())),
        None => (text.clone(), None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) if !f.is_empty() => format!("{sign}{grouped}.{f}"),
        _ => format!("{sign}{grouped}"),
    }
}

/// A share as a percentage with one decimal.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// An optional ratio, or a dash.
pub fn optional(value: Option<f64>) -> String {
    value.map(number).unwrap_or_else(|| "-".into())
}

/// A share as a percentage of whole-number precision where it is whole
/// (`12.5%`, `50%`), for sentences.
pub fn share(share: f64) -> String {
    format!("{}%", number(share * 100.0))
}

/// A count with its noun, singular or plural: `1 point`, `3 points`
/// (nouns whose plural adds an `s`).
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1u32, "point"), "1 point");
        assert_eq!(count(0u32, "point"), "0 points");
        assert_eq!(count(21u64, "grid point"), "21 grid points");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(2_100_000.0), "2,100,000");
        assert_eq!(number(59_850.4), "59,850");
        assert_eq!(number(145.98), "146");
        assert_eq!(number(28.5), "28.5");
        assert_eq!(number(0.71), "0.71");
        assert_eq!(number(-1234.0), "-1,234");
        assert_eq!(number(0.0), "0");
    }
}
