//! Memory for JIT code: mapped read-write, filled, then turned read-execute. A mapping is
//! never writable and executable at the same time: [`WritableCode`] can be written but not
//! run, [`ExecutableCode`] can be run but not written, and the one way from the first to the
//! second ([`WritableCode::make_executable`]) consumes it.

use super::abi::StencilFn;
use std::io;
use std::ptr::NonNull;

/// The system page size.
pub fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 { n as usize } else { 4096 }
}

/// A private anonymous mapping of whole pages: its own (unmapped on drop), or carved from
/// this thread's code arena (kept for the whole run).
#[derive(Debug)]
struct Mapping {
    ptr: NonNull<u8>,
    len: usize,
    owned: bool,
}

/// Size of one arena chunk: mapped read-write once, then handed out in whole pages, so
/// that compiling a code object costs one `mprotect` (no `mmap`, no `munmap`).
const ARENA_CHUNK: usize = 1 << 18;

/// The unused, still read-write part of the current arena chunk.
struct Arena {
    next: usize,
    end: usize,
}

/// Whether each compile is followed by an unused page (see [`separate_compiles`]).
static SEPARATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// From now on, leave an unused (read-write) page after each piece of code carved from the
/// arena, so that no two compiles' read-execute pages touch. The kernel merges touching
/// mappings of equal protection, and `perf record` then sees each `mprotect` as a new
/// mapping over all the earlier code too, which hides the jitdump's symbols for it
/// (wasmtime#2018). The jitdump writer turns this on.
pub fn separate_compiles(on: bool) {
    SEPARATE.store(on, std::sync::atomic::Ordering::Relaxed);
}

thread_local! {
    static ARENA: std::cell::RefCell<Arena> = const {
        std::cell::RefCell::new(Arena { next: 0, end: 0 })
    };
}

impl Mapping {
    /// Whole pages for `len` bytes: from the arena when they fit in a chunk, else a
    /// mapping of their own.
    fn carve(len: usize) -> io::Result<Mapping> {
        let page = page_size();
        let len = len.max(1).next_multiple_of(page);
        if len > ARENA_CHUNK / 4 {
            return Mapping::new(len);
        }
        ARENA.with(|a| {
            let mut a = a.borrow_mut();
            let gap = if SEPARATE.load(std::sync::atomic::Ordering::Relaxed) {
                page
            } else {
                0
            };
            if a.end - a.next < len + gap {
                let chunk = Mapping::map(ARENA_CHUNK, 0)?;
                // The chunk is never unmapped: code carved from it lives for the whole run.
                let start = chunk.ptr.as_ptr() as usize;
                std::mem::forget(chunk);
                a.next = start;
                a.end = start + ARENA_CHUNK;
            }
            let p = a.next;
            a.next += len + gap;
            Ok(Mapping {
                ptr: NonNull::new(p as *mut u8).expect("arena address"),
                len,
                owned: false,
            })
        })
    }

    fn new(len: usize) -> io::Result<Mapping> {
        Mapping::map(len, 0)
    }

    fn map(len: usize, extra_flags: libc::c_int) -> io::Result<Mapping> {
        if len == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "empty code region",
            ));
        }
        let page = page_size();
        let len = len
            .checked_next_multiple_of(page)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "code region too large"))?;
        // SAFETY: a fresh anonymous private mapping at an address of the kernel's choosing;
        // it aliases nothing.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | extra_flags,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let ptr = NonNull::new(p.cast::<u8>()).ok_or_else(|| io::Error::other("mmap gave null"))?;
        Ok(Mapping {
            ptr,
            len,
            owned: true,
        })
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        if !self.owned {
            // Arena pages stay mapped (and are not reused) for the whole run.
            return;
        }
        // SAFETY: `ptr`/`len` are exactly the mapping made in `new`, unmapped only here; no
        // reference into it outlives the owner (`as_mut_slice` borrows the owner). Running
        // code must not be inside it: `ExecutableCode`'s contract.
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.len);
        }
    }
}

/// A code region being filled: readable and writable, not executable.
#[derive(Debug)]
pub struct WritableCode {
    map: Mapping,
}

impl WritableCode {
    /// Maps at least `len` bytes (rounded up to whole pages), zero-filled: a mapping of
    /// its own, unmapped when dropped.
    pub fn new(len: usize) -> io::Result<WritableCode> {
        Ok(WritableCode {
            map: Mapping::new(len)?,
        })
    }

    /// Like [`WritableCode::new`], but carved from this thread's code arena (whole pages,
    /// never unmapped): what the JIT compiles into.
    pub fn from_arena(len: usize) -> io::Result<WritableCode> {
        Ok(WritableCode {
            map: Mapping::carve(len)?,
        })
    }

    /// The region's address (where the code will run: patch PC-relative holes against it).
    pub fn addr(&self) -> u64 {
        self.map.ptr.as_ptr() as u64
    }

    /// The region's length in bytes (whole pages).
    pub fn len(&self) -> usize {
        self.map.len
    }

    /// Always false: a region has at least one page.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The region's bytes, to copy and patch code into.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: the mapping is `len` readable, writable bytes owned by `self`, and the
        // borrow of `self` keeps anyone else from reaching them while the slice lives.
        unsafe { std::slice::from_raw_parts_mut(self.map.ptr.as_ptr(), self.map.len) }
    }

    /// Makes the region read-execute (and no longer writable).
    pub fn make_executable(self) -> io::Result<ExecutableCode> {
        // SAFETY: changes the protection of exactly our own mapping; no slice into it exists
        // (`as_mut_slice` borrows would have ended: we own `self`).
        let r = unsafe {
            libc::mprotect(
                self.map.ptr.as_ptr().cast(),
                self.map.len,
                libc::PROT_READ | libc::PROT_EXEC,
            )
        };
        if r != 0 {
            return Err(io::Error::last_os_error());
        }
        // x86-64 keeps instruction fetch coherent with the stores above: no cache flush.
        Ok(ExecutableCode { map: self.map })
    }
}

/// A finished code region: readable and executable, not writable. Unmapped on drop, so it
/// must outlive every execution of its code.
#[derive(Debug)]
pub struct ExecutableCode {
    map: Mapping,
}

impl ExecutableCode {
    /// The region's address.
    pub fn addr(&self) -> u64 {
        self.map.ptr.as_ptr() as u64
    }

    /// The region's length in bytes.
    pub fn len(&self) -> usize {
        self.map.len
    }

    /// Always false: a region has at least one page.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The region's bytes (for disassembly and tests).
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: the mapping is `len` readable bytes, never written while it is executable.
        unsafe { std::slice::from_raw_parts(self.map.ptr.as_ptr(), self.map.len) }
    }

    /// The code at `offset` as a stencil-signature function.
    ///
    /// # Safety
    /// `offset` must be the start of complete, patched JIT code that follows the stencil
    /// ABI ([`StencilFn`]), and `self` must outlive every call of the returned function.
    pub unsafe fn entry(&self, offset: usize) -> StencilFn {
        assert!(
            offset < self.map.len,
            "entry offset outside the code region"
        );
        let p = self.map.ptr.as_ptr().wrapping_add(offset);
        // SAFETY: a code pointer to executable memory; the caller vouches for what is there.
        unsafe { std::mem::transmute::<*mut u8, StencilFn>(p) }
    }
}
