//! Folded stacks (Brendan Gregg's "collapsed" format): one `frame;frame;…;leaf count` line
//! per distinct stack, root first, for `flamegraph.pl`, inferno, speedscope and the like.
//!
//! - A Python frame is `function (file:line)`, with the file's basename and the line that
//!   frame was executing.
//! - Below the innermost Python frame comes the op with its tier: `BINARY_OP_MULTIPLY_FLOAT
//!   [jit]` or `LOAD_ATTR [interp]`.
//! - Time outside the interpreter and JIT code gets one more frame: the native function
//!   when the sampler named it (`jitlens_vm::runtime::dict::lookup`), else `[helper]`,
//!   `[gc]` or `[other]`.
//! - Samples with no Python frame (startup, compiling, shutdown) are
//!   `[no Python frame];[category]`.
//!
//! Lines are sorted by their text and identical stacks are merged, so the output is
//! deterministic. `;` in a name is written as `:` (it would split the frame).

use super::{NO_PYTHON_FRAME, file_basename, native_leaf, tier_name};
use crate::model::{Category, Profile};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a frame of a folded stack stands for (the flame graph colours by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrameKind {
    /// A Python function at a line.
    Python,
    /// The op the innermost frame was running, in tier 0 or 1.
    Op(u8),
    /// Native time below the op (helper, GC, other), or a sample with no Python frame.
    Native(Category),
}

/// Folded stacks with the kind of every frame name in them.
pub(crate) struct Folded {
    /// `frame;frame;…;leaf` → samples, sorted by text.
    pub(crate) stacks: BTreeMap<String, u64>,
    /// Every frame name that occurs, with its kind.
    pub(crate) kinds: BTreeMap<String, FrameKind>,
}

/// A frame name with the characters that would break the format replaced.
fn clean(name: &str) -> String {
    name.replace(';', ":").replace(['\n', '\r'], " ")
}

/// Folds the profile's stacks and unattributed samples.
pub(crate) fn fold(profile: &Profile) -> Folded {
    let mut stacks: BTreeMap<String, u64> = BTreeMap::new();
    let mut kinds: BTreeMap<String, FrameKind> = BTreeMap::new();
    let mut push = |frames: Vec<(String, FrameKind)>, samples: u64| {
        if samples == 0 {
            return;
        }
        let mut line = String::new();
        for (i, (name, kind)) in frames.into_iter().enumerate() {
            if i > 0 {
                line.push(';');
            }
            line.push_str(&name);
            kinds.entry(name).or_insert(kind);
        }
        *stacks.entry(line).or_default() += samples;
    };
    for s in &profile.stacks {
        let mut frames: Vec<(String, FrameKind)> = s
            .frames
            .iter()
            .map(|fr| {
                let f = profile.function(fr.function);
                let name = format!(
                    "{} ({}:{})",
                    f.name,
                    file_basename(profile, f.file),
                    fr.line
                );
                (clean(&name), FrameKind::Python)
            })
            .collect();
        frames.push((
            clean(&format!("{} [{}]", s.op, tier_name(s.tier))),
            FrameKind::Op(s.tier),
        ));
        if let Some(native) = native_leaf(s) {
            frames.push((clean(&native), FrameKind::Native(s.category)));
        }
        push(frames, s.samples);
    }
    for c in Category::ALL {
        let frames = vec![
            (
                NO_PYTHON_FRAME.to_string(),
                FrameKind::Native(Category::Other),
            ),
            (format!("[{}]", c.name()), FrameKind::Native(c)),
        ];
        push(frames, profile.unattributed.get(c));
    }
    Folded { stacks, kinds }
}

/// The profile as folded stacks, one line per stack, each ending in `\n`.
pub fn collapsed(profile: &Profile) -> String {
    let mut out = String::new();
    for (stack, n) in fold(profile).stacks {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{stack} {n}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn folded_lines_are_exact_and_sorted() {
        let p = fixture::nbody();
        let got = collapsed(&p);
        let want = "\
<module> (nbody.py:110);main (nbody.py:104);advance (nbody.py:74);BINARY_OP_MULTIPLY_FLOAT [interp] 100
<module> (nbody.py:110);main (nbody.py:104);advance (nbody.py:74);BINARY_OP_MULTIPLY_FLOAT [jit] 412
<module> (nbody.py:110);main (nbody.py:104);advance (nbody.py:74);LOAD_ATTR_INSTANCE_VALUE [jit];jitlens_vm::runtime::dict::lookup 48
<module> (nbody.py:110);main (nbody.py:104);advance (nbody.py:74);LOAD_FAST [jit] 40
<module> (nbody.py:110);main (nbody.py:104);advance (nbody.py:75);BINARY_OP_SUBTRACT_FLOAT [interp] 50
<module> (nbody.py:110);main (nbody.py:104);advance (nbody.py:75);BINARY_OP_SUBTRACT_FLOAT [jit] 150
<module> (nbody.py:110);main (nbody.py:106);energy (nbody.py:90);CALL_BUILTIN_FAST [interp] 70
<module> (nbody.py:110);main (nbody.py:106);energy (nbody.py:90);CALL_BUILTIN_FAST [interp];[gc] 30
[no Python frame];[other] 20
";
        assert_eq!(got, want);
        // Every sample is in exactly one line.
        let total: u64 = got
            .lines()
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum();
        assert_eq!(total, p.run.samples);
    }

    #[test]
    fn identical_stacks_merge_and_semicolons_are_escaped() {
        let mut p = fixture::nbody();
        p.functions[2].name = "odd;name".into();
        let dup = p.stacks[0].clone();
        p.stacks.push(dup);
        let got = collapsed(&p);
        assert!(
            got.contains("odd:name (nbody.py:74);BINARY_OP_MULTIPLY_FLOAT [jit] 824\n"),
            "{got}"
        );
        assert_eq!(got.lines().count(), 9);
    }

    /// docs/profile-format.md's example parses, and folds as the page shows.
    #[test]
    fn the_documented_example_folds_as_documented() {
        let doc = include_str!("../../../docs/profile-format.md");
        let block = |fence: &str| -> &str {
            let start = doc.find(fence).expect("fence") + fence.len();
            let len = doc[start..].find("```").expect("closing fence");
            &doc[start..start + len]
        };
        let p = crate::parse(std::path::Path::new("example"), block("```json\n")).unwrap();
        let shown = block("--format collapsed\n");
        assert_eq!(collapsed(&p), shown);
    }

    #[test]
    fn empty_profile_is_empty() {
        let p = Profile::new(crate::RunInfo::default());
        assert_eq!(collapsed(&p), "");
    }
}
