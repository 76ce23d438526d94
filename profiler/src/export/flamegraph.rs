//! An SVG flame graph of the profile's stacks, drawn by the `inferno` crate.
//!
//! The frames are those of [`super::collapsed`]. Each frame is coloured by what it is, so
//! the tiers stand apart:
//!
//! | frame | colour |
//! |---|---|
//! | op run by JIT code (`OP [jit]`) | green |
//! | op run by the interpreter (`OP [interp]`) | blue |
//! | runtime helper (its native name, or `[helper]`) | orange |
//! | garbage collector (`[gc]`) | purple |
//! | other native code, no Python frame | grey |
//! | Python function (`func (file:line)`) | yellow |
//!
//! inferno's built-in palettes choose a colour from the frame's name (its Java palette
//! reads `_[j]`/`_[i]`/`_[k]` suffixes, but paints any name containing a `.` green, which
//! a Python frame's `file.py` always does). So this module decides every colour itself and
//! hands inferno a [`PaletteMap`] holding one entry per frame name; inferno uses a name's
//! entry when it has one. The shade varies a little with a hash of the name, so
//! neighbouring frames of one kind stay distinguishable; the same name always gets the
//! same colour.

use super::collapsed::{FrameKind, fold};
use crate::model::{Category, Profile};
use inferno::flamegraph::color::{Color, PaletteMap};
use inferno::flamegraph::{self, Options};

/// The base colour of a kind of frame: (red, green, blue).
fn base(kind: FrameKind) -> (u8, u8, u8) {
    match kind {
        FrameKind::Op(1) => (60, 180, 75),
        FrameKind::Op(_) => (70, 110, 215),
        FrameKind::Native(Category::Helper) => (235, 140, 30),
        FrameKind::Native(Category::Gc) => (150, 80, 200),
        FrameKind::Native(Category::Jit) => (60, 180, 75),
        FrameKind::Native(Category::Interpreter) => (70, 110, 215),
        FrameKind::Native(Category::Other) => (150, 150, 150),
        FrameKind::Python => (225, 195, 70),
    }
}

/// The colour of one frame: its kind's base, lightened by up to 30 by a hash of its name.
pub(crate) fn frame_color(name: &str, kind: FrameKind) -> Color {
    // FNV-1a: stable across runs and builds, unlike std's hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    let lift = (h % 31) as u8;
    let (r, g, b) = base(kind);
    Color {
        r: r.saturating_add(lift),
        g: g.saturating_add(lift),
        b: b.saturating_add(lift),
    }
}

/// The flame graph of a profile, as SVG text. The title names the program; the subtitle
/// gives the sample count and the colour legend. Errors (`InvalidData`) for a profile
/// without samples: there is nothing to draw.
pub fn flamegraph(profile: &Profile) -> std::io::Result<String> {
    let folded = fold(profile);
    if folded.stacks.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the profile has no samples",
        ));
    }
    let mut palette = PaletteMap::default();
    for (name, kind) in &folded.kinds {
        palette.insert(name, frame_color(name, *kind));
    }
    let mut opt = Options::default();
    opt.title = format!("jitlens: {}", profile.run.program);
    opt.subtitle = Some(format!(
        "{} samples at {} Hz, JIT {}. green: JIT code, blue: interpreter, orange: runtime \
         helper, purple: GC, grey: other, yellow: Python frames",
        profile.run.samples, profile.run.frequency_hz, profile.run.jit
    ));
    opt.count_name = "samples".into();
    opt.deterministic = true;
    opt.hash = true;
    opt.palette_map = Some(&mut palette);
    let lines: Vec<String> = folded
        .stacks
        .iter()
        .map(|(stack, n)| format!("{stack} {n}"))
        .collect();
    let mut svg = Vec::new();
    flamegraph::from_lines(&mut opt, lines.iter().map(String::as_str), &mut svg)?;
    String::from_utf8(svg).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        let opt = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        match roxmltree::Document::parse_with_options(svg, opt) {
            Ok(d) => d,
            Err(e) => panic!("the SVG is not well-formed XML: {e}"),
        }
    }

    /// The fill of the rectangle of the frame whose title starts with `name`.
    fn fill_of(doc: &roxmltree::Document<'_>, name: &str) -> String {
        let g = doc
            .descendants()
            .filter(|n| n.has_tag_name("g"))
            .find(|g| {
                g.children().any(|c| {
                    c.has_tag_name("title") && c.text().is_some_and(|t| t.starts_with(name))
                })
            })
            .unwrap_or_else(|| panic!("no frame titled {name}"));
        let rect = g
            .children()
            .find(|c| c.has_tag_name("rect"))
            .expect("a frame has a rect");
        rect.attribute("fill")
            .expect("a rect has a fill")
            .to_string()
    }

    #[test]
    fn svg_is_well_formed_names_the_program_and_the_hot_function() {
        let svg = flamegraph(&fixture::nbody()).unwrap();
        let doc = parse(&svg);
        assert!(doc.root_element().has_tag_name("svg"));
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("jitlens: examples/nbody.py")),
            "title"
        );
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with("advance (nbody.py:74) (600 samples")),
            "{titles:?}"
        );
    }

    #[test]
    fn jit_and_interpreter_frames_have_distinct_colours() {
        let svg = flamegraph(&fixture::nbody()).unwrap();
        let doc = parse(&svg);
        let jit = fill_of(&doc, "BINARY_OP_MULTIPLY_FLOAT [jit]");
        let interp = fill_of(&doc, "BINARY_OP_MULTIPLY_FLOAT [interp]");
        let helper = fill_of(&doc, "jitlens_vm::runtime::dict::lookup");
        let gc = fill_of(&doc, "[gc]");
        let python = fill_of(&doc, "advance (nbody.py:74)");
        let all = [&jit, &interp, &helper, &gc, &python];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b, "two kinds of frame share a colour");
            }
        }
        // The JIT frame is the green one: its green channel dominates.
        let c = frame_color("BINARY_OP_MULTIPLY_FLOAT [jit]", FrameKind::Op(1));
        assert_eq!(jit, format!("rgb({},{},{})", c.r, c.g, c.b));
        assert!(c.g > c.r && c.g > c.b);
    }

    #[test]
    fn no_samples_is_an_error_not_an_image() {
        let e = flamegraph(&Profile::new(crate::RunInfo::default())).unwrap_err();
        assert_eq!(e.to_string(), "the profile has no samples");
    }

    #[test]
    fn same_profile_same_svg() {
        let p = fixture::nbody();
        assert_eq!(flamegraph(&p).unwrap(), flamegraph(&p).unwrap());
    }
}
