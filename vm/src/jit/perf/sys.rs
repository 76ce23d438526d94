//! The system calls behind the jitdump: the monotonic clock, the thread id, and the
//! executable marker mapping of the dump file. The only `unsafe` of the perf output.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;

/// `CLOCK_MONOTONIC` in nanoseconds: the clock `perf record -k 1` stamps samples with.
pub fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC always exists on Linux.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    if r != 0 {
        return 0;
    }
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// The calling thread's kernel thread id.
pub fn thread_id() -> u32 {
    // SAFETY: gettid has no preconditions and cannot fail.
    unsafe { libc::gettid() as u32 }
}

/// A read-execute mapping of a jitdump file's first page. `perf record` sees executable file
/// mappings as MMAP events: this is how `perf inject --jit` finds the dump. It must stay
/// mapped for the whole run; it is unmapped on drop.
#[derive(Debug)]
pub struct Marker {
    ptr: *mut libc::c_void,
    len: usize,
}

impl Marker {
    /// Maps the first page of `file` (which must be at least readable) read-execute.
    pub fn map(file: &File) -> io::Result<Marker> {
        let len = crate::jit::code_memory::page_size();
        // SAFETY: a fresh private mapping of an open file at an address of the kernel's
        // choosing; nothing in this process reads or writes through it.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_EXEC,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Marker { ptr, len })
    }
}

impl Drop for Marker {
    fn drop(&mut self) {
        // SAFETY: exactly the mapping made in `map`, unmapped only here; nothing points
        // into it.
        unsafe {
            libc::munmap(self.ptr, self.len);
        }
    }
}
