//! The one error type of the crate: which file, and what is wrong with it.

use std::path::{Path, PathBuf};

/// An input or output problem, shown to the user as one line: `FILE: problem`.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct Error {
    pub path: PathBuf,
    pub message: String,
}

impl Error {
    pub fn new(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error {
            path: path.as_ref().to_path_buf(),
            message: message.into(),
        }
    }

    /// An I/O error on `path`, phrased for a user ("no such file" rather than `os error 2`).
    pub fn io(path: impl AsRef<Path>, err: &std::io::Error) -> Self {
        let message = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::UnexpectedEof => {
                "truncated: the data ends before the compressed stream does".to_owned()
            }
            _ => err.to_string(),
        };
        Error::new(path, message)
    }
}

impl From<cardlm_files::WriteError> for Error {
    fn from(e: cardlm_files::WriteError) -> Self {
        Error {
            path: e.path,
            message: e.message,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
