//! Reading YAML files safely: size limits, encodings, and errors that point
//! at the file, line and field, with a suggestion where one is obvious.

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
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::file(path, format!("cannot read the file: {}", io_reason(&e))))?;
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
    if text.trim().is_empty() {
        return Err(InputError::file(path, "the file is empty"));
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
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| from_yaml_error(&e, path))
}

/// Turns a YAML or serde error into an [`InputError`] with position, field and hint.
fn from_yaml_error(error: &serde_saphyr::Error, path: &Path) -> InputError {
    let location = error.location();
    let raw = error.without_snippet().to_string();
    let (message, hint) = explain(&raw);
    InputError {
        file: path.to_path_buf(),
        line: location.map(|l| l.line()).filter(|&l| l > 0),
        column: location.map(|l| l.column()).filter(|&c| c > 0),
        field: field_of(&raw),
        message,
        hint,
    }
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
            let expected = expected_names(&rest[end + 1..]);
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
    let hint = if message.contains("invalid type") && message.contains("expected f64") {
        Some("write a plain number, e.g. 42000 (no units, no thousands separators)".to_string())
    } else if message.contains("duplicate") {
        Some("each key may appear once; remove or merge the repeated one".to_string())
    } else {
        None
    };
    (message, hint)
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
