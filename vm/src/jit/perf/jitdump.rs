//! The jitdump format (linux `tools/perf/Documentation/jitdump-specification.txt`): a file
//! header, then records. This module only encodes; [`super::PerfOutput`] decides what to
//! write and when.
//!
//! All fields are in the host's byte order (little-endian here), as the spec asks.

/// `JITHEADER_MAGIC`: "JiTD" read as a little-endian u32.
pub const MAGIC: u32 = 0x4A69_5444;
/// The spec's version.
pub const VERSION: u32 = 1;
/// `EM_X86_64`.
pub const ELF_MACHINE_X86_64: u32 = 62;
/// `JIT_CODE_LOAD`.
pub const JIT_CODE_LOAD: u32 = 0;
/// `JIT_CODE_DEBUG_INFO`.
pub const JIT_CODE_DEBUG_INFO: u32 = 2;
/// `JIT_CODE_CLOSE`.
pub const JIT_CODE_CLOSE: u32 = 3;

/// Size of the file header.
const HEADER_SIZE: u32 = 40;
/// Size of a record header (`id`, `total_size`, `timestamp`).
const RECORD_HEADER_SIZE: usize = 16;

fn u32_(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_ne_bytes());
}

fn u64_(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_ne_bytes());
}

/// A record: header, then `body`; `total_size` covers both.
fn record(out: &mut Vec<u8>, id: u32, timestamp: u64, body: &[u8]) {
    u32_(out, id);
    u32_(out, (RECORD_HEADER_SIZE + body.len()) as u32);
    u64_(out, timestamp);
    out.extend_from_slice(body);
}

/// A name as the spec stores it: its bytes and a NUL (an interior NUL would end it early,
/// so it is replaced).
fn c_string(out: &mut Vec<u8>, s: &str) {
    out.extend(s.bytes().map(|b| if b == 0 { b'?' } else { b }));
    out.push(0);
}

/// ```c
/// struct jitheader {
///     uint32_t magic;      /* characters "JiTD" */
///     uint32_t version;    /* header version */
///     uint32_t total_size; /* total size of header */
///     uint32_t elf_mach;   /* elf mach target */
///     uint32_t pad1;       /* reserved */
///     uint32_t pid;        /* JIT process id */
///     uint64_t timestamp;  /* timestamp */
///     uint64_t flags;      /* flags */
/// };
/// ```
pub fn header(pid: u32, timestamp: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_SIZE as usize);
    u32_(&mut out, MAGIC);
    u32_(&mut out, VERSION);
    u32_(&mut out, HEADER_SIZE);
    u32_(&mut out, ELF_MACHINE_X86_64);
    u32_(&mut out, 0);
    u32_(&mut out, pid);
    u64_(&mut out, timestamp);
    u64_(&mut out, 0);
    out
}

/// One piece of code to describe: where it runs, its bytes, its name and its source line.
pub struct CodeLoad<'a> {
    /// Address of the code (also its `vma`: JIT code is not part of a file mapping).
    pub addr: u64,
    /// The code bytes, as they run.
    pub code: &'a [u8],
    /// The symbol perf shows.
    pub name: &'a str,
    /// Unique per load in this process.
    pub index: u64,
    /// The source file and line the code runs.
    pub file: &'a str,
    /// 1-based line.
    pub line: u32,
}

/// ```c
/// struct debug_entry {
///     uint64_t addr;
///     int lineno;      /* source line number starting at 1 */
///     int discrim;     /* column discriminator, 0 is default */
///     const char name[n]; /* null terminated filename, \xff\0 if same as previous entry */
/// };
/// struct jr_code_debug_info {
///     struct jr_prefix p;
///     uint64_t code_addr;
///     uint64_t nr_entry;
///     struct debug_entry entries[n];
/// };
/// ```
pub fn debug_info(out: &mut Vec<u8>, timestamp: u64, load: &CodeLoad<'_>) {
    let mut body = Vec::with_capacity(40 + load.file.len());
    u64_(&mut body, load.addr);
    u64_(&mut body, 1);
    u64_(&mut body, load.addr);
    u32_(&mut body, load.line);
    u32_(&mut body, 0);
    c_string(&mut body, load.file);
    record(out, JIT_CODE_DEBUG_INFO, timestamp, &body);
}

/// ```c
/// struct jr_code_load {
///     struct jr_prefix p;
///     uint32_t pid;
///     uint32_t tid;
///     uint64_t vma;
///     uint64_t code_addr;
///     uint64_t code_size;
///     uint64_t code_index;
///     char     function_name[];   /* null-terminated */
///     /* followed by the native code bytes */
/// };
/// ```
pub fn code_load(out: &mut Vec<u8>, timestamp: u64, pid: u32, tid: u32, load: &CodeLoad<'_>) {
    let mut body = Vec::with_capacity(40 + load.name.len() + 1 + load.code.len());
    u32_(&mut body, pid);
    u32_(&mut body, tid);
    u64_(&mut body, load.addr);
    u64_(&mut body, load.addr);
    u64_(&mut body, load.code.len() as u64);
    u64_(&mut body, load.index);
    c_string(&mut body, load.name);
    body.extend_from_slice(load.code);
    record(out, JIT_CODE_LOAD, timestamp, &body);
}

/// `JIT_CODE_CLOSE`: the end of the stream (a record with no body).
pub fn close(out: &mut Vec<u8>, timestamp: u64) {
    record(out, JIT_CODE_CLOSE, timestamp, &[]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_records_have_the_spec_layout() {
        let h = header(1234, 99);
        assert_eq!(h.len(), 40);
        assert_eq!(&h[0..4], &MAGIC.to_le_bytes());
        assert_eq!(&h[20..24], &1234u32.to_le_bytes());

        let load = CodeLoad {
            addr: 0x1000,
            code: &[0x90, 0xc3],
            name: "f",
            index: 7,
            file: "/a.py",
            line: 3,
        };
        let mut out = Vec::new();
        code_load(&mut out, 5, 1, 2, &load);
        // header 16 + pid, tid 8 + vma, addr, size, index 32 + "f\0" 2 + code 2
        assert_eq!(out.len(), 60);
        assert_eq!(&out[4..8], &60u32.to_le_bytes());
        assert_eq!(&out[56..58], b"f\0");
        assert_eq!(&out[58..], &[0x90, 0xc3]);

        let mut out = Vec::new();
        debug_info(&mut out, 5, &load);
        // header 16 + addr, count 16 + entry addr 8, line 4, discrim 4, "/a.py\0" 6
        assert_eq!(out.len(), 54);
        assert_eq!(&out[0..4], &JIT_CODE_DEBUG_INFO.to_le_bytes());
        assert_eq!(&out[40..44], &3u32.to_le_bytes());
    }
}
