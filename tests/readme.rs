//! The README against the tool: every `text` block of README.md is a
//! command's output, opened by the command itself (`$ creatormix …` or
//! `$ cargo run --release -- …`). Each block's command is run here, and each
//! line of the block must be a line of its output, in the same order (an
//! excerpt may leave lines out). Within a line, `...` stands for text left
//! out, and wall-clock figures (`0.05 s`) and thread counts match any value:
//! nothing else may differ, so a figure in the README is a figure the tool
//! prints.
//!
//! The README shows the default build (its commands are `cargo run
//! --release`); with HiGHS compiled in, a solve may be settled by another
//! solver and name it, so these tests run on the default build only.
#![cfg(not(feature = "highs"))]

use std::path::Path;
use std::process::Command;

/// One `text` block: the line it starts on, its command, its other lines.
struct Excerpt {
    line: usize,
    command: String,
    lines: Vec<String>,
}

/// The README's `text` blocks, each checked to open with its command.
fn excerpts(readme: &str) -> Vec<Excerpt> {
    let mut out = Vec::new();
    let mut lines = readme.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(lang) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .map(|(_, l)| l)
            .take_while(|l| !l.starts_with("```"))
            .collect();
        match lang.trim() {
            "text" => {}
            "" => panic!(
                "README.md:{}: a block without a language: mark output `text` (with its command) or code `yaml`/`sh`",
                i + 1
            ),
            _ => continue,
        }
        let command = body
            .first()
            .and_then(|l| l.strip_prefix("$ "))
            .unwrap_or_else(|| {
                panic!(
                    "README.md:{}: a `text` block opens with `$ COMMAND`, the command whose output it shows",
                    i + 1
                )
            });
        out.push(Excerpt {
            line: i + 1,
            command: command.to_string(),
            lines: body[1..].iter().map(|l| l.to_string()).collect(),
        });
    }
    out
}

/// Wall-clock figures and thread counts as placeholders: `0.05 s` → `# s`,
/// `2 threads` → `# threads`.
fn normalise(line: &str) -> String {
    let line = line.trim_end();
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_number =
            chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric());
        if starts_number {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                j += 1;
            }
            let rest: String = chars[j..].iter().collect();
            let unit = [" s", " threads"].into_iter().find(|u| {
                rest.starts_with(u)
                    && rest[u.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            });
            if let Some(unit) = unit {
                out.push('#');
                out.push_str(unit);
                i = j + unit.chars().count();
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Whether an output line matches an excerpt line (`...` is any text).
fn matches(expected: &str, actual: &str) -> bool {
    let (expected, actual) = (normalise(expected), normalise(actual));
    let pieces: Vec<&str> = expected.split("...").collect();
    if pieces.len() == 1 {
        return expected == actual;
    }
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !actual.starts_with(first) || !actual.ends_with(last) {
        return false;
    }
    let mut at = first.len();
    for piece in &pieces[1..pieces.len() - 1] {
        match actual[at..].find(piece) {
            Some(k) => at += k + piece.len(),
            None => return false,
        }
    }
    at <= actual.len() - last.len()
}

/// The command's arguments, or `None` for a command this build cannot run
/// (one that needs HiGHS without the `highs` feature).
fn arguments(command: &str) -> Option<Vec<String>> {
    let rest = command
        .strip_prefix("cargo run --release -- ")
        .or_else(|| command.strip_prefix("creatormix "))
        .unwrap_or_else(|| panic!("`{command}` is not a creatormix command"));
    assert!(
        !rest.contains(['"', '\'', '|', '>', '<']),
        "`{command}`: quotes and redirections are not run here"
    );
    let args: Vec<String> = rest.split_whitespace().map(String::from).collect();
    let needs_highs = args
        .windows(2)
        .any(|w| w[0] == "--solver" && w[1] == "highs");
    (!needs_highs || cfg!(feature = "highs")).then_some(args)
}

#[test]
fn every_readme_excerpt_is_the_output_of_its_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let excerpts = excerpts(&readme);
    assert!(excerpts.len() >= 8, "{} excerpts", excerpts.len());
    let mut failures = Vec::new();
    for excerpt in &excerpts {
        let Some(args) = arguments(&excerpt.command) else {
            continue;
        };
        let output = Command::new(env!("CARGO_BIN_EXE_creatormix"))
            .args(&args)
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .expect("the binary runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let actual: Vec<&str> = text.lines().collect();
        let mut at = 0;
        for (k, expected) in excerpt.lines.iter().enumerate() {
            match actual[at..].iter().position(|a| matches(expected, a)) {
                Some(p) => at += p + 1,
                None => {
                    failures.push(format!(
                        "README.md:{}: `{}` does not print (in this order)\n  {expected}\nIts output:\n{text}",
                        excerpt.line + 2 + k,
                        excerpt.command
                    ));
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn excerpt_lines_match_as_documented() {
    assert!(matches(
        "status optimal | objective 0.966365 (weights) | bnb 0.001 s",
        "status optimal | objective 0.966365 (weights) | bnb 0.013 s"
    ));
    assert!(!matches(
        "status optimal | objective 0.966365 (weights) | bnb 0.001 s",
        "status optimal | objective 0.966366 (weights) | bnb 0.001 s"
    ));
    assert!(matches(
        "20000 samples in 0.05 s on 2 threads",
        "20000 samples in 1.20 s on 16 threads"
    ));
    assert!(matches(
        "plan: @a (1 post), ... @z (1 post)",
        "plan: @a (1 post), @b (2 posts), @z (1 post)"
    ));
    assert!(!matches(
        "plan: @a (1 post), ... @z (1 post)",
        "plan: @a (1 post), @b (2 posts)"
    ));
    assert!(!matches("ab...ba", "aba"));
    // A figure in seconds that is not a time is still a figure: only a
    // number standing alone before ` s` is a time.
    assert!(!matches("x 1.5 s", "x 1.5 seconds"));
}

/// Whether `word` appears in `text` as a whole word (not inside a longer
/// identifier).
fn has_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// The README's table of fields names every field of the scenario format,
/// as the JSON schema the tool writes lists them.
#[test]
fn the_readme_names_every_field_of_the_format() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find("### Every field and its default")
        .expect("the README has its table of fields");
    let end = readme[start + 4..]
        .find("\n#")
        .map_or(readme.len(), |k| start + 4 + k);
    let section = &readme[start..end];
    let output = Command::new(env!("CARGO_BIN_EXE_creatormix"))
        .arg("schema")
        .output()
        .expect("the binary runs");
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON schema");
    let mut names = Vec::new();
    let mut collect = |node: &serde_json::Value| {
        if let Some(props) = node.get("properties").and_then(|p| p.as_object()) {
            names.extend(props.keys().cloned());
        }
    };
    collect(&schema);
    for def in schema["definitions"]
        .as_object()
        .expect("definitions")
        .values()
    {
        collect(def);
    }
    names.sort();
    names.dedup();
    assert!(names.len() > 40, "{names:?}");
    let missing: Vec<&String> = names.iter().filter(|n| !has_word(section, n)).collect();
    assert!(
        missing.is_empty(),
        "fields missing from the README's table: {missing:?}"
    );
}
