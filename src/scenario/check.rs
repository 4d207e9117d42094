//! Checking one value at a time: what a number must be ([`Kind`]), and the
//! [`Checker`] that checks numbers, quantities (a number or a distribution),
//! distributions, whole numbers and names, collecting a problem for each
//! value that fails with the site it came from. [`yaml_site`] and
//! [`yaml_field`] give a value read from the scenario file its site.

use std::collections::HashMap;
use std::path::Path;

use super::input::{Field, Site};
use super::raw::{Loc, Quantity, RawDist};
use super::suggest;
use crate::error::InputError;
use crate::model::dist::{Bound, Dist, FAMILIES, Family};

/// Longest name, handle or label, in characters.
pub const MAX_NAME_CHARS: usize = 256;
/// Largest amount of money, count or target: a trillion. Budgets of 1e9
/// beside prices of 0.01 solve exactly (tests/numerics.rs); figures far
/// beyond any campaign only push the program past floating-point precision.
pub const MAX_AMOUNT: f64 = 1e12;
/// Largest follower count or audience: ten billion, more people than there are.
pub const MAX_PEOPLE: f64 = 1e10;

/// The fraction a percentage means (8.3 → 0.083), without round-off noise.
pub(super) fn fraction_of_percent(percent: f64) -> f64 {
    (percent / 100.0 * 1e9).round() / 1e9
}

/// What a number must be.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    /// Money, a count or a target: finite, in [0, MAX_AMOUNT].
    NonNegative,
    /// Followers or an audience: in [0, MAX_PEOPLE].
    People,
    /// A rate or share: in [0, 1].
    Rate,
    /// Repeat decay: in (0, 1].
    Decay,
    /// A whole number in [min, max].
    Whole(u32, u32),
}

/// Collects problems while validating.
#[derive(Default)]
pub(super) struct Checker {
    /// The problems found so far, in the order found.
    pub(super) errors: Vec<InputError>,
}

impl Checker {
    /// Records a problem at `site`.
    pub(super) fn fail(&mut self, site: &Site, message: impl Into<String>, hint: Option<String>) {
        let mut error = site.error(message);
        error.hint = hint;
        self.errors.push(error);
    }

    /// A plain number of the given kind.
    pub(super) fn number(&mut self, field: &Field<f64>, kind: Kind) -> Option<f64> {
        let v = field.value;
        if !v.is_finite() {
            self.fail(
                &field.site,
                format!("must be a finite number, got {v}"),
                Some("write a plain number".into()),
            );
            return None;
        }
        let (ok, what, hint) = match kind {
            Kind::NonNegative | Kind::People if v < 0.0 => {
                (false, "must not be negative".to_string(), None)
            }
            Kind::NonNegative => (
                v <= MAX_AMOUNT,
                "is above the limit of 1e12".to_string(),
                Some("no figure of a campaign comes near a trillion: check the units".into()),
            ),
            Kind::People => (
                v <= MAX_PEOPLE,
                "is above the limit of 1e10 (ten billion people)".to_string(),
                Some("the largest accounts have under a billion followers".into()),
            ),
            Kind::Rate => (
                (0.0..=1.0).contains(&v),
                "must be between 0 and 1".to_string(),
                (v > 1.0 && v <= 100.0).then(|| {
                    format!(
                        "rates and shares are fractions of 1 (0.058 means 5.8%); if you meant {v}%, write {}",
                        fraction_of_percent(v)
                    )
                }),
            ),
            Kind::Decay => (
                v > 0.0 && v <= 1.0,
                "must be greater than 0 and at most 1".to_string(),
                Some(
                    "1 means no decay; 0.8 means each further post yields 80% of the one before"
                        .into(),
                ),
            ),
            Kind::Whole(min, max) => (
                v.fract() == 0.0 && v >= f64::from(min) && v <= f64::from(max),
                format!("must be a whole number from {min} to {max}"),
                None,
            ),
        };
        if ok {
            Some(v)
        } else {
            let shown = if v.abs() >= 1e15 {
                format!("{v:e}")
            } else {
                v.to_string()
            };
            self.fail(&field.site, format!("{what}, got {shown}"), hint);
            None
        }
    }

    /// A number or a distribution: the nominal value (the mean) and the distribution.
    pub(super) fn quantity(
        &mut self,
        field: &Field<Quantity>,
        kind: Kind,
    ) -> Option<(f64, Option<Dist>)> {
        match &field.value {
            Quantity::Number(v) => {
                let number = Field {
                    value: *v,
                    site: field.site.clone(),
                };
                self.number(&number, kind).map(|v| (v, None))
            }
            Quantity::Distribution(raw) => {
                let bound = if kind == Kind::Rate {
                    Bound::Rate
                } else {
                    Bound::NonNegative
                };
                let dist = self.dist(raw, &field.site, bound)?;
                let mean = dist.mean();
                // The mean is the nominal figure: it obeys the plain number's
                // upper limit (the distribution's bound already keeps it >= 0).
                if matches!(kind, Kind::NonNegative | Kind::People) {
                    let nominal = Field {
                        value: mean,
                        site: field.site.clone(),
                    };
                    self.number(&nominal, kind)?;
                }
                Some((mean, Some(dist)))
            }
        }
    }

    /// A distribution: a known family with exactly its parameters, valid for the value's bounds.
    pub(super) fn dist(&mut self, raw: &RawDist, site: &Site, bound: Bound) -> Option<Dist> {
        let at = |loc_line: u64, loc_column: u64, sub: &str| Site {
            file: site.file.clone(),
            line: if loc_line > 0 { loc_line } else { site.line },
            column: if loc_line > 0 {
                loc_column
            } else {
                site.column
            },
            field: format!("{}.{sub}", site.field),
        };
        let name = raw.dist.value.trim().to_lowercase();
        let dist_site = at(raw.dist.line, raw.dist.column, "dist");
        if !FAMILIES.contains(&name.as_str()) {
            let hint = match suggest(&name, FAMILIES.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the distributions are {}", FAMILIES.join(", ")),
            };
            self.fail(
                &dist_site,
                format!("unknown distribution `{}`", raw.dist.value),
                Some(hint),
            );
            return None;
        }
        let wants: &[&str] = match name.as_str() {
            "normal" | "lognormal" | "beta" => &["mean", "sd"],
            "uniform" => &["min", "max"],
            _ => &["min", "mode", "max"],
        };
        let given = [
            ("mean", &raw.mean),
            ("sd", &raw.sd),
            ("min", &raw.min),
            ("mode", &raw.mode),
            ("max", &raw.max),
        ];
        let mut values = HashMap::new();
        let mut ok = true;
        for (param, value) in given {
            match (wants.contains(&param), value) {
                (true, Some(v)) => {
                    let sub = at(v.line, v.column, param);
                    if v.value.is_finite() {
                        values.insert(param, v.value);
                    } else {
                        self.fail(
                            &sub,
                            format!("must be a finite number, got {}", v.value),
                            None,
                        );
                        ok = false;
                    }
                }
                (true, None) => {
                    self.fail(
                        &dist_site,
                        format!("a {name} distribution needs `{param}`"),
                        Some(format!(
                            "write {}",
                            wants
                                .iter()
                                .map(|w| format!("`{w}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                    ok = false;
                }
                (false, Some(v)) => {
                    self.fail(
                        &at(v.line, v.column, param),
                        format!(
                            "a {name} distribution takes {}, not `{param}`",
                            wants.join(", ")
                        ),
                        None,
                    );
                    ok = false;
                }
                (false, None) => {}
            }
        }
        if !ok {
            return None;
        }
        let v = |k: &str| values[k];
        let family = match name.as_str() {
            "normal" => Family::Normal {
                mean: v("mean"),
                sd: v("sd"),
            },
            "lognormal" => Family::LogNormal {
                mean: v("mean"),
                sd: v("sd"),
            },
            "beta" => Family::Beta {
                mean: v("mean"),
                sd: v("sd"),
            },
            "uniform" => Family::Uniform {
                min: v("min"),
                max: v("max"),
            },
            "triangular" => Family::Triangular {
                min: v("min"),
                mode: v("mode"),
                max: v("max"),
            },
            _ => Family::Pert {
                min: v("min"),
                mode: v("mode"),
                max: v("max"),
            },
        };
        match Dist::new(family, bound) {
            Ok(d) => Some(d),
            Err(message) => {
                self.fail(site, message, None);
                None
            }
        }
    }

    /// A whole number in [min, max].
    pub(super) fn whole(&mut self, field: &Field<f64>, min: u32, max: u32) -> Option<u32> {
        self.number(field, Kind::Whole(min, max)).map(|v| v as u32)
    }

    /// A name that must not repeat one already in `seen`.
    pub(super) fn unique_name(
        &mut self,
        field: &Field<String>,
        what: &str,
        seen: &mut HashMap<String, Site>,
    ) -> Option<String> {
        let name = self.name(field)?;
        if let Some(first) = seen.get(&name) {
            let hint = format!(
                "it is already used at {}:{}",
                first.file.display(),
                first.line
            );
            self.fail(
                &field.site,
                format!("duplicate {what} `{name}`"),
                Some(hint),
            );
        } else {
            seen.insert(name.clone(), field.site.clone());
        }
        Some(name)
    }

    /// A name, handle or label: trimmed, not empty, not too long.
    pub(super) fn name(&mut self, field: &Field<String>) -> Option<String> {
        let text = field.value.trim();
        if text.is_empty() {
            self.fail(&field.site, "must not be empty", None);
            None
        } else if text.chars().count() > MAX_NAME_CHARS {
            self.fail(
                &field.site,
                format!("is longer than {MAX_NAME_CHARS} characters"),
                None,
            );
            None
        } else {
            Some(text.to_string())
        }
    }
}

/// The site of a value read from the scenario file.
pub(super) fn yaml_site<T>(file: &Path, field: &str, loc: &Loc<T>) -> Site {
    Site {
        file: file.to_path_buf(),
        line: loc.line,
        column: loc.column,
        field: field.to_string(),
    }
}

/// A value read from the scenario file, as a [`Field`].
pub(super) fn yaml_field<T: Clone>(file: &Path, field: &str, loc: &Loc<T>) -> Field<T> {
    Field {
        value: loc.value.clone(),
        site: yaml_site(file, field, loc),
    }
}
