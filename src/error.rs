//! Errors a user can cause or meet, each with its exit code (INTERFACE.md).

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the user's input, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
    /// The field (a path like `creators[2].engagement_rate`), when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is an obvious fix.
    pub hint: Option<String>,
}

impl InputError {
    /// A problem with a whole file (unreadable, empty, too large...).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a suggested fix.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Everything that can stop a command, mapped to the exit codes of INTERFACE.md.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is invalid (exit 2). Holds every problem found, in file order.
    #[error("{}", format_input_errors(.0))]
    Input(Vec<InputError>),
    /// Invalid command-line usage (exit 2).
    #[error("{0}")]
    Usage(String),
    /// No plan satisfies the constraints (exit 1); the text says which conflict.
    #[error("the scenario is infeasible: {0}")]
    Infeasible(String),
    /// A limit (time, or nodes) was reached before any plan was found (exit
    /// 3, status `no_plan`).
    #[error("no plan found within {limit}{hint}")]
    NoPlan {
        /// The limit that was reached, in words ("the time limit of 3 s").
        limit: String,
        /// A hint on how to get a plan (a faster solver, a longer limit).
        hint: String,
    },
    /// The solver failed (exit 3).
    #[error("solver failure: {0}")]
    Solver(String),
    /// A plan broke a constraint when re-checked independently (exit 3): never printed as a plan.
    #[error("the solver returned a plan that fails the independent check: {0}")]
    Check(String),
    /// The user stopped the run (Ctrl-C) before it finished; nothing was
    /// written (exit 130, the shell's code for a run ended by SIGINT).
    #[error("interrupted: the run was stopped before it finished, and nothing was written")]
    Interrupted,
    /// Writing the output failed (exit 2).
    #[error("cannot write {path}: {message}")]
    Output {
        /// The file that could not be written.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

fn format_input_errors(errors: &[InputError]) -> String {
    let mut text = String::new();
    for (i, error) in errors.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&error.to_string());
    }
    if errors.len() > 1 {
        text.push_str(&format!("\n{} problems found", errors.len()));
    }
    text
}

impl Error {
    /// The process exit code for this error (INTERFACE.md).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Infeasible(_) => 1,
            Error::Input(_) | Error::Usage(_) | Error::Output { .. } => 2,
            Error::NoPlan { .. } | Error::Solver(_) | Error::Check(_) => 3,
            Error::Interrupted => 130,
        }
    }

    /// The status word for machine-readable output.
    pub fn status(&self) -> &'static str {
        match self {
            Error::Infeasible(_) => "infeasible",
            Error::NoPlan { .. } => "no_plan",
            Error::Interrupted => "interrupted",
            _ => "error",
        }
    }
}

/// A time limit in words, as [`Error::NoPlan`] names it.
pub fn time_limit(seconds: f64) -> String {
    format!("the time limit of {seconds} s")
}

impl From<InputError> for Error {
    fn from(error: InputError) -> Self {
        Error::Input(vec![error])
    }
}
