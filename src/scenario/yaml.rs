//! Reading YAML files safely: size limits, encodings, and errors that point
//! at the file, line and field, with a suggestion where one is obvious.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::InputError;

/// Largest scenario, market or roster file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a whole text file, refusing binary, non-UTF-8, empty and oversized files.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| InputError::file(path, format!("cannot read the file: {}", io_reason(&e))))?;
    if metadata.is_dir() {
        return Err(InputError::file(path, "is a directory, not a file"));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(InputError::file(
            path,
            format!(
                "the file is {} bytes; the limit is {} bytes",
                metadata.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    // The size in the metadata is 0 for devices and pipes (`/dev/zero`, a
    // process substitution): the read itself stops one byte past the limit.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| InputError::file(path, format!("cannot read the file: {}", io_reason(&e))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::file(
            path,
            format!("the file is longer than the limit of {MAX_FILE_BYTES} bytes"),
        ));
    }
    if bytes.contains(&0) {
        return Err(InputError::file(
            path,
            "the file contains NUL bytes: it looks binary, not text",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let good = &e.as_bytes()[..offset];
        let line = good.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        InputError {
            line: Some(line),
            ..InputError::file(path, "the file is not valid UTF-8 text")
        }
        .with_hint("save the file as UTF-8")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    if !text.lines().any(is_content) {
        return Err(InputError::file(
            path,
            "the file is empty (nothing but blank lines and comments)",
        ));
    }
    Ok(text)
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

/// Parses YAML into `T`, rejecting duplicate keys and YAML bombs.
pub fn parse<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, InputError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 64,
            max_documents: 1,
            max_nodes: 5_000_000,
        },
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::Error,
        // Let `.nan` and `.inf` through to validation, which names the field.
        non_finite_float_policy: serde_saphyr::options::NonFiniteFloatPolicy::PassThrough,
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| from_yaml_error(&e, path, text))
}

/// Turns a YAML or serde error into an [`InputError`] with position, field and hint.
fn from_yaml_error(error: &serde_saphyr::Error, path: &Path, text: &str) -> InputError {
    let location = error.location();
    let raw = error.without_snippet().to_string();
    let (message, hint) = explain(&raw);
    let mut line = location.map(|l| l.line()).filter(|&l| l > 0);
    let mut column = location.map(|l| l.column()).filter(|&c| c > 0);
    let lines: Vec<&str> = text.lines().collect();
    let mut field = field_of(&raw);
    let mut hint = hint;
    if let (Some(l), Some(c)) = (line, column) {
        // The parser finds a tab where it stops reading, which may be the
        // line before: name the tab's own line.
        if raw.contains("found a tab")
            && let Some((tab_line, tab_column)) = tab_from(&lines, l as usize, c as usize)
        {
            return InputError {
                file: path.to_path_buf(),
                line: Some(tab_line as u64),
                column: Some(tab_column as u64),
                field: key_before(&lines, tab_line, tab_column),
                message: "a tab where YAML expects spaces".into(),
                hint: Some(format!(
                    "YAML indents with spaces only: replace the tab on line {tab_line} with spaces"
                )),
            };
        }
        // An unclosed bracket is found where the parser gives up: name the
        // line where it opened.
        let in_flow = raw.contains("flow mapping") || raw.contains("flow sequence");
        let syntax = raw.contains("did not find expected") || raw.contains("illegal placement");
        if (in_flow || syntax)
            && let Some((bracket, open_line, open_column)) =
                unclosed(&lines, l as usize, c as usize)
            && (in_flow || open_line < l as usize)
        {
            let close = if bracket == '{' { '}' } else { ']' };
            return InputError {
                file: path.to_path_buf(),
                line: Some(open_line as u64),
                column: Some(open_column as u64),
                field: key_before(&lines, open_line, open_column),
                message: format!("the `{bracket}` opened here is never closed"),
                hint: Some(format!(
                    "close it with `{close}` before line {l}, where the file goes on"
                )),
            };
        }
        if raw.contains("missing field `") {
            // serde reports a missing field at the end of its mapping: point at
            // the mapping's first line instead, and look for a misplaced key.
            line = Some(mapping_start(&lines, l as usize, c as usize) as u64);
            column = None;
            if let Some(name) = &field
                && let Some(found) = misplaced_key(&lines, name)
            {
                hint = Some(format!(
                    "line {found} has `{name}:` at a different indentation; keys of one mapping must line up"
                ));
            }
        } else if field.is_none() {
            field = key_before(&lines, l as usize, c as usize);
            if let Some(indented) = indentation_hint(&lines, l as usize) {
                hint = Some(indented);
            }
            if let Some((above, message)) = under_indented(&lines, l as usize) {
                return InputError {
                    file: path.to_path_buf(),
                    line,
                    column: None,
                    field,
                    message,
                    hint: Some(format!(
                        "keys of one mapping must line up: indent it as line {above} is"
                    )),
                };
            }
        }
    }
    // The limit on values is the file's, not the field's where it was
    // reached (an alias flood is the field's own).
    if raw.contains("budget breached") && raw.contains("Events") {
        field = None;
    }
    if raw.contains("duplicate mapping key: ") {
        field = raw
            .rsplit("duplicate mapping key: ")
            .next()
            .map(|k| k.split(',').next().unwrap_or(k).trim().to_string());
    }
    InputError {
        file: path.to_path_buf(),
        line,
        column,
        field,
        message,
        hint,
    }
}

/// The first tab at or after (line, column), both from 1: its line and
/// column.
fn tab_from(lines: &[&str], line: usize, column: usize) -> Option<(usize, usize)> {
    lines
        .iter()
        .enumerate()
        .skip(line.saturating_sub(1))
        .find_map(|(i, text)| {
            let from = if i + 1 == line {
                column.saturating_sub(1)
            } else {
                0
            };
            text.char_indices()
                .filter(|(at, _)| *at >= from)
                .find(|(_, ch)| *ch == '\t')
                .map(|(at, _)| (i + 1, text[..at].chars().count() + 1))
        })
}

/// The innermost bracket (`{` or `[`) still open at (line, column), both
/// from 1: the bracket, its line and column. Quoted text and comments are
/// skipped.
fn unclosed(lines: &[&str], line: usize, column: usize) -> Option<(char, usize, usize)> {
    let mut open: Vec<(char, usize, usize)> = Vec::new();
    for (i, text) in lines.iter().enumerate().take(line) {
        let mut quote: Option<char> = None;
        // A quote opens quoted text only where a value starts (`it's` does not).
        let mut starts_value = true;
        for (k, ch) in text.chars().enumerate() {
            if i + 1 == line && k + 1 >= column {
                break;
            }
            let at_start = std::mem::replace(
                &mut starts_value,
                matches!(ch, ' ' | ':' | '{' | '[' | ',' | '-'),
            );
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if at_start => quote = Some(ch),
                (None, '#') => break,
                (None, '{' | '[') => open.push((ch, i + 1, k + 1)),
                (None, '}' | ']') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.pop()
}

/// The key a value at (line, column) belongs to: the key starting there, or
/// the last `key:` before it on its line, or the key of the parent mapping.
fn key_before(lines: &[&str], line: usize, column: usize) -> Option<String> {
    let text = lines.get(line.checked_sub(1)?)?;
    let here: String = text.chars().skip(column.saturating_sub(1)).collect();
    let word: String = here
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        .collect();
    if !word.is_empty() && here[word.len()..].trim_start().starts_with(':') {
        return Some(word);
    }
    let prefix: String = text.chars().take(column.saturating_sub(1)).collect();
    let Some(end) = prefix.rfind(':') else {
        // A value on its own line (a list item, say): the key is the parent's.
        let own = indent(text);
        let parent = lines[..line - 1]
            .iter()
            .rposition(|l| is_content(l) && indent(l) < own && l.trim_end().ends_with(':'))?;
        let parent_text = lines[parent].trim_end();
        return key_before(lines, parent + 1, parent_text.chars().count() + 1);
    };
    let key: String = prefix[..end]
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!key.is_empty()).then_some(key)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// Column where a line's first key starts (after any `- ` list marker).
fn key_indent(line: &str) -> usize {
    let ind = indent(line);
    if line[ind..].starts_with("- ") {
        ind + 2
    } else {
        ind
    }
}

/// A hint when the line after an error is indented deeper than the error's line.
/// A key on `line` (1-based) indented less than the keys just above it but
/// more than their parent, which lines up with no mapping: the line above
/// and the message saying so.
fn under_indented(lines: &[&str], line: usize) -> Option<(usize, String)> {
    let here = lines.get(line.checked_sub(1)?)?;
    let (above_no, above) = lines[..line - 1]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, l)| is_content(l))?;
    let (ours, theirs) = (key_indent(here), key_indent(above));
    let key = here.trim().split(':').next()?.trim_start_matches("- ");
    let is_key = here.contains(':') && !here.trim_start().starts_with("- ");
    // No line of the block above starts a key at this indentation.
    let lines_up = lines[..line - 1]
        .iter()
        .rev()
        .take_while(|l| !is_content(l) || key_indent(l) >= ours)
        .any(|l| is_content(l) && key_indent(l) == ours);
    (is_key && ours < theirs && !lines_up).then(|| {
        (
            above_no + 1,
            format!("`{key}:` is at a different indentation from the keys above it"),
        )
    })
}

fn indentation_hint(lines: &[&str], line: usize) -> Option<String> {
    let here = lines.get(line.checked_sub(1)?)?;
    let (next_no, next) = lines
        .iter()
        .enumerate()
        .skip(line)
        .find(|(_, l)| is_content(l))?;
    (key_indent(next) > key_indent(here) && next.contains(':') && !here.trim_end().ends_with(':'))
        .then(|| {
            format!(
                "line {} is indented further than line {line}; keys of one mapping must line up",
                next_no + 1
            )
        })
}

/// The first line of the block mapping whose keys start at `column`, given a line inside it.
fn mapping_start(lines: &[&str], line: usize, column: usize) -> usize {
    let key_indent = column.saturating_sub(1);
    let mut start = line;
    let mut i = line;
    while i >= 1 {
        let text = lines.get(i - 1).copied().unwrap_or("");
        if is_content(text) {
            let ind = indent(text);
            let rest = &text[ind..];
            if rest.starts_with("- ") && ind + 2 == key_indent {
                return i; // a list item holding the mapping
            }
            if ind < key_indent {
                return start; // the parent key: the mapping starts below it
            }
            if ind == key_indent {
                start = i;
            }
        }
        i -= 1;
    }
    start
}

/// A line holding `name:` as a key, if any.
fn misplaced_key(lines: &[&str], name: &str) -> Option<usize> {
    lines
        .iter()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            t.starts_with(&format!("{name}:"))
        })
        .map(|i| i + 1)
}

/// The first backquoted word of a serde message naming a field.
fn field_of(message: &str) -> Option<String> {
    for marker in ["unknown field `", "missing field `", "duplicate field `"] {
        if let Some(start) = message.find(marker) {
            let rest = &message[start + marker.len()..];
            return rest.find('`').map(|end| rest[..end].to_string());
        }
    }
    None
}

/// The names listed after "expected one of" (with or without backquotes).
fn expected_names(tail: &str) -> Vec<&str> {
    let list = match tail.find("expected one of ") {
        Some(i) => &tail[i + "expected one of ".len()..],
        None => match tail.find("expected ") {
            Some(i) => &tail[i + "expected ".len()..],
            None => return Vec::new(),
        },
    };
    list.split(", ")
        .map(|name| name.trim().trim_matches('`'))
        .filter(|name| !name.is_empty() && !name.contains(' '))
        .collect()
}

/// Most problems one run reports while parsing.
const MAX_PARSE_ERRORS: usize = 50;

/// What [`parse_past_errors`] read: the value, once every problem it could
/// get past is set aside (none if one stopped it), the problems, and the
/// lines whose value was replaced by a stand-in (later problems there are
/// the stand-in's, not the user's).
pub struct Parsed<T> {
    /// The value read past the problems.
    pub value: Option<T>,
    /// Every problem met, in the order met.
    pub errors: Vec<InputError>,
    /// Lines where a value of the wrong type was replaced.
    pub stand_in_lines: Vec<u64>,
    /// Lines whose columns moved (a key renamed or re-indented): later
    /// problems there are given without a column.
    pub moved_lines: Vec<u64>,
}

/// [`parse`], going on past what it can so that one run names every
/// mistake: each is reported, and the text edited to get past it (a
/// misspelt key renamed to the field it meant, an unknown key removed, a
/// value of the wrong type replaced, see [`super::recover`]), line numbers
/// kept, and the text read again.
pub fn parse_past_errors<T: DeserializeOwned>(text: &str, path: &Path) -> Parsed<T> {
    let mut errors: Vec<InputError> = Vec::new();
    let mut stand_in_lines = Vec::new();
    let mut moved_lines: Vec<u64> = Vec::new();
    // The text with the problems so far set aside (none yet: the file's own).
    let mut edited: Option<String> = None;
    loop {
        let current = edited.as_deref().unwrap_or(text);
        let e = match parse::<T>(current, path) {
            Ok(value) => {
                return Parsed {
                    value: Some(value),
                    errors,
                    stand_in_lines,
                    moved_lines,
                };
            }
            Err(mut e) => {
                if e.line.is_some_and(|l| moved_lines.contains(&l)) {
                    e.column = None;
                }
                e
            }
        };
        let stop = |errors: Vec<InputError>, stand_in_lines: Vec<u64>| Parsed {
            value: None,
            errors,
            stand_in_lines,
            moved_lines: Vec::new(),
        };
        // A missing field that a removed misspelling meant is explained
        // by its "did you mean" already.
        let meant = |name: &str| {
            errors
                .iter()
                .any(|u| u.hint.as_deref() == Some(format!("did you mean `{name}`?").as_str()))
        };
        if e.message.contains("missing field `") && e.field.as_deref().is_some_and(meant) {
            return stop(errors, stand_in_lines);
        }
        let unknown = e
            .message
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next())
            .map(str::to_string);
        let suggested = e
            .hint
            .as_deref()
            .and_then(|h| h.strip_prefix("did you mean `"))
            .and_then(|r| r.split('`').next())
            .map(str::to_string);
        let (line, column) = (e.line.map(|l| l as usize), e.column.map(|c| c as usize));
        errors.push(e);
        if errors.len() >= MAX_PARSE_ERRORS {
            return stop(errors, stand_in_lines);
        }
        let last = errors.last().expect("just pushed");
        let next = match (unknown, line) {
            (Some(name), Some(l)) => {
                let renamed = suggested
                    .and_then(|m| super::recover::rename_key(current, l, column, &name, &m));
                if renamed.is_some() {
                    moved_lines.push(l as u64);
                }
                renamed.or_else(|| super::recover::remove_key(current, l, column, &name))
            }
            (None, Some(l)) if last.message.contains("at a different indentation") => {
                moved_lines.push(l as u64);
                last.hint
                    .as_deref()
                    .and_then(|h| h.rsplit("line ").next())
                    .and_then(|r| r.split(' ').next())
                    .and_then(|n| n.parse().ok())
                    .and_then(|like| super::recover::reindent(current, l, like))
            }
            (None, Some(l)) => {
                let replaced = super::recover::stand_in(&last.message).and_then(|s| {
                    super::recover::replace_value(current, l, column?, last.field.as_deref(), s)
                });
                if replaced.is_some() {
                    stand_in_lines.push(l as u64);
                }
                replaced
            }
            _ => None,
        };
        match next {
            Some(t) if t != current => edited = Some(t),
            _ => return stop(errors, stand_in_lines),
        }
    }
}

/// Cleans a serde message and adds a "did you mean" for unknown fields.
fn explain(raw: &str) -> (String, Option<String>) {
    // Drop a trailing " at line X column Y" that the location already gives.
    let message = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    };
    if let Some(start) = message.find("unknown field `") {
        let rest = &message[start + "unknown field `".len()..];
        if let Some(end) = rest.find('`') {
            let unknown = &rest[..end];
            // Capitalised aliases (`Awareness`) are accepted, but suggest
            // the field's own name.
            let names = expected_names(&rest[end + 1..]);
            let expected: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| {
                    !n.chars().any(char::is_uppercase)
                        || !names.contains(&n.to_lowercase().as_str())
                })
                .collect();
            let hint = match super::suggest(unknown, expected.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None if !expected.is_empty() => format!(
                    "the fields allowed here are {}",
                    expected
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => "remove the field".to_string(),
            };
            return (format!("unknown field `{unknown}`"), Some(hint));
        }
    }
    if let Some(start) = message.find("unknown variant `") {
        let rest = &message[start + "unknown variant `".len()..];
        if let Some(end) = rest.find('`') {
            let unknown = &rest[..end];
            let expected = expected_names(&rest[end + 1..]);
            if let Some(best) = super::suggest(unknown, expected.iter().copied()) {
                return (message.clone(), Some(format!("did you mean `{best}`?")));
            }
        }
    }
    // serde-saphyr's advice on options is for programmers, not users.
    let message = match message.find(", set DuplicateKeyPolicy") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    if let Some(friendly) = friendly(&message) {
        return friendly;
    }
    let hint = if message.contains("invalid type") && message.contains("expected f64") {
        Some("write a plain number, e.g. 42000 (no units, no thousands separators)".to_string())
    } else if message.contains("duplicate") {
        Some("each key may appear once; remove or merge the repeated one".to_string())
    } else {
        None
    };
    (message, hint)
}

/// Plain-language versions of the parser's terse messages.
fn friendly(message: &str) -> Option<(String, Option<String>)> {
    let m = message.trim();
    let plain_number =
        "write a plain number, e.g. 42000 or 0.058 (no units, %, or thousands separators)";
    let quantity = "expected a number or a distribution";
    Some(match m {
        _ if m.starts_with("invalid type: string \"") && m.contains(quantity) => {
            let text = m["invalid type: string \"".len()..].split('"').next().unwrap_or("");
            let hint = match text.strip_suffix('%').map(|p| p.trim().parse::<f64>()) {
                Some(Ok(percent)) => format!(
                    "rates are fractions of 1: write {} for {text}",
                    super::check::fraction_of_percent(percent)
                ),
                _ => plain_number.to_string(),
            };
            (format!("expected a number, got the text \"{text}\""), Some(hint))
        }
        _ if m.starts_with("invalid type: sequence") && m.contains(quantity) => (
            "expected a number (or a distribution such as `{ dist: normal, mean: 0.05, sd: 0.01 }`), got a list".into(),
            None,
        ),
        _ if m.starts_with("invalid floating point") || m.starts_with("invalid integer") => {
            ("expected a number".into(), Some(plain_number.into()))
        }
        _ if m.starts_with("invalid boolean") => ("expected true or false".into(), None),
        _ if m.starts_with("expected mapping start") => {
            ("expected a mapping of `key: value` pairs here".into(), None)
        }
        _ if m.starts_with("expected sequence start") => {
            ("expected a list here, e.g. `[a, b]`".into(), None)
        }
        _ if m.starts_with("expected string scalar") => (
            "expected a single value here, not a list or mapping".into(),
            None,
        ),
        _ if m.contains("budget breached") && m.contains("Documents") => (
            "a scenario file holds one YAML document".into(),
            Some(
                "remove the `---` separator and what follows it, or split it into two files".into(),
            ),
        ),
        _ if m.contains("budget breached") && m.contains("Alias") => (
            "too many aliases: the limit is 1,000 `*alias` references (YAML bomb protection)"
                .into(),
            None,
        ),
        _ if m.contains("budget breached") && (m.contains("Depth") || m.contains("depth")) => {
            ("the file nests deeper than 64 levels".into(), None)
        }
        _ if m.contains("budget breached") && m.contains("Events") => (
            "the file holds more than 1,000,000 YAML values, the most a scenario file may (a limit against files too large to read)".into(),
            Some(
                "put a large roster in a CSV file and name it with `creators_csv`: rows are read one at a time"
                    .into(),
            ),
        ),
        _ if m.contains("budget breached") => (
            format!(
                "the file exceeds a parsing limit ({})",
                m.trim_start_matches("budget breached: ")
            ),
            None,
        ),
        _ if m.starts_with("duplicate mapping key") => (
            "duplicate key".into(),
            Some("each key may appear once; remove or merge the repeated one".into()),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod past_unknown_tests {
    use super::*;
    use crate::scenario::raw::RawScenario;

    fn errors(text: &str) -> Vec<String> {
        parse_past_errors::<RawScenario>(text, Path::new("s.yaml"))
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.line.unwrap_or(0), e.message))
            .collect()
    }

    #[test]
    fn every_misspelt_block_key_is_reported_in_one_run() {
        let text = "budget: 1\ngoal: { weights: { awareness: 1 } }\nlimits:\n  max_creator: 3\n  \
                    tier_shares:\n    mega: { max: 0.5 }\ncreators:\n  - handle: a\n    \
                    followers: 10\n    price_per_post: 1\n    nich: [x]\n";
        assert_eq!(
            errors(text),
            [
                "4: unknown field `max_creator`",
                "5: unknown field `tier_shares`",
                "11: unknown field `nich`"
            ]
        );
    }

    #[test]
    fn a_misspelt_key_is_read_as_the_field_it_meant() {
        // `folowers` meant `followers`: its absence is not reported, and
        // its value is read (here: the wrong type, reported too).
        let meant = "budget: 1\ngoal: { weights: { awareness: 1 } }\ncreators:\n  - handle: a\n    \
                     folowers: ten\n    price_per_post: 1\n";
        assert_eq!(
            errors(meant),
            [
                "5: unknown field `folowers`",
                "5: expected a number, got the text \"ten\""
            ]
        );
    }

    #[test]
    fn flow_mapping_keys_and_wrong_types_are_read_past() {
        let text = "budget: 1\ngoal: { weights: { awarenes: 1 } }\nlimits:\n  max_creators: ten\n\
                    creators:\n  - { handle: a, zzz: 3, followers: 2k, price_per_post: 1, require: maybe }\n";
        assert_eq!(
            errors(text),
            [
                "2: unknown field `awarenes`",
                "4: expected a number",
                "6: unknown field `zzz`",
                "6: expected a number, got the text \"2k\"",
                "6: expected true or false"
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        followers: f64,
        handle: Option<String>,
    }

    #[test]
    fn unknown_field_gets_a_suggestion_and_a_line() {
        let error = parse::<Small>("followers: 3\nfolowers: 4\n", Path::new("s.yaml")).unwrap_err();
        assert_eq!(error.line, Some(2));
        assert_eq!(error.field.as_deref(), Some("folowers"));
        assert_eq!(error.hint.as_deref(), Some("did you mean `followers`?"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let error =
            parse::<Small>("followers: 3\nfollowers: 4\n", Path::new("s.yaml")).unwrap_err();
        assert!(error.message.contains("duplicate"), "{error}");
    }

    #[test]
    fn wrong_type_names_the_line() {
        let error =
            parse::<Small>("handle: x\nfollowers: lots\n", Path::new("s.yaml")).unwrap_err();
        assert_eq!(error.line, Some(2), "{error}");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let result = parse::<serde_json::Value>(&text, Path::new("bomb.yaml"));
        assert!(result.is_err());
    }
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn endless_devices_stop_at_the_size_limit() {
        // /dev/zero reports a size of 0 and never ends; it must be refused,
        // not read until memory runs out.
        let error = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(
            error.message.contains("limit") || error.message.contains("NUL"),
            "{error}"
        );
    }

    /// Too many values for one file: the limit in words, under no field,
    /// with the way out (a CSV roster), never the parser's own structures.
    #[test]
    fn too_many_values_are_refused_in_words() {
        let text = format!(
            "budget: 5000\ngoal: {{ weights: {{ awareness: 1 }} }}\ncreators: [{}]\n",
            "{ handle: a, followers: 1, price_per_post: 1 },".repeat(130_000)
        );
        let error =
            parse::<crate::scenario::raw::RawScenario>(&text, Path::new("big.yaml")).unwrap_err();
        assert!(
            error.message.contains("more than 1,000,000 YAML values"),
            "{error}"
        );
        assert!(!error.message.contains("Events"), "{error}");
        assert_eq!(error.field, None);
        assert!(error.hint.unwrap().contains("creators_csv"));
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, "\u{feff}budget: 1\n").unwrap();
        assert_eq!(read_text(&path).unwrap(), "budget: 1\n");
    }
}
