//! Naming native code addresses: functions of the jitlens binary through its debug info
//! (`addr2line`), others (libc, libm) through the dynamic symbol table (`dladdr`). Each
//! address is looked up once.

use std::collections::HashMap;
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
    /// The interpreter (`jitlens_vm::interp`).
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

/// Looks up and caches native addresses.
pub struct Symbolizer {
    loader: Option<addr2line::Loader>,
    /// Load address of the jitlens executable (its addresses in the file are relative).
    bias: u64,
    cache: HashMap<u64, NativeInfo>,
}

/// Drops the `::h0123456789abcdef` hash a demangled Rust symbol ends with.
fn strip_hash(name: &str) -> &str {
    match name.rfind("::h") {
        Some(i) if name.len() - i == 19 && name[i + 3..].bytes().all(|b| b.is_ascii_hexdigit()) => {
            &name[..i]
        }
        _ => name,
    }
}

/// The part of the VM a (demangled) function path belongs to.
fn part_of(name: &str) -> Part {
    if name.contains("jitlens_profiler::") {
        Part::Profiler
    } else if name.contains("jitlens_vm::object::gc::") {
        Part::Gc
    } else if name.starts_with("jitlens_vm::interp::")
        || name.contains("<impl jitlens_vm::vm::Vm>::run_frame")
    {
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
        let bias = exe_base();
        let loader = addr2line::Loader::new("/proc/self/exe").ok();
        if let Some(l) = &loader {
            // Builds the symbol map now, before sampling starts, rather than in the first fold.
            let _ = l.find_symbol(0);
        }
        Symbolizer {
            loader,
            bias,
            cache: HashMap::new(),
        }
    }

    /// What `addr` is.
    pub fn info(&mut self, addr: u64) -> &NativeInfo {
        if !self.cache.contains_key(&addr) {
            let info = self.lookup(addr);
            self.cache.insert(addr, info);
        }
        &self.cache[&addr]
    }

    fn lookup(&self, addr: u64) -> NativeInfo {
        let (object_base, object_name, symbol) = dladdr(addr);
        if object_base == self.bias && self.bias != 0 {
            // The executable's symbol table names the (non-inlined) function: a binary search,
            // cheap enough for the fold. (Its DWARF would name inlined frames, at many times
            // the cost, and with line tables only it has no module paths.)
            let probe = addr.wrapping_sub(self.bias);
            let name = self
                .loader
                .as_ref()
                .and_then(|l| l.find_symbol(probe))
                .map(|sym| strip_hash(&rustc_demangle(sym).to_string()).to_string());
            let part = part_of(name.as_deref().unwrap_or(""));
            return NativeInfo {
                name: name.map(|n| Rc::from(n.as_str())),
                part,
            };
        }
        // A shared library (or the vdso).
        let name = match (symbol, object_name) {
            (Some(s), Some(o)) => Some(Rc::from(format!("{s} [{o}]").as_str())),
            (None, Some(o)) => Some(Rc::from(format!("[{o}]").as_str())),
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
}

impl Default for Symbolizer {
    fn default() -> Self {
        Symbolizer::new()
    }
}

fn rustc_demangle(sym: &str) -> impl std::fmt::Display + '_ {
    addr2line::demangle_auto(std::borrow::Cow::Borrowed(sym), None)
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
                .map_or(f.clone(), |n| n.to_string_lossy().into_owned())
        });
        (info.dli_fbase as u64, file, cstr(info.dli_sname))
    }
}

/// The load address of the jitlens executable.
fn exe_base() -> u64 {
    dladdr(exe_base as *const () as usize as u64).0
}
