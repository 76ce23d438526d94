//! The profile as a pprof protobuf: `perftools.profiles.Profile` from
//! `github.com/google/pprof/proto/profile.proto`, which `go tool pprof`, Pyroscope, Parca
//! and Grafana read.
//!
//! The messages are hand-written [`prost::Message`] structs mirroring profile.proto (field
//! numbers and types as there; no build script, no protoc at build time). Only the fields
//! jitlens fills are declared: a decoder skips nothing it needs, and fields left out are
//! the proto3 defaults.
//!
//! What goes in:
//! - `sample_type`: `samples/count` and `cpu/nanoseconds`; `period_type` `cpu/nanoseconds`
//!   with `period` = 10⁹ / the sampling frequency (0 when the frequency is unknown). Each
//!   sample's values are its count and count × period.
//! - A `Function` per Python function (name, file path, `def` line), and per native
//!   function the sampler named (a runtime helper). A `Location` per (function, line),
//!   with one `Line`. Samples list locations leaf first, as pprof wants: the native
//!   function (if any), then the Python frames innermost first.
//! - Labels on every sample: `tier` (`jit`/`interp`), `category` (`interpreter`, `jit`,
//!   `helper`, `gc`, `other`) and `op` (the specialized op name), so `pprof -tagfocus`
//!   and Grafana's label filters split by tier.
//! - Samples with no Python frame are charged to a `[no Python frame]` function, with
//!   only the `category` label.
//! - `time_nanos`, `duration_nanos`, and comments naming the program and the sampler.
//!
//! [`encode`] gives the raw protobuf; [`encode_gzip`] gzips it, as `go tool pprof`'s own
//! files are (`.pb.gz`). Every reader named above accepts both.

use super::{NO_PYTHON_FRAME, tier_name};
use crate::model::{Category, FunctionId, Profile};
use prost::Message;
use std::collections::HashMap;
use std::io::Write;

/// `perftools.profiles.Profile`.
#[derive(Clone, PartialEq, Message)]
pub struct PprofProfile {
    /// A description of each value in every sample.
    #[prost(message, repeated, tag = "1")]
    pub sample_type: Vec<ValueType>,
    /// The samples.
    #[prost(message, repeated, tag = "2")]
    pub sample: Vec<Sample>,
    /// Mappings from address ranges to the binary that holds them.
    #[prost(message, repeated, tag = "3")]
    pub mapping: Vec<Mapping>,
    /// Locations referenced by samples.
    #[prost(message, repeated, tag = "4")]
    pub location: Vec<Location>,
    /// Functions referenced by locations.
    #[prost(message, repeated, tag = "5")]
    pub function: Vec<Function>,
    /// Every string of the profile; the other messages refer to them by index. Index 0 is
    /// always "".
    #[prost(string, repeated, tag = "6")]
    pub string_table: Vec<String>,
    /// When the profile was collected, in nanoseconds since the Unix epoch.
    #[prost(int64, tag = "9")]
    pub time_nanos: i64,
    /// How long it covers, in nanoseconds.
    #[prost(int64, tag = "10")]
    pub duration_nanos: i64,
    /// The kind of events between sampled occurrences.
    #[prost(message, optional, tag = "11")]
    pub period_type: Option<ValueType>,
    /// The number of events between sampled occurrences.
    #[prost(int64, tag = "12")]
    pub period: i64,
    /// Free-form text about the profile (string-table indices).
    #[prost(int64, repeated, tag = "13")]
    pub comment: Vec<i64>,
    /// The type (string-table index) of the sample value shown by default.
    #[prost(int64, tag = "14")]
    pub default_sample_type: i64,
}

/// `perftools.profiles.ValueType`.
#[derive(Clone, PartialEq, Message)]
pub struct ValueType {
    /// String-table index of the type, e.g. `cpu`.
    #[prost(int64, tag = "1")]
    pub r#type: i64,
    /// String-table index of the unit, e.g. `nanoseconds`.
    #[prost(int64, tag = "2")]
    pub unit: i64,
}

/// `perftools.profiles.Sample`.
#[derive(Clone, PartialEq, Message)]
pub struct Sample {
    /// The stack, leaf first.
    #[prost(uint64, repeated, tag = "1")]
    pub location_id: Vec<u64>,
    /// One value per [`PprofProfile::sample_type`].
    #[prost(int64, repeated, tag = "2")]
    pub value: Vec<i64>,
    /// Labels.
    #[prost(message, repeated, tag = "3")]
    pub label: Vec<Label>,
}

/// `perftools.profiles.Label` (string labels only).
#[derive(Clone, PartialEq, Message)]
pub struct Label {
    /// String-table index of the key.
    #[prost(int64, tag = "1")]
    pub key: i64,
    /// String-table index of the value.
    #[prost(int64, tag = "2")]
    pub str: i64,
}

/// `perftools.profiles.Mapping`.
#[derive(Clone, PartialEq, Message)]
pub struct Mapping {
    /// Unique nonzero id.
    #[prost(uint64, tag = "1")]
    pub id: u64,
    /// String-table index of the object's name.
    #[prost(int64, tag = "5")]
    pub filename: i64,
    /// Locations of this mapping have function names.
    #[prost(bool, tag = "7")]
    pub has_functions: bool,
    /// … file names.
    #[prost(bool, tag = "8")]
    pub has_filenames: bool,
    /// … line numbers.
    #[prost(bool, tag = "9")]
    pub has_line_numbers: bool,
}

/// `perftools.profiles.Location`.
#[derive(Clone, PartialEq, Message)]
pub struct Location {
    /// Unique nonzero id.
    #[prost(uint64, tag = "1")]
    pub id: u64,
    /// The [`Mapping`] it belongs to.
    #[prost(uint64, tag = "2")]
    pub mapping_id: u64,
    /// Source lines (one: jitlens does not inline).
    #[prost(message, repeated, tag = "4")]
    pub line: Vec<Line>,
}

/// `perftools.profiles.Line`.
#[derive(Clone, PartialEq, Message)]
pub struct Line {
    /// The [`Function`]'s id.
    #[prost(uint64, tag = "1")]
    pub function_id: u64,
    /// Line number (0 when unknown).
    #[prost(int64, tag = "2")]
    pub line: i64,
}

/// `perftools.profiles.Function`.
#[derive(Clone, PartialEq, Message)]
pub struct Function {
    /// Unique nonzero id.
    #[prost(uint64, tag = "1")]
    pub id: u64,
    /// String-table index of the name shown.
    #[prost(int64, tag = "2")]
    pub name: i64,
    /// String-table index of the name as the system knows it (the same for jitlens).
    #[prost(int64, tag = "3")]
    pub system_name: i64,
    /// String-table index of the source file's path.
    #[prost(int64, tag = "4")]
    pub filename: i64,
    /// Line where the function starts.
    #[prost(int64, tag = "5")]
    pub start_line: i64,
}

/// Interns strings into the string table, `""` first.
struct Strings {
    table: Vec<String>,
    index: HashMap<String, i64>,
}

impl Strings {
    fn new() -> Strings {
        let mut s = Strings {
            table: Vec::new(),
            index: HashMap::new(),
        };
        s.get("");
        s
    }

    fn get(&mut self, s: &str) -> i64 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.table.len() as i64;
        self.table.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

/// Who a pprof function stands for.
#[derive(Clone, PartialEq, Eq, Hash)]
enum FunctionKey {
    Python(FunctionId),
    Native(String),
}

/// Builds functions and locations on demand, ids from 1.
struct Builder {
    strings: Strings,
    functions: Vec<Function>,
    function_ids: HashMap<FunctionKey, u64>,
    locations: Vec<Location>,
    location_ids: HashMap<(u64, u32), u64>,
}

impl Builder {
    fn function(&mut self, profile: &Profile, key: FunctionKey) -> u64 {
        if let Some(&id) = self.function_ids.get(&key) {
            return id;
        }
        let id = self.functions.len() as u64 + 1;
        let (name, file, start_line) = match &key {
            FunctionKey::Python(f) => {
                let f = profile.function(*f);
                let path = profile
                    .files
                    .get(f.file as usize)
                    .map(|s| s.path.as_str())
                    .unwrap_or("");
                (f.name.clone(), path.to_string(), f.line)
            }
            FunctionKey::Native(name) => (name.clone(), String::new(), 0),
        };
        let name = self.strings.get(&name);
        let filename = self.strings.get(&file);
        self.functions.push(Function {
            id,
            name,
            system_name: name,
            filename,
            start_line: start_line as i64,
        });
        self.function_ids.insert(key, id);
        id
    }

    fn location(&mut self, profile: &Profile, key: FunctionKey, line: u32) -> u64 {
        let function_id = self.function(profile, key);
        if let Some(&id) = self.location_ids.get(&(function_id, line)) {
            return id;
        }
        let id = self.locations.len() as u64 + 1;
        self.locations.push(Location {
            id,
            mapping_id: 1,
            line: vec![Line {
                function_id,
                line: line as i64,
            }],
        });
        self.location_ids.insert((function_id, line), id);
        id
    }
}

/// The nanoseconds between two samples at `frequency_hz` (0 when it is 0).
fn period_ns(frequency_hz: u32) -> i64 {
    if frequency_hz == 0 {
        0
    } else {
        1_000_000_000 / frequency_hz as i64
    }
}

/// Builds the pprof message of a profile.
pub fn to_pprof(profile: &Profile) -> PprofProfile {
    let mut b = Builder {
        strings: Strings::new(),
        functions: Vec::new(),
        function_ids: HashMap::new(),
        locations: Vec::new(),
        location_ids: HashMap::new(),
    };
    let samples_type = ValueType {
        r#type: b.strings.get("samples"),
        unit: b.strings.get("count"),
    };
    let cpu = b.strings.get("cpu");
    let cpu_type = ValueType {
        r#type: cpu,
        unit: b.strings.get("nanoseconds"),
    };
    let period = period_ns(profile.run.frequency_hz);
    let (tier_key, category_key, op_key) = (
        b.strings.get("tier"),
        b.strings.get("category"),
        b.strings.get("op"),
    );
    let values = |n: u64| {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        vec![n, n.saturating_mul(period)]
    };

    let mut samples = Vec::new();
    for s in &profile.stacks {
        if s.samples == 0 {
            continue;
        }
        let mut location_id = Vec::with_capacity(s.frames.len() + 1);
        if let Some(native) = s
            .native
            .as_ref()
            .filter(|_| !matches!(s.category, Category::Interpreter | Category::Jit))
        {
            location_id.push(b.location(profile, FunctionKey::Native(native.clone()), 0));
        }
        for fr in s.frames.iter().rev() {
            location_id.push(b.location(profile, FunctionKey::Python(fr.function), fr.line));
        }
        let label = vec![
            Label {
                key: tier_key,
                str: b.strings.get(tier_name(s.tier)),
            },
            Label {
                key: category_key,
                str: b.strings.get(s.category.name()),
            },
            Label {
                key: op_key,
                str: b.strings.get(&s.op),
            },
        ];
        samples.push(Sample {
            location_id,
            value: values(s.samples),
            label,
        });
    }
    for c in Category::ALL {
        let n = profile.unattributed.get(c);
        if n == 0 {
            continue;
        }
        let loc = b.location(profile, FunctionKey::Native(NO_PYTHON_FRAME.into()), 0);
        samples.push(Sample {
            location_id: vec![loc],
            value: values(n),
            label: vec![Label {
                key: category_key,
                str: b.strings.get(c.name()),
            }],
        });
    }

    let run = &profile.run;
    let mut command = format!("jitlens record {}", run.program);
    for a in &run.args {
        command.push(' ');
        command.push_str(a);
    }
    let comment = vec![
        b.strings.get(&command),
        b.strings.get(&format!(
            "sampler {} {} at {} Hz, JIT {}, jitlens {}",
            run.sampler, run.event, run.frequency_hz, run.jit, run.jitlens_version
        )),
    ];
    let mapping = vec![Mapping {
        id: 1,
        filename: b.strings.get("jitlens"),
        has_functions: true,
        has_filenames: true,
        has_line_numbers: true,
    }];
    PprofProfile {
        sample_type: vec![samples_type, cpu_type.clone()],
        sample: samples,
        mapping,
        location: b.locations,
        function: b.functions,
        string_table: b.strings.table,
        time_nanos: i64::try_from(run.started_unix_ms)
            .unwrap_or(i64::MAX)
            .saturating_mul(1_000_000),
        duration_nanos: (run.duration_ms * 1e6) as i64,
        period_type: Some(cpu_type),
        period,
        comment,
        default_sample_type: cpu,
    }
}

/// The profile as raw (not gzipped) protobuf bytes.
pub fn encode(profile: &Profile) -> Vec<u8> {
    to_pprof(profile).encode_to_vec()
}

/// The profile as gzipped protobuf bytes (a `.pb.gz` file).
pub fn encode_gzip(profile: &Profile) -> Vec<u8> {
    let raw = encode(profile);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(&raw);
    gz.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;
    use std::io::Read;
    use std::path::Path;
    use std::process::{Command, Stdio};

    /// Where Debian's golang-github-google-pprof-dev puts profile.proto (`.ci/run`
    /// installs it with protobuf-compiler).
    const PROFILE_PROTO_DIR: &str = "/usr/share/gocode/src/github.com/google/pprof/proto";

    fn string(p: &PprofProfile, i: i64) -> &str {
        &p.string_table[i as usize]
    }

    #[test]
    fn round_trips_through_prost_and_has_the_expected_shape() {
        let p = fixture::nbody();
        let bytes = encode(&p);
        let back = PprofProfile::decode(bytes.as_slice()).unwrap();
        assert_eq!(back, to_pprof(&p));
        assert_eq!(back.string_table[0], "");
        let types: Vec<(&str, &str)> = back
            .sample_type
            .iter()
            .map(|t| (string(&back, t.r#type), string(&back, t.unit)))
            .collect();
        assert_eq!(types, [("samples", "count"), ("cpu", "nanoseconds")]);
        assert_eq!(back.period, 1_000_000);
        let total: i64 = back.sample.iter().map(|s| s.value[0]).sum();
        assert_eq!(total, p.run.samples as i64);
        let cpu: i64 = back.sample.iter().map(|s| s.value[1]).sum();
        assert_eq!(cpu, p.run.samples as i64 * 1_000_000);

        // The hottest sample: advance at line 74 is its leaf, <module> its root.
        let hot = back.sample.iter().max_by_key(|s| s.value[0]).unwrap();
        assert_eq!(hot.value, [412, 412_000_000]);
        let frame = |id: u64| {
            let loc = &back.location[id as usize - 1];
            assert_eq!(loc.id, id);
            let line = &loc.line[0];
            let f = &back.function[line.function_id as usize - 1];
            format!("{}:{}", string(&back, f.name), line.line)
        };
        let stack: Vec<String> = hot.location_id.iter().map(|&id| frame(id)).collect();
        assert_eq!(stack, ["advance:74", "main:104", "<module>:110"]);
        let labels: Vec<(&str, &str)> = hot
            .label
            .iter()
            .map(|l| (string(&back, l.key), string(&back, l.str)))
            .collect();
        assert_eq!(
            labels,
            [
                ("tier", "jit"),
                ("category", "jit"),
                ("op", "BINARY_OP_MULTIPLY_FLOAT")
            ]
        );
        // The helper sample has the native function as its leaf.
        let helper = back.sample.iter().find(|s| s.value[0] == 48).unwrap();
        assert_eq!(
            frame(helper.location_id[0]),
            "jitlens_vm::runtime::dict::lookup:0"
        );
    }

    #[test]
    fn gzip_decompresses_to_the_raw_bytes() {
        let p = fixture::nbody();
        let gz = encode_gzip(&p);
        assert_eq!(&gz[..2], &[0x1f, 0x8b]);
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz.as_slice())
            .read_to_end(&mut raw)
            .unwrap();
        assert_eq!(raw, encode(&p));
    }

    /// Runs protoc with `args`, feeding it `input`; `None` when protoc is not installed.
    fn protoc(args: &[&str], input: &[u8]) -> Option<String> {
        let mut child = match Command::new("protoc")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => panic!("cannot run protoc: {e}"),
        };
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input).expect("write to protoc");
        }
        let out = child.wait_with_output().expect("wait for protoc");
        assert!(
            out.status.success(),
            "protoc {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8(out.stdout).expect("protoc prints UTF-8"))
    }

    /// The independent decoder: protoc with the published profile.proto (from Debian's
    /// golang-github-google-pprof-dev), or, without that file, `protoc --decode_raw`.
    #[test]
    fn protoc_decodes_the_output() {
        let p = fixture::nbody();
        let bytes = encode(&p);
        let proto = Path::new(PROFILE_PROTO_DIR).join("profile.proto");
        if proto.is_file() {
            let Some(text) = protoc(
                &[
                    &format!("--proto_path={PROFILE_PROTO_DIR}"),
                    "--decode=perftools.profiles.Profile",
                    "profile.proto",
                ],
                &bytes,
            ) else {
                println!("skipped: protoc not installed (apt-get install protobuf-compiler)");
                return;
            };
            check_decoded(&text, &p);
        } else {
            println!(
                "note: {} is missing (apt-get install golang-github-google-pprof-dev); \
                 checking with protoc --decode_raw",
                proto.display()
            );
            let Some(text) = protoc(&["--decode_raw"], &bytes) else {
                println!("skipped: protoc not installed (apt-get install protobuf-compiler)");
                return;
            };
            check_raw(&text);
        }
    }

    /// Checks protoc's text format of the profile against the fixture.
    fn check_decoded(text: &str, p: &Profile) {
        // The string table, in order: every `string_table: "..."` line.
        let strings: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("string_table: "))
            .map(|s| s.trim_matches('"').to_string())
            .collect();
        assert_eq!(strings.first().map(String::as_str), Some(""), "{text}");
        for name in [
            "advance",
            "main",
            "<module>",
            "energy",
            "/nonexistent/jitlens-fixture/nbody.py",
        ] {
            assert!(
                strings.iter().any(|s| s == name),
                "{name} not in {strings:?}"
            );
        }
        // Every sample's two values, in order.
        let mut values: Vec<i64> = Vec::new();
        let mut in_sample = false;
        for l in text.lines() {
            let l = l.trim();
            if l == "sample {" {
                in_sample = true;
            } else if l == "}" {
                in_sample = false;
            } else if in_sample && let Some(v) = l.strip_prefix("value: ") {
                values.push(v.parse().expect("a sample value is an integer"));
            }
        }
        let counts: Vec<i64> = values.iter().step_by(2).copied().collect();
        let cpu: Vec<i64> = values.iter().skip(1).step_by(2).copied().collect();
        assert_eq!(counts, [412, 100, 48, 40, 150, 50, 70, 30, 20], "{text}");
        assert!(cpu.iter().zip(&counts).all(|(c, n)| *c == n * 1_000_000));
        assert_eq!(counts.iter().sum::<i64>(), p.run.samples as i64);
        assert!(text.contains("period: 1000000"), "{text}");
        // Function names resolve through the string table.
        let names: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("name: "))
            .filter_map(|i| strings.get(i.parse::<usize>().ok()?))
            .map(String::as_str)
            .collect();
        for f in [
            "advance",
            "main",
            "<module>",
            "energy",
            "jitlens_vm::runtime::dict::lookup",
        ] {
            assert!(names.contains(&f), "function {f} missing from {names:?}");
        }
    }

    /// Checks `protoc --decode_raw`'s field-number view: field 2 (sample) holds field 2
    /// (value) pairs, field 6 is the string table.
    fn check_raw(text: &str) {
        assert!(text.contains("6: \"advance\""), "{text}");
        assert!(text.contains("12: 1000000"), "{text}");
        assert!(text.lines().any(|l| l.trim() == "2 {"), "{text}");
    }
}
