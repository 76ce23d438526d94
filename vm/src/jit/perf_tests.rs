//! The perf map and the jitdump, checked against the VM's own code map and the live code
//! bytes, with an independent jitdump reader (the `linux-perf-data` crate).

use super::perf::{PerfConfig, region_symbol};
use super::runtime::JitMode;
use crate::{Options, Vm};
use linux_perf_data::jitdump::{JitDumpReader, JitDumpRecord};
use std::collections::BTreeMap;

const PROGRAM: &str = "\
class P:
    def __init__(self, x):
        self.x = x
def work(n):
    t = 0.0
    ps = [P(i) for i in range(10)]
    for i in range(n):
        t = t * 0.5 + ps[i % 10].x * 1.25
    return t
print(work(2000))
";

#[test]
fn jitdump_and_perf_map_describe_every_region_with_its_live_bytes() {
    let dir = std::env::temp_dir().join(format!("jitlens-jitdump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut vm = Vm::new(
        vec!["t.py".into()],
        Options {
            // Compiled once warm, so the ops are the specialized ones.
            jit: JitMode::On,
            jit_threshold: Some(200),
            perf: PerfConfig {
                map: true,
                jitdump: true,
                jitdump_dir: Some(dir.clone()),
            },
            ..Default::default()
        },
    );
    assert_eq!(vm.run_main(PROGRAM, "/src/t.py"), 0);
    let pid = std::process::id();

    // The VM's view: every non-empty region, by address.
    let regions: BTreeMap<u64, _> = vm
        .jit_code_map()
        .into_iter()
        .filter(|r| r.len > 0)
        .map(|r| (r.start, r))
        .collect();
    assert!(regions.len() > 20, "only {} regions", regions.len());

    // The jitdump, read by someone else's parser.
    let file = std::fs::File::open(dir.join(format!("jit-{pid}.dump"))).unwrap();
    let mut reader = JitDumpReader::new(file).unwrap();
    assert_eq!(reader.header().pid, pid);
    let mut debug_for: Option<u64> = None;
    let mut indexes = std::collections::HashSet::new();
    let mut loads = BTreeMap::new();
    let mut last_ts = 0;
    let mut closed = false;
    while let Some(raw) = reader.next_record().unwrap() {
        assert!(raw.timestamp >= last_ts, "timestamps go backwards");
        last_ts = raw.timestamp;
        match raw.parse().unwrap() {
            JitDumpRecord::CodeDebugInfo(d) => {
                assert_eq!(d.entries.len(), 1);
                let e = &d.entries[0];
                assert_eq!(e.code_addr, d.code_addr);
                let r = &regions[&d.code_addr];
                assert_eq!(e.file_path.as_slice().as_ref(), r.code.filename.as_bytes());
                assert_eq!(e.line, r.line, "{}", region_symbol(&r.code, &region_of(r)));
                debug_for = Some(d.code_addr);
            }
            JitDumpRecord::CodeLoad(l) => {
                assert_eq!(
                    debug_for.take(),
                    Some(l.code_addr),
                    "a load without debug info just before it"
                );
                assert!(indexes.insert(l.code_index), "code index reused");
                assert_eq!(l.pid, pid);
                let r = &regions[&l.code_addr];
                let live = vm.jit_region_bytes(r.start, r.len).unwrap();
                assert_eq!(
                    l.code_bytes.as_slice().as_ref(),
                    &live[..],
                    "code bytes differ"
                );
                let name = String::from_utf8(l.function_name.as_slice().to_vec()).unwrap();
                assert_eq!(name, region_symbol(&r.code, &region_of(r)));
                loads.insert(l.code_addr, (l.code_bytes.len() as u64, name));
            }
            JitDumpRecord::CodeClose => closed = true,
            other => panic!("unexpected record {other:?}"),
        }
    }
    assert!(closed, "no JIT_CODE_CLOSE at the end");
    assert_eq!(loads.len(), regions.len(), "every region is loaded once");

    // The perf map says the same.
    let map = std::fs::read_to_string(format!("/tmp/perf-{pid}.map")).unwrap();
    let mut n = 0;
    for line in map.lines() {
        let mut parts = line.splitn(3, ' ');
        let start = u64::from_str_radix(parts.next().unwrap(), 16).unwrap();
        let size = u64::from_str_radix(parts.next().unwrap(), 16).unwrap();
        let name = parts.next().unwrap();
        assert_eq!(loads[&start], (size, name.to_string()));
        n += 1;
    }
    assert_eq!(n, loads.len());
    // The hot op is there under its specialized name, with its line.
    assert!(
        map.contains("py::work@t.py:8 BINARY_OP_MULTIPLY_FLOAT [jit]"),
        "{map}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(format!("/tmp/perf-{pid}.map"));
}

fn region_of(r: &crate::introspect::JitRegionInfo) -> super::compile::Region {
    super::compile::Region {
        offset: 0,
        len: r.len,
        ip: r.ip,
        op: r.op,
        kind: r.kind,
        fused: r.fused,
    }
}

#[test]
fn no_stencil_writes_rbp() {
    // JIT code leaves rbp to the host's frame, so frame-pointer unwinders (perf -g, the
    // sampler) walk from JIT code into the interpreter (vm/stencils/README.md).
    use iced_x86::{Decoder, DecoderOptions, InstructionInfoFactory, OpAccess, Register};
    let mut info = InstructionInfoFactory::new();
    for s in super::stencils::all() {
        let mut d = Decoder::with_ip(64, s.code, 0, DecoderOptions::NONE);
        for ins in &mut d {
            for u in info.info(&ins).used_registers() {
                let writes = matches!(
                    u.access(),
                    OpAccess::Write
                        | OpAccess::ReadWrite
                        | OpAccess::CondWrite
                        | OpAccess::ReadCondWrite
                );
                assert!(
                    !(writes && u.register().full_register() == Register::RBP),
                    "stencil {} writes rbp at {:#x}: {:?}",
                    s.name,
                    ins.ip(),
                    ins.code()
                );
            }
        }
    }
}

#[test]
fn regions_from_a_later_code_object_are_the_tail_of_the_map() {
    let mut vm = Vm::new(
        vec!["t.py".into()],
        Options {
            jit: JitMode::Always,
            ..Default::default()
        },
    );
    assert_eq!(vm.run_main(PROGRAM, "/src/t.py"), 0);
    let key = |r: super::super::introspect::JitRegionInfo| (r.start, r.len, r.ip);
    let all: Vec<_> = vm.jit_code_map().into_iter().map(key).collect();
    let compiled = vm.jit_codes.len();
    assert!(compiled >= 2, "{compiled} code objects compiled");
    let first = vm.jit_codes[0].1.regions.len();
    let tail: Vec<_> = vm.jit_regions_from(1).map(key).collect();
    assert_eq!(tail, all[first..]);
    assert_eq!(vm.jit_regions_from(0).count(), all.len());
    assert_eq!(vm.jit_regions_from(compiled).count(), 0);
    assert_eq!(vm.jit_regions_from(compiled + 3).count(), 0);
}
