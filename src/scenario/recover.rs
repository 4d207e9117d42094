//! Reading on past a YAML error: the edit of the text that lets the parser
//! go on, so that one run reports every mistake. A misspelt key is renamed
//! to the field it meant (so its value is checked too, and its field is not
//! reported missing), an unknown key is removed with its value, and a value
//! of the wrong type is replaced by a stand-in of the right one. Edits keep
//! every line where it was; the caller drops later problems on a line whose
//! value was replaced, which the stand-in caused.

/// The line (1-based) of `text`, split on `\n` only, so that joining keeps the text.
fn lines(text: &str) -> Vec<&str> {
    text.split('\n').collect()
}

/// The byte offset of a 1-based character column in a line.
fn byte_at(line: &str, column: usize) -> Option<usize> {
    let index = column.checked_sub(1)?;
    line.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(line.len()))
        .nth(index)
}

/// The key's text at `at` in a line, quotes included, if it is `name`.
fn key_span(line: &str, at: usize, name: &str) -> Option<(usize, usize)> {
    let rest = &line[at..];
    for quote in ["", "\"", "'"] {
        let written = format!("{quote}{name}{quote}");
        if rest.starts_with(&written) && rest[written.len()..].trim_start().starts_with(':') {
            return Some((at, at + written.len()));
        }
    }
    None
}

/// Where a key `name` starts on a line: at the 1-based `column` if it is
/// there, else where the line's first key is (a block key, or a list
/// item's first key after `- `).
fn find_key(line: &str, column: Option<usize>, name: &str) -> Option<(usize, usize)> {
    if let Some(at) = column.and_then(|c| byte_at(line, c))
        && let Some(span) = key_span(line, at, name)
    {
        return Some(span);
    }
    let body = line.trim_start();
    let mut at = line.len() - body.len();
    if let Some(item) = body.strip_prefix("- ") {
        at += 2 + (item.len() - item.trim_start().len());
    }
    key_span(line, at, name)
}

/// Whether the mapping the key on `line` belongs to already has `name`: on
/// the same line (a flow mapping), or as a block key at the same indentation
/// in the lines around it.
fn has_sibling(all: &[&str], line: usize, start: usize, name: &str) -> bool {
    let own = all[line];
    let is_key = |l: &str, at: usize| key_span(l, at, name).is_some();
    if own.contains('{') {
        return own
            .match_indices(name)
            .any(|(at, _)| at != start && is_key(own, at));
    }
    let indent = start;
    let same_block = |l: &str| {
        let t = l.trim_start();
        t.is_empty() || t.starts_with('#') || l.len() - t.len() >= indent
    };
    let mut around = Vec::new();
    let mut i = line;
    while i > 0 && same_block(all[i - 1]) && !all[i - 1].trim_start().starts_with("- ") {
        i -= 1;
        around.push(i);
    }
    // The list item's own line starts the block.
    if i > 0 && all[i - 1].trim_start().starts_with("- ") {
        around.push(i - 1);
    }
    let mut j = line + 1;
    while j < all.len() && same_block(all[j]) && !all[j].trim_start().starts_with("- ") {
        around.push(j);
        j += 1;
    }
    around.into_iter().any(|k| {
        let l = all[k];
        let t = l.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let at = l.len() - t.len();
        at == indent && is_key(l, at)
    })
}

/// The text with the unknown key `name` on `line` renamed to `meant`, when
/// its mapping does not have that field already.
pub(super) fn rename_key(
    text: &str,
    line: usize,
    column: Option<usize>,
    name: &str,
    meant: &str,
) -> Option<String> {
    let mut all = lines(text);
    let at = line.checked_sub(1)?;
    let (start, end) = find_key(all.get(at)?, column, name)?;
    if has_sibling(&all, at, start, meant) {
        return None;
    }
    let renamed = format!("{}{meant}{}", &all[at][..start], &all[at][end..]);
    all[at] = &renamed;
    Some(all.join("\n"))
}

/// Where a flow value starting at byte `at` of a line ends: before the `,`,
/// `}` or `]` that closes it at its own depth, or at a comment or the end of
/// the line; none if it runs on to the next line.
fn value_end(line: &str, at: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut i = at;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return Some(i),
                b'}' | b']' => depth -= 1,
                b',' if depth == 0 => return Some(i),
                b'#' if i > 0 && bytes[i - 1] == b' ' && depth == 0 => return Some(i),
                _ => {}
            },
        }
        i += 1;
    }
    (depth == 0 && quote.is_none()).then_some(bytes.len())
}

/// The text with the entry `name: value` on `line` removed: a block key
/// with what is nested under it, or a flow mapping's entry with its comma.
/// Removed text becomes blank, so no line moves.
pub(super) fn remove_key(
    text: &str,
    line: usize,
    column: Option<usize>,
    name: &str,
) -> Option<String> {
    let mut all = lines(text);
    let at = line.checked_sub(1)?;
    let own = *all.get(at)?;
    let (start, key_end) = find_key(own, column, name)?;
    let body = own.trim_start();
    let indent = own.len() - body.len();
    let block = start == indent && !body.starts_with('{');
    if block {
        // The key and every line nested deeper under it.
        let mut end = at + 1;
        while end < all.len() {
            let l = all[end];
            let t = l.trim_start();
            if !t.is_empty() && !t.starts_with('#') && l.len() - t.len() <= indent {
                break;
            }
            end += 1;
        }
        for l in all.iter_mut().take(end).skip(at) {
            *l = "";
        }
        return Some(all.join("\n"));
    }
    // A flow entry: from the key to the end of its value, and one comma.
    let colon = key_end + own[key_end..].find(':')?;
    let mut end = value_end(own, colon + 1)?;
    let mut begin = start;
    if own[end..].starts_with(',') {
        end += 1;
    } else if let Some(comma) = own[..start].trim_end().strip_suffix(',') {
        begin = comma.len();
    }
    let blanked = format!(
        "{}{}{}",
        &own[..begin],
        " ".repeat(own[begin..end].chars().count()),
        &own[end..]
    );
    all[at] = &blanked;
    Some(all.join("\n"))
}

/// The text with `line` (1-based) indented as the key on line `like` is.
pub(super) fn reindent(text: &str, line: usize, like: usize) -> Option<String> {
    let mut all = lines(text);
    let model = *all.get(like.checked_sub(1)?)?;
    let body = model.trim_start();
    let mut indent = model.len() - body.len();
    if body.starts_with("- ") {
        indent += 2;
    }
    let at = line.checked_sub(1)?;
    let moved = format!("{}{}", " ".repeat(indent), all.get(at)?.trim_start());
    all[at] = &moved;
    Some(all.join("\n"))
}

/// A stand-in for a value of the wrong type, by what the parser expected
/// (as its message says it), if the value can be replaced.
pub(super) fn stand_in(message: &str) -> Option<&'static str> {
    Some(if message.starts_with("expected a number") {
        ".nan"
    } else if message.starts_with("expected true or false") {
        "false"
    } else if message.starts_with("expected a single value") {
        "\"\""
    } else if message.starts_with("expected a list") {
        "[]"
    } else if message.starts_with("expected a mapping") {
        "{}"
    } else {
        return None;
    })
}

/// The text with the value at `line`, `column` (1-based) replaced by
/// `stand_in`; none if the value does not end on its line. The position
/// may be the value's or its key's (`key`), as the parser gives it.
pub(super) fn replace_value(
    text: &str,
    line: usize,
    column: usize,
    key: Option<&str>,
    stand_in: &str,
) -> Option<String> {
    let mut all = lines(text);
    let at = line.checked_sub(1)?;
    let own = *all.get(at)?;
    let mut start = byte_at(own, column)?;
    if let Some((_, end)) = key.and_then(|k| key_span(own, start, k)) {
        let colon = end + own[end..].find(':')? + 1;
        start = colon + (own[colon..].len() - own[colon..].trim_start().len());
    }
    let end = value_end(own, start)?;
    if end <= start {
        return None;
    }
    let old = own[start..end].trim_end();
    let replaced = format!("{}{stand_in}{}", &own[..start], &own[start + old.len()..]);
    all[at] = &replaced;
    Some(all.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_is_renamed_where_its_mapping_lacks_the_field() {
        let text = "a:\n  - handle: x\n    folowers: 3\n    price: 1\n";
        assert_eq!(
            rename_key(text, 3, Some(5), "folowers", "followers").as_deref(),
            Some("a:\n  - handle: x\n    followers: 3\n    price: 1\n")
        );
        let flow = "c: { handle: x, folowers: 3 }";
        assert_eq!(
            rename_key(flow, 1, Some(17), "folowers", "followers").as_deref(),
            Some("c: { handle: x, followers: 3 }")
        );
        // Not where the mapping has it already.
        let both = "c: { followers: 2, folowers: 3 }";
        assert!(rename_key(both, 1, Some(20), "folowers", "followers").is_none());
        let block = "  - followers: 2\n    folowers: 3\n";
        assert!(rename_key(block, 2, Some(5), "folowers", "followers").is_none());
    }

    #[test]
    fn an_unknown_key_is_removed_with_its_value() {
        let flow = "c: { a: 1, zz: [1, 2], b: 2 }";
        assert_eq!(
            remove_key(flow, 1, Some(12), "zz").as_deref(),
            Some("c: { a: 1,             b: 2 }")
        );
        let last = "c: { a: 1, zz: \"x, y\" }";
        assert_eq!(
            remove_key(last, 1, Some(12), "zz").as_deref(),
            Some("c: { a: 1             }")
        );
        let block = "a:\n  zz:\n    b: 1\n  c: 2\n";
        assert_eq!(
            remove_key(block, 2, None, "zz").as_deref(),
            Some("a:\n\n\n  c: 2\n")
        );
    }

    #[test]
    fn a_key_is_lined_up_with_the_one_above() {
        assert_eq!(
            reindent("  - a: 1\n    b: 2\n   c: 3", 3, 2).as_deref(),
            Some("  - a: 1\n    b: 2\n    c: 3")
        );
        assert_eq!(
            reindent("  - a: 1\n   c: 3", 2, 1).as_deref(),
            Some("  - a: 1\n    c: 3")
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_gets_a_stand_in() {
        assert_eq!(
            replace_value("  max: ten # note", 1, 8, Some("max"), ".nan").as_deref(),
            Some("  max: .nan # note")
        );
        assert_eq!(
            replace_value("{ a: 2k, b: 1 }", 1, 6, None, ".nan").as_deref(),
            Some("{ a: .nan, b: 1 }")
        );
        // At the key, as the parser reports some values.
        assert_eq!(
            replace_value("    followers: ten", 1, 5, Some("followers"), ".nan").as_deref(),
            Some("    followers: .nan")
        );
        assert_eq!(
            replace_value("  tier: [a, b]", 1, 9, None, "\"\"").as_deref(),
            Some("  tier: \"\"")
        );
        // A value running on to the next line is left alone.
        assert!(replace_value("  tier: [a,\n b]", 1, 9, None, "\"\"").is_none());
    }
}
