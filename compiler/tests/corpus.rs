//! Every corpus benchmark and feature-test program compiles, and the output passes the
//! structural checks of `jitlens_compiler::verify`.

use std::path::{Path, PathBuf};

fn py_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    v.sort();
    v
}

/// Compiles every program in `dir`; `allow_unsupported` accepts programs that use a construct
/// jitlens reports as not supported yet (the feature tests list those as known failures).
fn check_dir(dir: &Path, allow_unsupported: bool) -> usize {
    let mut failures = Vec::new();
    let files = py_files(dir);
    for f in &files {
        let src = std::fs::read_to_string(f).expect("read");
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        match jitlens_compiler::compile(&src, &name) {
            Ok(unit) => {
                if let Err(e) = jitlens_compiler::verify::verify(&unit) {
                    failures.push(format!("{}: invalid code: {e}", f.display()));
                }
                let _ = jitlens_compiler::dis(&unit);
            }
            Err(e)
                if allow_unsupported
                    && e.kind == jitlens_compiler::CompileErrorKind::Unsupported => {}
            Err(e) => failures.push(format!("{}:\n{}", f.display(), e.render())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    files.len()
}

#[test]
fn corpus_compiles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !dir.exists() {
        eprintln!("no corpus folder; skipped");
        return;
    }
    check_dir(&dir, false);
}

#[test]
fn test_programs_compile() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/programs");
    let n = check_dir(&dir, true);
    assert!(n > 0 || !dir.exists());
}
