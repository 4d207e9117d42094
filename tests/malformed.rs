//! The catalogue of malformed inputs: every one must be refused, with a message
//! that names the file, the line and the field, and none may make the binary panic.
//!
//! Each case is one scenario file `tests/malformed/NN-short-name.yaml`, next to
//! the helper files it refers to by a relative path: a CSV roster
//! (`NN-short-name.csv`) or a market model (`NN-short-name.market.yaml`; files
//! ending in `.market.yaml` are helpers, never cases). A case file starts with
//! two comment lines:
//!
//! ```text
//! # expect-exit: 2
//! # expect: 05-budget-string.yaml:3: | `budget` | plain number
//! ```
//!
//! `expect-exit` is the exit status that both `creatormix validate FILE` and
//! `creatormix solve FILE` must end with. `expect` lists, separated by `|`,
//! substrings (case-sensitive) that their stderr must all contain: the file and
//! line (`NAME.yaml:LINE:`, as in `file:line:column: `field`: message`), the field
//! in backquotes, and the key words of the message or its hint. The two header
//! lines count, so a case's YAML starts on line 3.
//!
//! The expectations state what a user deserves to read, not what the binary
//! happens to print today: a case that fails is a bug in the binary, not in the
//! case. All failing runs are reported together, each with its expected and
//! actual output.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

/// The catalogue must keep at least this many cases.
const MIN_CASES: usize = 45;

/// Both commands are run on every case.
const COMMANDS: [&str; 2] = ["validate", "solve"];

/// A malformed input is refused in milliseconds; this only guards against a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Longest stderr or stdout excerpt quoted in a failure report, in characters.
const EXCERPT_CHARS: usize = 2_000;

/// One case of the catalogue, as its header describes it.
struct Case {
    /// File name, relative to the catalogue directory.
    file: String,
    /// Expected exit status.
    exit: i32,
    /// Substrings stderr must contain.
    expect: Vec<String>,
}

fn catalogue_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

/// The case files of the catalogue, sorted by name.
fn case_files(dir: &Path) -> Vec<String> {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut names: Vec<String> = entries
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
            entry.file_name().to_string_lossy().into_owned()
        })
        .filter(|name| name.ends_with(".yaml") && !name.ends_with(".market.yaml"))
        .collect();
    names.sort();
    names
}

/// Reads a case's header. The file is read as bytes: some cases are binary or
/// not UTF-8, but their header lines are plain ASCII.
fn read_case(dir: &Path, file: &str) -> Result<Case, String> {
    let bytes = fs::read(dir.join(file)).map_err(|e| format!("cannot read the case: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines();
    let exit = lines
        .next()
        .and_then(|line| line.strip_prefix("# expect-exit:"))
        .ok_or("the first line must be `# expect-exit: CODE`")?;
    let exit = exit
        .trim()
        .parse()
        .map_err(|e| format!("`{}` is not an exit status: {e}", exit.trim()))?;
    let expect: Vec<String> = lines
        .next()
        .and_then(|line| line.strip_prefix("# expect:"))
        .ok_or("the second line must be `# expect: TEXT | TEXT ...`")?
        .split('|')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(String::from)
        .collect();
    if expect.is_empty() {
        return Err("the `# expect:` line lists nothing".into());
    }
    Ok(Case {
        file: file.to_string(),
        exit,
        expect,
    })
}

/// Runs `creatormix COMMAND FILE` in the catalogue directory, so that messages
/// name the files as the cases do.
fn run(dir: &Path, command: &str, file: &str) -> Output {
    Command::cargo_bin("creatormix")
        .expect("the creatormix binary is built")
        .current_dir(dir)
        .args([command, file])
        .timeout(TIMEOUT)
        .output()
        .unwrap_or_else(|e| panic!("cannot run creatormix {command} {file}: {e}"))
}

/// What is wrong with one run of a case, if anything.
fn check(case: &Case, output: &Output) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut problems = Vec::new();
    if output.status.code() != Some(case.exit) {
        problems.push(format!(
            "exit status {}, expected {}",
            output
                .status
                .code()
                .map_or_else(|| format!("none ({})", output.status), |c| c.to_string()),
            case.exit
        ));
    }
    for wanted in &case.expect {
        if !stderr.contains(wanted.as_str()) {
            problems.push(format!("stderr lacks \"{wanted}\""));
        }
    }
    if stderr.contains("panicked") {
        problems.push("the binary panicked".into());
    }
    problems
}

/// Indents a stream's text for a failure report, cut to a readable length.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut cut: String = text.trim_end().chars().take(EXCERPT_CHARS).collect();
    if cut.len() < text.trim_end().len() {
        cut.push_str(" [...]");
    }
    if cut.is_empty() {
        return "    (empty)".into();
    }
    cut.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_catalogue_has_enough_cases() {
    let cases = case_files(&catalogue_dir());
    assert!(
        cases.len() >= MIN_CASES,
        "tests/malformed holds {} cases, at least {MIN_CASES} are required",
        cases.len()
    );
}

#[test]
fn every_malformed_input_is_refused_with_a_clear_message() {
    let dir = catalogue_dir();
    let files = case_files(&dir);
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let case = match read_case(&dir, file) {
            Ok(case) => case,
            Err(problem) => {
                failures.push(format!("{file}: bad header: {problem}"));
                continue;
            }
        };
        for command in COMMANDS {
            let output = run(&dir, command, &case.file);
            let problems = check(&case, &output);
            if problems.is_empty() {
                continue;
            }
            let expected: Vec<String> = case.expect.iter().map(|s| format!("\"{s}\"")).collect();
            let mut report = vec![
                format!("{file} ({command}): {}", problems.join("; ")),
                format!(
                    "  expected: exit {}; stderr containing {}",
                    case.exit,
                    expected.join(", ")
                ),
                format!("  actual stderr:\n{}", excerpt(&output.stderr)),
            ];
            if !output.stdout.is_empty() {
                report.push(format!("  actual stdout:\n{}", excerpt(&output.stdout)));
            }
            failures.push(report.join("\n"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures in {} cases (each run with {}):\n\n{}\n",
        failures.len(),
        files.len(),
        COMMANDS.join(" and "),
        failures.join("\n\n")
    );
}
