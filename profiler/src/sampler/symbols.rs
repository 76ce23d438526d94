//! Naming native code addresses: functions of the jitlens binary through its symbol table
//! (read with `object`), others (libc, libm) through the dynamic symbol table (`dladdr`).
//! Each address is looked up once.
//!
//! The symbol table names the non-inlined function containing an address, which is what
//! attribution needs (which part of the VM, which helper). The DWARF would also name inlined
//! frames, but reading it (`addr2line`'s loader parses every unit up front) cost 10–15 ms
//! of CPU per run, more than a second of sampling.

use rustc_hash::FxHashMap;
use std::rc::Rc;

/// What a native address is.
#[derive(Clone, Debug, Default)]
pub struct NativeInfo {
    /// The function at the address, demangled and without its hash, e.g.
    /// `jitlens_vm::runtime::dict::lookup`.
    pub name: Option<Rc<str>>,
    /// The part of the VM it belongs to.
    pub part: Part,
}

/// The parts of the binary a native function can belong to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Part {
    /// The interpreter's dispatch loop (`run_frame_impl`).
    Interpreter,
    /// The garbage collector (`jitlens_vm::object::gc`).
    Gc,
    /// Another part of the VM, or a system library: a runtime helper.
    Runtime,
    /// The profiler itself (folding samples at a safe point).
    Profiler,
    /// Outside the VM's code: the standard library's runtime, startup, the tools.
    #[default]
    Other,
}

/// The executable's function symbols, sorted by address.
struct SymbolTable {
    /// The executable, mapped; names are read from it only when an address is looked up.
    map: memmap2::Mmap,
    /// (start, size, offset of the name in the string table).
    syms: Vec<(u64, u64, u32)>,
    /// The string table's range in the file.
    strings: std::ops::Range<usize>,
}

impl SymbolTable {
    /// The ELF is parsed here only: parsing it allocates a table of its sections, and an
    /// allocation of a kilobyte or more while the program runs makes glibc consolidate
    /// every small block the program has freed (13 ms on float.py, once per new function
    /// named, when each name re-parsed the file).
    fn load() -> Option<SymbolTable> {
        use object::read::elf::{ElfFile64, SectionHeader, Sym};
        let file = std::fs::File::open("/proc/self/exe").ok()?;
        // SAFETY: a read-only private mapping of our own executable, which nothing writes
        // while we run (the kernel refuses writes to a running binary: ETXTBSY).
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let elf = ElfFile64::<object::Endianness>::parse(&*map).ok()?;
        let endian = elf.endian();
        let table = elf.elf_symbol_table();
        let (str_start, str_len) = elf
            .elf_section_table()
            .section(table.string_section())
            .ok()?
            .file_range(endian)?;
        // Addresses and name offsets only: the string table (most of the symbol data) is
        // not touched here.
        let mut syms: Vec<(u64, u64, u32)> = table
            .symbols()
            .iter()
            .filter(|s| {
                matches!(
                    s.st_type(),
                    object::elf::STT_FUNC | object::elf::STT_GNU_IFUNC
                ) && s.st_value(endian) != 0
            })
            .map(|s| (s.st_value(endian), s.st_size(endian), s.st_name(endian)))
            .collect();
        syms.sort_unstable_by_key(|s| s.0);
        let strings = str_start as usize..(str_start + str_len) as usize;
        drop(elf);
        Some(SymbolTable { map, syms, strings })
    }

    /// The symbol containing `addr` (an offset into the executable): its index into
    /// `syms`. A binary search, no allocation.
    fn containing(&self, addr: u64) -> Option<usize> {
        let i = self.syms.partition_point(|s| s.0 <= addr).checked_sub(1)?;
        let (start, size, _) = self.syms[i];
        (addr < start + size.max(1)).then_some(i)
    }

    /// The demangled name (without its hash) of symbol `i` of `syms`, with its part of the
    /// VM (judged on the whole name). The name is demangled into `buf`, reserved up front,
    /// and kept to at most [`MAX_NAME`] bytes: see [`bounded_name`].
    fn name(&self, i: usize, buf: &mut String) -> (Option<Rc<str>>, Part) {
        use std::fmt::Write as _;
        let Some(name) = self.raw_name(i) else {
            return (None, Part::Other);
        };
        buf.clear();
        let _ = write!(buf, "{:#}", rustc_demangle::demangle(name));
        (Some(bounded_name(buf)), part_of(buf))
    }

    fn raw_name(&self, i: usize) -> Option<&str> {
        let strings = self.map.get(self.strings.clone())?;
        let raw = strings.get(self.syms[i].2 as usize..)?;
        let raw = &raw[..raw.iter().position(|&b| b == 0)?];
        std::str::from_utf8(raw).ok()
    }
}

/// The longest native name kept, in bytes. Some Rust names (closures inside generic
/// functions, vtable shims) run past a kilobyte; an allocation that large, made while the
/// program runs, makes glibc consolidate every small block the program has freed (1.7% of
/// float.py's run, for one name). Past this length a name is cut, with `…` at the end.
pub const MAX_NAME: usize = 400;

/// `name` as an `Rc<str>` of at most [`MAX_NAME`] bytes (plus the `…`).
fn bounded_name(name: &str) -> Rc<str> {
    if name.len() <= MAX_NAME {
        return Rc::from(name);
    }
    let mut end = MAX_NAME;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let mut cut = String::with_capacity(end + 3);
    cut.push_str(&name[..end]);
    cut.push('…');
    Rc::from(cut.as_str())
}

/// Looks up and caches native addresses.
///
/// A sample carries a dozen or more return addresses, and the same few hundred recur run
/// after run: each is looked up in a small hash table first. The binary search over the
/// executable's symbols (tens of thousands, most of them cold in the cache) cost 5–7 µs a
/// sample, half a percent of the program's time at 1 kHz.
pub struct Symbolizer {
    table: Option<SymbolTable>,
    /// Load address of the jitlens executable (its addresses in the file are relative).
    bias: u64,
    /// The executable's functions named so far, by index into the symbol table: a new
    /// address in a known function costs one binary search.
    functions: FxHashMap<usize, NativeInfo>,
    /// Every address seen, with what it is (in the executable or elsewhere: shared
    /// libraries, the vdso), each looked up once.
    seen: FxHashMap<u64, NativeInfo>,
    /// Where names are demangled (reserved before the program runs, like the tables).
    buf: String,
}

/// The part of the VM a (demangled) function path belongs to.
fn part_of(name: &str) -> Part {
    if name.contains("jitlens_profiler::") {
        Part::Profiler
    } else if name.contains("jitlens_vm::object::gc::") {
        Part::Gc
    } else if name.contains("<impl jitlens_vm::vm::Vm>::run_frame_impl") {
        // Only the dispatch loop (with what is inlined into it). The interpreter's
        // out-of-line support (frame setup, call binding, specialization) is runtime code,
        // called from JIT code as often as from the loop: the walk up the stack finds the
        // tier that called it.
        Part::Interpreter
    } else if name.contains("jitlens_vm::") {
        Part::Runtime
    } else {
        Part::Other
    }
}

impl Symbolizer {
    /// A symbolizer for this process's executable.
    pub fn new() -> Symbolizer {
        Symbolizer {
            table: SymbolTable::load(),
            bias: exe_base(),
            functions: FxHashMap::with_capacity_and_hasher(512, Default::default()),
            // Sized before the program runs (see `Folder::new`).
            seen: FxHashMap::with_capacity_and_hasher(1024, Default::default()),
            buf: String::with_capacity(8192),
        }
    }

    /// What `addr` is.
    pub fn info(&mut self, addr: u64) -> &NativeInfo {
        let Symbolizer {
            table,
            bias,
            functions,
            seen,
            buf,
        } = self;
        seen.entry(addr).or_insert_with(|| {
            let bias = *bias;
            if let Some(t) = table
                && bias != 0
                && let Some(i) = addr.checked_sub(bias).and_then(|a| t.containing(a))
            {
                return functions
                    .entry(i)
                    .or_insert_with(|| {
                        let (name, part) = t.name(i, buf);
                        NativeInfo { name, part }
                    })
                    .clone();
            }
            lookup(bias, addr)
        })
    }
}

/// Names `addr`, which is in no function of the executable (loaded at `bias`): through
/// `dladdr`.
fn lookup(bias: u64, addr: u64) -> NativeInfo {
    let (object_base, object_name, symbol) = dladdr(addr);
    if object_base == bias && bias != 0 {
        // In the executable, between its functions.
        return NativeInfo::default();
    }
    // A shared library (or the vdso).
    let name = match (symbol, object_name) {
        (Some(s), Some(o)) => Some(bounded_name(&format!("{s} [{o}]"))),
        (None, Some(o)) => Some(bounded_name(&format!("[{o}]"))),
        _ => None,
    };
    NativeInfo {
        name,
        part: if object_base != 0 {
            Part::Runtime
        } else {
            Part::Other
        },
    }
}

impl Default for Symbolizer {
    fn default() -> Self {
        Symbolizer::new()
    }
}

/// The object containing `addr`: its load address, file base name and nearest dynamic
/// symbol.
fn dladdr(addr: u64) -> (u64, Option<String>, Option<String>) {
    // SAFETY: dladdr only reads the loader's tables and fills `info`; the strings it points
    // to are owned by the loader and copied before returning.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if libc::dladdr(addr as *const libc::c_void, &mut info) == 0 {
            return (0, None, None);
        }
        let cstr = |p: *const libc::c_char| {
            (!p.is_null()).then(|| std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned())
        };
        let file = cstr(info.dli_fname).map(|f| {
            std::path::Path::new(&f)
                .file_name()
                .map_or_else(|| f.clone(), |n| n.to_string_lossy().into_owned())
        });
        (info.dli_fbase as u64, file, cstr(info.dli_sname))
    }
}

/// The load address of the jitlens executable.
fn exe_base() -> u64 {
    dladdr(exe_base as *const () as usize as u64).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[inline(never)]
    fn a_profiler_function(x: u64) -> u64 {
        std::hint::black_box(x).wrapping_mul(3)
    }

    #[test]
    fn addresses_in_one_function_share_its_name_and_part() {
        let mut s = Symbolizer::new();
        let f = a_profiler_function as *const () as usize as u64;
        assert_eq!(a_profiler_function(2), 6);
        let first = s.info(f).clone();
        let name = first.name.clone().expect("the function is named");
        assert!(name.contains("a_profiler_function"), "{name}");
        assert_eq!(first.part, Part::Profiler);
        // An address a byte further in is the same function, named once.
        let second = s.info(f + 1).clone();
        assert!(Rc::ptr_eq(&name, second.name.as_ref().unwrap()));
        assert_eq!(s.functions.len(), 1);
    }

    #[test]
    fn long_names_are_cut_at_a_char_boundary() {
        assert_eq!(&*bounded_name("short"), "short");
        let long = "é".repeat(MAX_NAME);
        let cut = bounded_name(&long);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(cut.len() <= MAX_NAME + '…'.len_utf8());
        assert!(long.starts_with(cut.trim_end_matches('…')));
    }

    #[test]
    fn a_shared_library_function_is_named_with_its_object() {
        let mut s = Symbolizer::new();
        let getpid = libc::getpid as *const () as usize as u64;
        let info = s.info(getpid).clone();
        let name = info.name.expect("libc is named");
        assert!(name.contains("libc"), "{name}");
        assert_eq!(info.part, Part::Runtime);
        assert!(s.functions.is_empty());
    }
}
