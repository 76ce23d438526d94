//! Memory for JIT code. No mapping is ever writable and executable at the same time:
//! [`WritableCode`] can be written but not run, [`ExecutableCode`] can be run but not
//! written, and the one way from the first to the second ([`WritableCode::make_executable`])
//! consumes it.
//!
//! The JIT compiles into this thread's code arena ([`WritableCode::from_arena`]). Each arena
//! chunk is one set of shared pages mapped twice: a read-write view, which only the compiler
//! writes through, and a read-execute view, where the code runs. Compiles are packed one
//! after another into the chunk, so a compile costs no system call, and compiles share the
//! page faults of first touching a page. (Before, each compile took whole pages of its own,
//! faulted them in and `mprotect`ed them: half of a typical compile's time.) The pages are
//! not made present ahead of use (`MADV_POPULATE_*`): that halved the median again, but
//! cost more in all than it saved, for pages a short run never uses. The chunk's execute
//! view is mapped once, before any code is in it, so the kernel's `mmap` event for it, which
//! `perf` sees, never spans code already reported in a jitdump (wasmtime#2018).
//!
//! Where a chunk cannot be mapped twice (valgrind refuses the `mremap` that does it), the
//! arena falls back to single mappings: each compile gets whole pages, flipped from
//! read-write to read-execute by `mprotect`. [`WritableCode::new`] is such a mapping of its
//! own (for tests and one-off code).

use super::abi::StencilFn;
use std::io;
use std::ptr::NonNull;

/// The system page size.
pub fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 { n as usize } else { 4096 }
}

/// Size of one arena chunk. Code larger than a quarter of it gets a mapping of its own.
const ARENA_CHUNK: usize = 1 << 18;

/// Where each compile starts in the arena: a cache line, so that the first stencil of one
/// compile never shares a line with the end of the previous one.
const ARENA_ALIGN: usize = 64;

/// The unused part of the current arena chunk: `next..end` in its write view, and the
/// distance from there to the same bytes in its execute view.
struct Arena {
    next: usize,
    end: usize,
    exec_delta: usize,
    /// Set once mapping a chunk twice has failed (valgrind, for one, refuses `mremap` with
    /// an `old_size` of 0): chunks are then private, read-write, and each compile gets
    /// whole pages of them, made read-execute by `mprotect`, with an untouched page after
    /// them so the kernel never merges two compiles' mappings into one (wasmtime#2018).
    single: bool,
}

thread_local! {
    static ARENA: std::cell::RefCell<Arena> = const {
        std::cell::RefCell::new(Arena { next: 0, end: 0, exec_delta: 0, single: false })
    };
}

/// A fresh anonymous read-write mapping of `len` bytes (whole pages), `MAP_PRIVATE` or
/// `MAP_SHARED` as `sharing` says.
fn map_anonymous(len: usize, sharing: libc::c_int) -> io::Result<*mut libc::c_void> {
    // SAFETY: a fresh anonymous mapping at an address of the kernel's choosing; it aliases
    // nothing of ours.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            sharing | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(p)
}

/// Maps `len` bytes (whole pages) of fresh shared memory twice, read-write and
/// read-execute. Returns the two addresses. The views are never unmapped: code carved from
/// them lives for the whole run.
fn map_chunk(len: usize) -> io::Result<(usize, usize)> {
    let rw = map_anonymous(len, libc::MAP_SHARED)?;
    // SAFETY: `rw` is the shared mapping just made; an `old_size` of 0 asks for a second
    // mapping of the same pages at a new address, and touches nothing else.
    let rx = unsafe { libc::mremap(rw, 0, len, libc::MREMAP_MAYMOVE) };
    let fail = |e: io::Error, also: Option<*mut libc::c_void>| {
        // SAFETY: unmaps only the views made above, which nothing points into yet.
        unsafe {
            libc::munmap(rw, len);
            if let Some(p) = also {
                libc::munmap(p, len);
            }
        }
        Err(e)
    };
    if rx == libc::MAP_FAILED {
        return fail(io::Error::last_os_error(), None);
    }
    // SAFETY: changes the protection of the second view only, which holds no code yet.
    if unsafe { libc::mprotect(rx, len, libc::PROT_READ | libc::PROT_EXEC) } != 0 {
        return fail(io::Error::last_os_error(), Some(rx));
    }
    Ok((rw as usize, rx as usize))
}

/// Where a region's bytes are written and where they run.
#[derive(Debug)]
struct Region {
    /// The write view (the same address as `exec` for a mapping of its own).
    write: NonNull<u8>,
    /// Where the code runs.
    exec: NonNull<u8>,
    len: usize,
    /// A mapping of its own (unmapped on drop), or bytes of the arena (kept for the run).
    owned: bool,
}

impl Region {
    /// `len` bytes from the arena's current chunk, starting on an [`ARENA_ALIGN`] boundary;
    /// a new chunk when they do not fit; a mapping of their own when they are large.
    fn carve(len: usize) -> io::Result<Region> {
        let len = len.max(1);
        if len > ARENA_CHUNK / 4 {
            return Region::own(len);
        }
        ARENA.with(|a| {
            let mut a = a.borrow_mut();
            let page = page_size();
            // Bytes used, and bytes to the next compile's start.
            let fit = |single: bool| {
                if single {
                    let len = len.next_multiple_of(page);
                    (len, len + page)
                } else {
                    (len, len.next_multiple_of(ARENA_ALIGN))
                }
            };
            if a.end - a.next < fit(a.single).1 {
                let dual = if a.single {
                    None
                } else {
                    map_chunk(ARENA_CHUNK).ok()
                };
                let (rw, rx) = match dual {
                    Some(views) => views,
                    None => {
                        a.single = true;
                        let chunk = Region::own(ARENA_CHUNK)?;
                        let p = chunk.exec.as_ptr() as usize;
                        // Never unmapped: code carved from it lives for the whole run.
                        std::mem::forget(chunk);
                        (p, p)
                    }
                };
                a.next = rw;
                a.end = rw + ARENA_CHUNK;
                a.exec_delta = rx.wrapping_sub(rw);
            }
            let (len, step) = fit(a.single);
            let p = a.next;
            a.next = (p + step).min(a.end);
            Ok(Region {
                write: NonNull::new(p as *mut u8).expect("arena address"),
                exec: NonNull::new(p.wrapping_add(a.exec_delta) as *mut u8).expect("arena address"),
                len,
                owned: false,
            })
        })
    }

    /// A private read-write mapping of its own: `len` rounded up to whole pages.
    fn own(len: usize) -> io::Result<Region> {
        if len == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "empty code region",
            ));
        }
        let len = len
            .checked_next_multiple_of(page_size())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "code region too large"))?;
        let p = map_anonymous(len, libc::MAP_PRIVATE)?;
        let ptr = NonNull::new(p.cast::<u8>()).ok_or_else(|| io::Error::other("mmap gave null"))?;
        Ok(Region {
            write: ptr,
            exec: ptr,
            len,
            owned: true,
        })
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        if !self.owned {
            // Arena bytes stay mapped (and are not reused) for the whole run.
            return;
        }
        // SAFETY: `exec`/`len` are exactly the mapping made in `own`, unmapped only here;
        // no reference into it outlives the owner (`as_mut_slice` borrows the owner).
        // Running code must not be inside it: `ExecutableCode`'s contract.
        unsafe {
            libc::munmap(self.exec.as_ptr().cast(), self.len);
        }
    }
}

/// A code region being filled: writable, not executable (its execute view, if any, runs
/// nothing until [`WritableCode::make_executable`] hands it out).
#[derive(Debug)]
pub struct WritableCode {
    region: Region,
}

impl WritableCode {
    /// Maps at least `len` bytes (rounded up to whole pages), zero-filled: a mapping of
    /// its own, unmapped when dropped.
    pub fn new(len: usize) -> io::Result<WritableCode> {
        Ok(WritableCode {
            region: Region::own(len)?,
        })
    }

    /// At least `len` bytes (at least 1; whole pages when the arena is single-mapped) of
    /// this thread's code arena, zero-filled, never unmapped and never reused: what the JIT
    /// compiles into.
    pub fn from_arena(len: usize) -> io::Result<WritableCode> {
        Ok(WritableCode {
            region: Region::carve(len)?,
        })
    }

    /// The address the code will run at (patch PC-relative holes against it).
    pub fn addr(&self) -> u64 {
        self.region.exec.as_ptr() as u64
    }

    /// The region's length in bytes.
    pub fn len(&self) -> usize {
        self.region.len
    }

    /// Always false: a region has at least one byte.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The region's bytes, to copy and patch code into.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: the write view holds `len` readable, writable bytes that belong to `self`
        // alone (the arena hands each byte out once), and the borrow of `self` keeps anyone
        // else from reaching them while the slice lives.
        unsafe { std::slice::from_raw_parts_mut(self.region.write.as_ptr(), self.region.len) }
    }

    /// Hands the region over for running: arena bytes are already in their chunk's
    /// read-execute view; pages mapped once are made read-execute (and no longer
    /// writable).
    pub fn make_executable(self) -> io::Result<ExecutableCode> {
        if self.region.write == self.region.exec {
            // One mapping (of its own, or whole pages of a private arena chunk): flip it.
            // SAFETY: changes the protection of exactly our own pages; no slice into them
            // exists (`as_mut_slice` borrows would have ended: we own `self`).
            let r = unsafe {
                libc::mprotect(
                    self.region.exec.as_ptr().cast(),
                    self.region.len,
                    libc::PROT_READ | libc::PROT_EXEC,
                )
            };
            if r != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        // x86-64 keeps instruction fetch coherent with the stores above, through either
        // view: no cache flush.
        Ok(ExecutableCode {
            region: self.region,
        })
    }
}

/// A finished code region: readable and executable, not writable. A mapping of its own is
/// unmapped on drop, so it must outlive every execution of its code.
#[derive(Debug)]
pub struct ExecutableCode {
    region: Region,
}

impl ExecutableCode {
    /// The region's address.
    pub fn addr(&self) -> u64 {
        self.region.exec.as_ptr() as u64
    }

    /// The region's length in bytes.
    pub fn len(&self) -> usize {
        self.region.len
    }

    /// Always false: a region has at least one byte.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The region's bytes (for disassembly and tests).
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: the execute view holds `len` readable bytes, which no one writes any more
        // (the one `WritableCode` over them was consumed).
        unsafe { std::slice::from_raw_parts(self.region.exec.as_ptr(), self.region.len) }
    }

    /// The code at `offset` as a stencil-signature function.
    ///
    /// # Safety
    /// `offset` must be the start of complete, patched JIT code that follows the stencil
    /// ABI ([`StencilFn`]), and `self` must outlive every call of the returned function.
    pub unsafe fn entry(&self, offset: usize) -> StencilFn {
        assert!(
            offset < self.region.len,
            "entry offset outside the code region"
        );
        let p = self.region.exec.as_ptr().wrapping_add(offset);
        // SAFETY: a code pointer to executable memory; the caller vouches for what is there.
        unsafe { std::mem::transmute::<*mut u8, StencilFn>(p) }
    }
}
