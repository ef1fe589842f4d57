//! Saving the input that aborts the process.
//!
//! A panic is caught and its input saved by the loop, but a failed allocation (or a
//! stack overflow) aborts: Rust calls `abort()`, which raises SIGABRT. The handler
//! here writes the input being run to a file chosen in advance, with only
//! async-signal-safe calls (`open`, `write`, `close`), then lets the signal kill the
//! process as it would have.

use std::ffi::CString;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

static INPUT: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static INPUT_LEN: AtomicUsize = AtomicUsize::new(0);
static PATH: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

extern "C" fn on_abort(signal: libc::c_int) {
    let path = PATH.load(Ordering::SeqCst);
    let input = INPUT.load(Ordering::SeqCst);
    let len = INPUT_LEN.load(Ordering::SeqCst);
    // SAFETY: async-signal-safe calls only, on a path and an input buffer that stay
    // alive while they are published (see `running`).
    unsafe {
        if !path.is_null() && !input.is_null() {
            let fd = libc::open(path, libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, 0o644);
            if fd >= 0 {
                let _ = libc::write(fd, input as *const libc::c_void, len);
                libc::close(fd);
            }
            let note =
                b"fuzz_readers: aborted; the input is saved (see the path printed at start)\n";
            let _ = libc::write(2, note.as_ptr() as *const libc::c_void, note.len());
        }
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Installs the handler; an abort will save the running input to `path`.
pub fn install(path: &std::path::Path) {
    let c = CString::new(path.as_os_str().as_encoded_bytes()).expect("no NUL in a path");
    PATH.store(c.into_raw(), Ordering::SeqCst);
    // SAFETY: a plain C signal handler that only makes async-signal-safe calls.
    unsafe {
        libc::signal(
            libc::SIGABRT,
            on_abort as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}

/// Publishes `input` as the one running, for the handler; the guard unpublishes it.
pub fn running(input: &[u8]) -> Running<'_> {
    INPUT_LEN.store(input.len(), Ordering::SeqCst);
    INPUT.store(input.as_ptr() as *mut u8, Ordering::SeqCst);
    Running(std::marker::PhantomData)
}

pub struct Running<'a>(std::marker::PhantomData<&'a [u8]>);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        INPUT.store(std::ptr::null_mut(), Ordering::SeqCst);
    }
}
