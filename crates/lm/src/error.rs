//! The one error type of the crate, [`LmError`]: a kind, and the file it is
//! about where there is one. Every kind prints as one line (`FILE: problem`),
//! which is what a front end shows the user.

use cardlm_files::WriteError;
use std::path::{Path, PathBuf};

/// What went wrong in the language model's code, by kind.
///
/// Errors found in bytes before their file is known (a safetensors buffer, a
/// vocabulary's JSON) carry `path: None`; the function that read the file
/// names it with [`LmError::in_file`].
#[derive(Debug, thiserror::Error)]
pub enum LmError {
    /// Reading (or opening) a file failed. The I/O error is in the message
    /// rather than a `source()`, so that a front end printing the chain of
    /// causes (`{:#}`) still prints one line without repeating it.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Writing a file or directory failed (nothing was left half-written).
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A file's content is not what it must be: not the format, a missing
    /// entry, a value out of range, two files that do not belong together.
    #[error("{}{reason}", at(path))]
    Corrupt {
        path: Option<PathBuf>,
        reason: String,
    },
    /// A tensor's shape is not the one the model needs. `tensor` says which
    /// (`tensor lstm.0.kernel`, `layer lm_lstm1: lm_lstm1/kernel:0`), `why`
    /// where the expected shape comes from.
    #[error(
        "{}{tensor} has shape {got:?}, expected {expected:?} ({why})",
        at(path)
    )]
    UnexpectedShape {
        path: Option<PathBuf>,
        tensor: String,
        expected: Vec<usize>,
        got: Vec<usize>,
        why: String,
    },
    /// A weight is NaN or infinite: such a model would only ever sample the
    /// padding symbol (empty cards judged "novel").
    #[error(
        "{}tensor {tensor} holds {value} at index {index}: the weights are broken \
         (a diverged training run?)",
        at(path)
    )]
    NotFinite {
        path: Option<PathBuf>,
        tensor: String,
        value: f32,
        index: usize,
    },
    /// A parameter block of the wrong length for its architecture.
    #[error("{given} parameters given, the architecture has {expected}")]
    ParameterCount { given: usize, expected: usize },
    /// An option (a command-line flag, a request field, an environment
    /// variable) out of its range.
    #[error("{option} {reason}")]
    InvalidOption { option: String, reason: String },
    /// A named value that is not one of the known ones.
    #[error("unknown {what} {value:?} (expected {expected})")]
    UnknownValue {
        what: &'static str,
        value: String,
        expected: &'static str,
    },
    /// This processor lacks what an option asks for.
    #[error("{what}: {reason}")]
    Unsupported { what: String, reason: String },
    /// Another process holds the run directory's lock.
    #[error(
        "{}: another cardlm process{} is using this run directory; \
         wait for it to finish or stop it first",
        dir.display(),
        holder.as_deref().map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Locked {
        dir: PathBuf,
        holder: Option<String>,
    },
    /// Training stopped because the loss or the gradient stopped being finite.
    #[error(
        "the loss became {loss} (gradient norm {grad_norm}) at epoch {epoch}, batch {batch}: \
         stopped; the last good state is kept in {} (try a lower --learning-rate or --clip-norm)",
        dir.display()
    )]
    Diverged {
        loss: f64,
        grad_norm: f32,
        /// Counted from 1.
        epoch: usize,
        /// Counted from 1.
        batch: usize,
        dir: PathBuf,
    },
    /// A request that would not fit in memory.
    #[error("{0}")]
    OutOfMemory(String),
    /// Characters of a corpus that a model's vocabulary lacks.
    #[error("the vocabulary lacks the characters {0:?}")]
    MissingCharacters(String),
}

/// `"FILE: "`, or nothing when the file is not known.
fn at(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| format!("{}: ", p.display()))
        .unwrap_or_default()
}

impl LmError {
    /// A failed read of `path`.
    pub fn io(path: impl AsRef<Path>, error: std::io::Error) -> Self {
        LmError::Io {
            path: path.as_ref().to_path_buf(),
            error,
        }
    }

    /// Bad content in `path`.
    pub fn corrupt(path: impl AsRef<Path>, reason: impl Into<String>) -> Self {
        LmError::Corrupt {
            path: Some(path.as_ref().to_path_buf()),
            reason: reason.into(),
        }
    }

    /// Bad content in bytes whose file the caller names (see [`LmError::in_file`]).
    pub fn format(reason: impl Into<String>) -> Self {
        LmError::Corrupt {
            path: None,
            reason: reason.into(),
        }
    }

    /// An option out of range: `option` as the user writes it (`--max-len`),
    /// `reason` the rest of the sentence (`must be at least 2`).
    pub fn invalid_option(option: impl Into<String>, reason: impl Into<String>) -> Self {
        LmError::InvalidOption {
            option: option.into(),
            reason: reason.into(),
        }
    }

    /// The error with its file named, where it did not name one yet. Any
    /// other error (an option, a lock, an error already naming its file)
    /// as it is.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        match &mut self {
            LmError::Corrupt { path, .. }
            | LmError::UnexpectedShape { path, .. }
            | LmError::NotFinite { path, .. }
                if path.is_none() =>
            {
                *path = Some(file.as_ref().to_path_buf());
            }
            LmError::ParameterCount { .. } => {
                self = LmError::corrupt(file, self.to_string());
            }
            _ => {}
        }
        self
    }

    /// The file this error is about, if it names one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            LmError::Io { path, .. } => Some(path),
            LmError::Write(e) => Some(&e.path),
            LmError::Corrupt { path, .. }
            | LmError::UnexpectedShape { path, .. }
            | LmError::NotFinite { path, .. } => path.as_deref(),
            LmError::Locked { dir, .. } | LmError::Diverged { dir, .. } => Some(dir),
            _ => None,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = LmError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_found_in_bytes_get_their_file_once() {
        let e = LmError::format("not a safetensors file").in_file("a/model.safetensors");
        assert_eq!(e.to_string(), "a/model.safetensors: not a safetensors file");
        assert_eq!(e.path(), Some(Path::new("a/model.safetensors")));
        // A second file does not replace the first.
        let e = e.in_file("b");
        assert_eq!(e.to_string(), "a/model.safetensors: not a safetensors file");
    }

    #[test]
    fn a_shape_error_names_the_tensor_both_shapes_and_why() {
        let e = LmError::UnexpectedShape {
            path: None,
            tensor: "tensor embedding".into(),
            expected: vec![4, 3],
            got: vec![5, 3],
            why: "the model's config.json needs it".into(),
        }
        .in_file("m.safetensors");
        assert_eq!(
            e.to_string(),
            "m.safetensors: tensor embedding has shape [5, 3], expected [4, 3] \
             (the model's config.json needs it)"
        );
    }

    #[test]
    fn a_parameter_count_gets_a_file_when_one_is_known() {
        let e = LmError::ParameterCount {
            given: 3,
            expected: 4,
        };
        assert_eq!(e.to_string(), "3 parameters given, the architecture has 4");
        let e = e.in_file("w.h5");
        assert_eq!(
            e.to_string(),
            "w.h5: 3 parameters given, the architecture has 4"
        );
    }

    #[test]
    fn every_kind_prints_as_one_line() {
        let all = [
            LmError::io("f", std::io::Error::other("broken")),
            LmError::corrupt("f", "bad"),
            LmError::invalid_option("--max-len", "must be at least 2"),
            LmError::Locked {
                dir: "run".into(),
                holder: Some("12".into()),
            },
            LmError::MissingCharacters("xy".into()),
        ];
        for e in all {
            assert_eq!(e.to_string().lines().count(), 1, "{e}");
            // No cause to print a second time after the message.
            assert!(std::error::Error::source(&e).is_none(), "{e}");
        }
    }
}
