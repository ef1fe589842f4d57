//! An advisory lock on a run directory, held for the whole of a training run, so that
//! two `train` processes never race on the same files.
//!
//! `flock(2)` on `DIR/.lock`: the kernel releases it when the process ends however it
//! ends (SIGKILL included), so a stale lock file never blocks a later run; the pid
//! written into it only makes the message more useful.

use crate::error::{LmError, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file's name inside a run directory.
pub const LOCK_FILE: &str = ".lock";

/// A held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct RunLock {
    // Kept open: closing the file would release the lock.
    _file: File,
    pub path: PathBuf,
}

impl RunLock {
    /// Takes the lock of `dir` (which must exist) without waiting: a second process
    /// gets an error naming the directory and the holder's pid.
    pub fn acquire(dir: &Path) -> Result<RunLock> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| LmError::io(&path, e))?;
        try_lock(&file).map_err(|busy| {
            if busy {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                LmError::Locked {
                    dir: dir.to_path_buf(),
                    holder: (!holder.is_empty()).then(|| holder.to_string()),
                }
            } else {
                LmError::corrupt(dir, "cannot lock the run directory")
            }
        })?;
        // Our pid, for the next process's message; the lock does not depend on it.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = writeln!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(RunLock { _file: file, path })
    }
}

/// `Err(true)` when another process holds the lock, `Err(false)` on other failures.
/// The standard library's `try_lock` is `flock(LOCK_EX | LOCK_NB)` on Unix.
fn try_lock(file: &File) -> Result<(), bool> {
    file.try_lock()
        .map_err(|e| matches!(e, std::fs::TryLockError::WouldBlock))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = std::env::temp_dir().join(format!("cardlm-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let first = RunLock::acquire(&dir).unwrap();
        // flock locks belong to the open file description: a second open in the same
        // process conflicts just as another process would.
        let err = RunLock::acquire(&dir).unwrap_err().to_string();
        assert!(
            err.contains("another cardlm process") && err.contains(&std::process::id().to_string()),
            "{err}"
        );
        drop(first);
        let again = RunLock::acquire(&dir).unwrap();
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
