//! Scenario loading: YAML (and CSV rosters) → raw layer → validated [`Scenario`].
//!
//! [`load`] is the one entry point. It reads the file, parses it into the raw
//! serde layer ([`raw`]), reads any roster ([`roster`]), and validates the
//! lot into the domain model ([`validate`]), collecting every problem found.

mod cells;
mod check;
pub mod input;
pub mod market;
mod offer;
mod platforms;
pub mod raw;
mod recover;
pub mod roster;
pub mod validate;
pub mod yaml;

use std::path::Path;

use crate::error::Error;
use crate::model::Scenario;

/// Loads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, Error> {
    let text = yaml::read_text(path)?;
    load_str(&text, path)
}

/// Validates scenario text as if read from `path` (relative files resolve next to it).
pub fn load_str(text: &str, path: &Path) -> Result<Scenario, Error> {
    let parsed = yaml::parse_past_errors::<raw::RawScenario>(text, path);
    let mut errors = parsed.errors;
    let Some(raw) = parsed.value else {
        return Err(Error::Input(errors));
    };
    // Past the parse errors, the rest is checked too: every mistake in one
    // run, except what a stand-in for a wrongly typed value caused.
    match validate::validate(&raw, path) {
        Ok(scenario) if errors.is_empty() => Ok(scenario),
        Ok(_) => Err(Error::Input(errors)),
        Err(more) => {
            let caused = |e: &crate::error::InputError| {
                e.file == path && e.line.is_some_and(|l| parsed.stand_in_lines.contains(&l))
            };
            errors.extend(more.into_iter().filter(|e| !caused(e)).map(|mut e| {
                if e.file == path && e.line.is_some_and(|l| parsed.moved_lines.contains(&l)) {
                    e.column = None;
                }
                e
            }));
            // In the order of the scenario file, then of other files.
            errors.sort_by_key(|e| (e.file != path, e.line.unwrap_or(0)));
            Err(Error::Input(errors))
        }
    }
}

/// The closest candidate to a misspelt word, if one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| *distance <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goal_names_may_be_capitalised() {
        let text = "budget: 1000\ngoal: { weights: { Awareness: 1, CONVERSIONS: 3 } }\n\
                    creators:\n  - { handle: a, followers: 20000, price_per_post: 100 }\n";
        let s = load_str(text, Path::new("s.yaml")).unwrap();
        assert_eq!(
            s.objective,
            crate::model::Objective::Weights([1.0, 0.0, 3.0])
        );
    }

    #[test]
    fn suggestions_are_close_words_only() {
        assert_eq!(suggest("folowers", ["followers", "fee"]), Some("followers"));
        assert_eq!(suggest("Mega", ["micro", "mega"]), Some("mega"));
        assert_eq!(suggest("budget", ["followers", "fee"]), None);
    }
}
