//! Structural checks of compiled code: op bytes, jump targets, CACHE layout, positions,
//! exception table, stack depth, and no falling through past the end. The VM runs them on
//! every unit it loads (`Code::load`): its interpreter loop relies on them instead of
//! checking each instruction it decodes.

use crate::bytecode::{Op, decode};
use crate::unit::{CodeUnit, Const};

/// Checks `unit` and its nested code objects; returns the first problem found.
pub fn verify(unit: &CodeUnit) -> Result<(), String> {
    verify_one(unit).map_err(|e| format!("{}: {e}", unit.qualname))?;
    for c in &unit.consts {
        if let Const::Code(child) = c {
            verify(child)?;
        }
    }
    Ok(())
}

fn verify_one(u: &CodeUnit) -> Result<(), String> {
    let n = u.instrs.len();
    if u.positions.len() != n {
        return Err(format!("{} positions for {n} words", u.positions.len()));
    }
    if n == 0 || decode(u.instrs[0]) != (Op::RESUME as u8, 0) {
        return Err("does not start with RESUME 0".into());
    }
    // Instruction starts.
    let mut starts = vec![false; n];
    let mut i = 0;
    let mut last = Op::NOP;
    while i < n {
        starts[i] = true;
        let (opn, _) = decode(u.instrs[i]);
        let op = Op::from_u8(opn).ok_or(format!("bad op {opn} at {i}"))?;
        if op == Op::CACHE {
            return Err(format!("stray CACHE at {i}"));
        }
        for k in 1..=op.cache_words() as usize {
            if i + k >= n || decode(u.instrs[i + k]).0 != Op::CACHE as u8 {
                return Err(format!("{op:?} at {i} lacks its CACHE words"));
            }
            if u.positions[i + k] != u.positions[i] {
                return Err(format!("CACHE word of {op:?} at {i} has another position"));
            }
        }
        last = op;
        i += 1 + op.cache_words() as usize;
    }
    // The interpreter checks the instruction pointer only where it enters a frame: within
    // one, control stays on instruction starts only if the last instruction cannot fall
    // through past the end.
    if !matches!(
        last,
        Op::RETURN_VALUE | Op::RAISE_VARARGS | Op::RERAISE | Op::JUMP_FORWARD | Op::JUMP_BACKWARD
    ) {
        return Err(format!(
            "ends with {last:?}, which falls through past the end"
        ));
    }
    let ncells = (u.cellvars.len() + u.freevars.len()) as u32;
    i = 0;
    while i < n {
        let (opn, arg) = decode(u.instrs[i]);
        let op = Op::from_u8(opn).expect("checked");
        if op.is_jump() && (arg as usize >= n || !starts[arg as usize]) {
            return Err(format!("{op:?} at {i} jumps to {arg}, not an instruction"));
        }
        let bad = match op {
            Op::LOAD_CONST => arg as usize >= u.consts.len(),
            Op::LOAD_FAST | Op::STORE_FAST | Op::DELETE_FAST => arg as usize >= u.varnames.len(),
            Op::LOAD_DEREF
            | Op::STORE_DEREF
            | Op::DELETE_DEREF
            | Op::LOAD_CLOSURE
            | Op::LOAD_CLASSDEREF => arg >= ncells,
            Op::LOAD_GLOBAL
            | Op::STORE_GLOBAL
            | Op::DELETE_GLOBAL
            | Op::LOAD_NAME
            | Op::STORE_NAME
            | Op::DELETE_NAME
            | Op::LOAD_ATTR
            | Op::LOAD_METHOD
            | Op::STORE_ATTR
            | Op::DELETE_ATTR
            | Op::IMPORT_NAME
            | Op::IMPORT_FROM => arg as usize >= u.names.len(),
            _ => false,
        };
        if bad {
            return Err(format!("{op:?} at {i} has out-of-range argument {arg}"));
        }
        i += 1 + op.cache_words() as usize;
    }
    let mut last_end = 0;
    for e in &u.exc_table {
        if e.start >= e.end || e.end as usize > n {
            return Err(format!("bad exception range {}..{}", e.start, e.end));
        }
        if e.start < last_end {
            return Err(format!("overlapping exception range at {}", e.start));
        }
        last_end = e.end;
        if !starts[e.start as usize] || (e.end as usize) < n && !starts[e.end as usize] {
            return Err(format!(
                "exception range {}..{} splits an instruction",
                e.start, e.end
            ));
        }
        if e.target as usize >= n || !starts[e.target as usize] {
            return Err(format!(
                "exception target {} is not an instruction",
                e.target
            ));
        }
        if e.depth > u.max_stack {
            return Err(format!("handler depth {} above max_stack", e.depth));
        }
    }
    if u.cell2arg.len() != u.cellvars.len() {
        return Err("cell2arg does not match cellvars".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_that_falls_off_its_end_is_rejected() {
        let mut unit = crate::compile("x = 1\n", "t.py").expect("compiles");
        verify(&unit).expect("valid as compiled");
        // Drop the final RETURN_VALUE: the LOAD_CONST before it would run into nothing.
        unit.instrs.pop();
        unit.positions.pop();
        let e = verify(&unit).expect_err("must be rejected");
        assert!(e.contains("falls through past the end"), "{e}");
    }

    #[test]
    fn a_bad_op_byte_is_rejected() {
        let mut unit = crate::compile("x = 1\n", "t.py").expect("compiles");
        unit.instrs[1] = 0xFF;
        let e = verify(&unit).expect_err("must be rejected");
        assert!(e.contains("bad op 255"), "{e}");
    }
}
