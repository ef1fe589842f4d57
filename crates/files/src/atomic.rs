//! Writing without ever leaving half a file or half a directory behind:
//! everything is written beside its target under a temporary name, then
//! renamed into place. A failed or interrupted write leaves the old content
//! (or nothing) where the target is.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A write that failed: which path, and what went wrong, phrased for a user.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    pub message: String,
}

impl WriteError {
    fn new(path: &Path, message: impl Into<String>) -> Self {
        WriteError {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    /// An I/O error on `path` ("permission denied" rather than `os error 13`).
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        WriteError::new(path, io_message(err))
    }
}

/// An I/O error in words a user reads.
pub fn io_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

/// The directory `path` lives in (`.` for a bare file name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename, so readers never see a half-written file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = parent_of(path);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(WriteError::io(path, &e));
    }
    Ok(())
}

/// Writes `files` (name, bytes) as the whole content of directory `dir`,
/// atomically: they are written into a fresh directory next to `dir`, which
/// is then renamed into place. An existing `dir` is replaced only when it
/// holds nothing but files named in `replaceable` (an earlier output);
/// anything else is an error, never overwritten. The old directory is kept
/// until the new one is in place.
pub fn write_dir_atomically(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    replaceable: &[&str],
) -> Result<(), WriteError> {
    let streamed: Vec<StreamedFile<'_>> = files
        .iter()
        .map(|(name, bytes)| StreamedFile::new(name.clone(), move |w| w.write_all(bytes)))
        .collect();
    write_dir_atomically_streamed(dir, streamed, replaceable)
}

/// A file of a directory written by [`write_dir_atomically_streamed`]: its name and
/// a function that writes its content, so that a large file need not be built in
/// memory first.
pub struct StreamedFile<'a> {
    pub name: String,
    write: Box<WriteContent<'a>>,
}

/// Writes one file's content to the stream it is given.
type WriteContent<'a> = dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + 'a;

impl<'a> StreamedFile<'a> {
    pub fn new(
        name: impl Into<String>,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + 'a,
    ) -> Self {
        StreamedFile {
            name: name.into(),
            write: Box::new(write),
        }
    }
}

/// [`write_dir_atomically`] with each file's content written by a function, through
/// a buffer, straight to the temporary directory.
pub fn write_dir_atomically_streamed(
    dir: &Path,
    files: Vec<StreamedFile<'_>>,
    replaceable: &[&str],
) -> Result<(), WriteError> {
    if dir.exists() {
        let entries = fs::read_dir(dir).map_err(|e| WriteError::io(dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| WriteError::io(dir, &e))?;
            let name = entry.file_name();
            let known = name.to_str().is_some_and(|n| replaceable.contains(&n));
            if !known || !entry.path().is_file() {
                return Err(WriteError::new(
                    dir,
                    format!(
                        // Not "cardlm did not write it": a run directory is cardlm's
                        // too, just not this command's output.
                        "exists and holds {:?}, which is not among the files this command writes; refusing to replace it",
                        name
                    ),
                ));
            }
        }
    }
    let parent = parent_of(dir);
    fs::create_dir_all(&parent).map_err(|e| WriteError::io(&parent, &e))?;
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_owned());
    let temp = parent.join(format!(".{base}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{base}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&temp);
    let result = (|| {
        fs::create_dir(&temp).map_err(|e| WriteError::io(&temp, &e))?;
        for file in files {
            let path = temp.join(&file.name);
            (|| {
                let mut out = std::io::BufWriter::new(fs::File::create(&path)?);
                (file.write)(&mut out)?;
                out.flush()
            })()
            .map_err(|e| WriteError::io(&path, &e))?;
        }
        if dir.exists() {
            fs::rename(dir, &old).map_err(|e| WriteError::io(dir, &e))?;
            fs::rename(&temp, dir).map_err(|e| {
                // Put the earlier output back rather than leave nothing.
                let _ = fs::rename(&old, dir);
                WriteError::io(dir, &e)
            })?;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&temp, dir).map_err(|e| WriteError::io(dir, &e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        pairs
            .iter()
            .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn file_is_replaced_whole_and_no_temporary_is_left() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.txt");
        write_file_atomically(&path, b"one").unwrap();
        write_file_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn file_in_a_missing_directory_names_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("missing").join("a.txt");
        let err = write_file_atomically(&path, b"x").unwrap_err();
        assert_eq!(err.path, path);
        assert_eq!(err.message, "no such file or directory");
    }

    #[test]
    fn directory_replaces_its_own_output_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        write_dir_atomically(&dir, &files(&[("a", "1"), ("b", "2")]), &["a", "b"]).unwrap();
        write_dir_atomically(&dir, &files(&[("a", "3")]), &["a", "b"]).unwrap();
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"3");
        assert!(
            !dir.join("b").exists(),
            "the directory is replaced, not merged"
        );

        fs::write(dir.join("mine.txt"), "keep").unwrap();
        let err = write_dir_atomically(&dir, &files(&[("a", "4")]), &["a"]).unwrap_err();
        assert!(err.to_string().contains("refusing to replace it"), "{err}");
        assert_eq!(fs::read(dir.join("mine.txt")).unwrap(), b"keep");
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"3");
        // Only `out` is left: no temporary or old directory.
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_streamed_file_that_fails_leaves_the_old_directory_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        write_dir_atomically(&dir, &files(&[("a", "1")]), &["a", "b"]).unwrap();
        let streamed = vec![
            StreamedFile::new("a", |w| w.write_all(b"2")),
            StreamedFile::new("b", |w| {
                w.write_all(b"half")?;
                Err(std::io::Error::other("the writer failed"))
            }),
        ];
        let err = write_dir_atomically_streamed(&dir, streamed, &["a", "b"]).unwrap_err();
        assert!(err.to_string().contains("the writer failed"), "{err}");
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"1");
        assert!(!dir.join("b").exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);

        let streamed = vec![StreamedFile::new("b", |w| w.write_all(b"whole"))];
        write_dir_atomically_streamed(&dir, streamed, &["a", "b"]).unwrap();
        assert_eq!(fs::read(dir.join("b")).unwrap(), b"whole");
    }
}
