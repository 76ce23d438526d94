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

/// A private anonymous mapping of whole pages, unmapped on drop.
#[derive(Debug)]
struct Mapping {
    ptr: NonNull<u8>,
    len: usize,
}

impl Mapping {
    fn new(len: usize) -> io::Result<Mapping> {
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
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let ptr = NonNull::new(p.cast::<u8>()).ok_or_else(|| io::Error::other("mmap gave null"))?;
        Ok(Mapping { ptr, len })
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
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
    /// Maps at least `len` bytes (rounded up to whole pages), zero-filled.
    pub fn new(len: usize) -> io::Result<WritableCode> {
        Ok(WritableCode {
            map: Mapping::new(len)?,
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
