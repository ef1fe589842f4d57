//! cardlm's files on disk, shared by every crate: the names of a corpus
//! directory's files ([`layout`]) and the one writer that never leaves a
//! half-written file or directory behind ([`atomic`]). Knows neither cards
//! nor tensors.

pub mod atomic;
pub mod layout;

pub use atomic::{
    write_dir_atomically, write_dir_atomically_streamed, write_file_atomically, StreamedFile,
    WriteError,
};
