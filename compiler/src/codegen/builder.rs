//! The instruction buffer of one code object: labels, exception-handler regions, and the
//! final assembly (jump resolution, CACHE words, exception table, stack depth).

use crate::bytecode::{ExcEntry, Op, Position, encode};

/// A jump target, bound to an instruction with [`CodeBuilder::bind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(u32);

/// One instruction before assembly.
#[derive(Clone, Debug)]
struct Instr {
    op: Op,
    arg: u32,
    target: Option<Label>,
    pos: Position,
    handler: Option<u32>,
}

/// An exception handler: where to go and how deep the value stack is kept.
#[derive(Clone, Copy, Debug)]
struct Handler {
    label: Label,
    depth: u32,
}

/// The assembled instruction stream of a code object.
pub struct Assembled {
    /// Instruction words including CACHE words.
    pub instrs: Vec<u32>,
    /// One position per word.
    pub positions: Vec<Position>,
    /// Exception table.
    pub exc_table: Vec<ExcEntry>,
    /// Maximum value-stack depth.
    pub max_stack: u32,
}

/// Collects the instructions of one code object.
#[derive(Default)]
pub struct CodeBuilder {
    instrs: Vec<Instr>,
    labels: Vec<Option<u32>>,
    handlers: Vec<Handler>,
    handler_stack: Vec<u32>,
    /// Position given to the instructions emitted next.
    pub pos: Position,
}

impl CodeBuilder {
    /// A fresh, unbound label.
    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// Binds `label` to the next emitted instruction.
    pub fn bind(&mut self, label: Label) {
        self.labels[label.0 as usize] = Some(self.instrs.len() as u32);
    }

    /// Emits `op arg`.
    pub fn emit(&mut self, op: Op, arg: u32) {
        debug_assert!(!op.is_jump(), "use emit_jump for {op:?}");
        self.push(op, arg, None);
    }

    /// Emits a jump to `label`. `JUMP_FORWARD` and `JUMP_BACKWARD` are interchangeable here:
    /// the direction is fixed at assembly.
    pub fn emit_jump(&mut self, op: Op, label: Label) {
        self.push(op, 0, Some(label));
    }

    fn push(&mut self, op: Op, arg: u32, target: Option<Label>) {
        self.instrs.push(Instr {
            op,
            arg,
            target,
            pos: self.pos,
            handler: self.handler_stack.last().copied(),
        });
    }

    /// Instructions emitted from now on are covered by a handler at `label` that keeps
    /// `depth` stack items.
    pub fn push_handler(&mut self, label: Label, depth: u32) {
        self.handlers.push(Handler { label, depth });
        self.handler_stack.push(self.handlers.len() as u32 - 1);
    }

    /// Ends the innermost handler region.
    pub fn pop_handler(&mut self) {
        self.handler_stack.pop();
    }

    /// Number of active handler regions.
    pub fn handler_depth(&self) -> usize {
        self.handler_stack.len()
    }

    /// Saves the active handler regions (see [`CodeBuilder::restore_handlers`]).
    pub fn save_handlers(&self) -> Vec<u32> {
        self.handler_stack.clone()
    }

    /// Restores handler regions saved by [`CodeBuilder::save_handlers`].
    pub fn restore_handlers(&mut self, saved: Vec<u32>) {
        self.handler_stack = saved;
    }

    /// Keeps only the `n` outermost handler regions.
    pub fn truncate_handlers(&mut self, n: usize) {
        self.handler_stack.truncate(n);
    }

    /// True when the last instruction never falls through and no label points past it.
    pub fn ends_with_terminator(&self) -> bool {
        let end = self.instrs.len() as u32;
        if self.labels.contains(&Some(end)) {
            return false;
        }
        self.instrs.last().is_some_and(|i| {
            matches!(
                i.op,
                Op::RETURN_VALUE
                    | Op::RAISE_VARARGS
                    | Op::RERAISE
                    | Op::JUMP_FORWARD
                    | Op::JUMP_BACKWARD
            )
        })
    }

    /// Resolves jumps, lays out CACHE words, builds the exception table and computes the
    /// maximum stack depth.
    pub fn assemble(mut self) -> Result<Assembled, String> {
        let n = self.instrs.len();
        // Word offset of each instruction.
        let mut offsets = Vec::with_capacity(n + 1);
        let mut w = 0u32;
        for i in &self.instrs {
            offsets.push(w);
            w += 1 + i.op.cache_words();
        }
        offsets.push(w);
        let target_index = |l: Label, labels: &[Option<u32>]| -> Result<usize, String> {
            let idx = labels[l.0 as usize].ok_or("unbound label")? as usize;
            if idx >= n {
                return Err("label bound past the last instruction".into());
            }
            Ok(idx)
        };
        // Resolve jumps (and fix the direction of unconditional jumps).
        for i in 0..n {
            if let Some(l) = self.instrs[i].target {
                let t = target_index(l, &self.labels)?;
                self.instrs[i].arg = offsets[t];
                if matches!(self.instrs[i].op, Op::JUMP_FORWARD | Op::JUMP_BACKWARD) {
                    self.instrs[i].op = if t <= i {
                        Op::JUMP_BACKWARD
                    } else {
                        Op::JUMP_FORWARD
                    };
                }
            }
        }
        // Words and positions.
        let mut words = Vec::with_capacity(w as usize);
        let mut positions = Vec::with_capacity(w as usize);
        for i in &self.instrs {
            words.push(encode(i.op, i.arg));
            positions.push(i.pos);
            for _ in 0..i.op.cache_words() {
                words.push(encode(Op::CACHE, 0));
                positions.push(i.pos);
            }
        }
        // Exception table: runs of instructions with the same handler.
        let mut exc_table: Vec<ExcEntry> = Vec::new();
        let mut i = 0;
        while i < n {
            let Some(h) = self.instrs[i].handler else {
                i += 1;
                continue;
            };
            let start = i;
            while i < n && self.instrs[i].handler == Some(h) {
                i += 1;
            }
            let handler = self.handlers[h as usize];
            let t = target_index(handler.label, &self.labels)?;
            exc_table.push(ExcEntry {
                start: offsets[start],
                end: offsets[i],
                target: offsets[t],
                depth: handler.depth,
                push_lasti: false,
            });
        }
        // Handlers in unreachable code still get room for their depth.
        let handler_room = exc_table.iter().map(|e| e.depth + 1).max().unwrap_or(0);
        let max_stack = self.stack_depth()?.max(handler_room);
        Ok(Assembled {
            instrs: words,
            positions,
            exc_table,
            max_stack,
        })
    }

    /// Flow analysis of the stack depth (over instruction indices).
    fn stack_depth(&self) -> Result<u32, String> {
        let n = self.instrs.len();
        let mut depth: Vec<Option<i64>> = vec![None; n];
        let mut work = vec![(0usize, 0i64)];
        let mut max = 0i64;
        let label_idx = |l: Label| self.labels[l.0 as usize].unwrap_or(0) as usize;
        while let Some((i, d)) = work.pop() {
            if i >= n {
                return Err(format!("control flows past the end (depth {d})"));
            }
            match depth[i] {
                Some(old) if old == d => continue,
                Some(old) => {
                    return Err(format!(
                        "stack depth mismatch at instruction {i} ({:?}): {old} vs {d}",
                        self.instrs[i].op
                    ));
                }
                None => depth[i] = Some(d),
            }
            let ins = &self.instrs[i];
            if let Some(h) = ins.handler {
                let h = self.handlers[h as usize];
                if (h.depth as i64) > d {
                    return Err(format!(
                        "handler depth {} above stack depth {d} at instruction {i} ({:?})",
                        h.depth, ins.op
                    ));
                }
                max = max.max(h.depth as i64 + 1);
                work.push((label_idx(h.label), h.depth as i64 + 1));
            }
            let (fall, jump) = effect(ins.op, ins.arg);
            if let Some(e) = fall {
                let nd = d + e;
                if nd < 0 {
                    return Err(format!("stack underflow at instruction {i} ({:?})", ins.op));
                }
                max = max.max(nd);
                work.push((i + 1, nd));
            }
            if let (Some(e), Some(l)) = (jump, ins.target) {
                let nd = d + e;
                if nd < 0 {
                    return Err(format!("stack underflow at instruction {i} ({:?})", ins.op));
                }
                max = max.max(nd);
                work.push((label_idx(l), nd));
            }
        }
        Ok(max as u32)
    }
}

/// Stack effect of an op: (when falling through, when jumping). `None` = no such edge.
pub fn effect(op: Op, arg: u32) -> (Option<i64>, Option<i64>) {
    let a = arg as i64;
    let f = |e: i64| (Some(e), None);
    match op {
        // Specialized forms have their family's effect.
        op if op.family() != op => effect(op.family(), arg),
        Op::NOP | Op::CACHE | Op::RESUME | Op::SWAP | Op::SETUP_ANNOTATIONS => f(0),
        Op::POP_TOP => f(-1),
        Op::PUSH_NULL | Op::COPY => f(1),
        Op::LOAD_CONST
        | Op::LOAD_FAST
        | Op::LOAD_DEREF
        | Op::LOAD_CLOSURE
        | Op::LOAD_CLASSDEREF
        | Op::LOAD_GLOBAL
        | Op::LOAD_NAME
        | Op::LOAD_BUILD_CLASS
        | Op::LOAD_ASSERTION_ERROR => f(1),
        Op::STORE_FAST | Op::STORE_DEREF | Op::STORE_GLOBAL | Op::STORE_NAME => f(-1),
        Op::DELETE_FAST | Op::DELETE_DEREF | Op::DELETE_GLOBAL | Op::DELETE_NAME => f(0),
        Op::LOAD_ATTR => f(0),
        Op::LOAD_METHOD => f(1),
        Op::STORE_ATTR => f(-2),
        Op::DELETE_ATTR => f(-1),
        Op::BINARY_OP => f(-1),
        Op::UNARY_NEGATIVE | Op::UNARY_POSITIVE | Op::UNARY_NOT | Op::UNARY_INVERT => f(0),
        Op::COMPARE_OP | Op::IS_OP | Op::CONTAINS_OP | Op::BINARY_SUBSCR => f(-1),
        Op::STORE_SUBSCR => f(-3),
        Op::DELETE_SUBSCR => f(-2),
        Op::BUILD_SLICE | Op::BUILD_TUPLE | Op::BUILD_LIST | Op::BUILD_SET | Op::BUILD_STRING => {
            f(1 - a)
        }
        Op::BUILD_MAP => f(1 - 2 * a),
        Op::LIST_APPEND | Op::SET_ADD => f(-1),
        Op::MAP_ADD => f(-2),
        Op::LIST_EXTEND | Op::SET_UPDATE | Op::DICT_UPDATE | Op::DICT_MERGE => f(-1),
        Op::LIST_TO_TUPLE => f(0),
        Op::FORMAT_VALUE => f(if arg & 4 != 0 { -1 } else { 0 }),
        Op::UNPACK_SEQUENCE => f(a - 1),
        Op::UNPACK_EX => f((a & 0xff) + (a >> 8)),
        Op::JUMP_FORWARD | Op::JUMP_BACKWARD => (None, Some(0)),
        Op::POP_JUMP_IF_FALSE
        | Op::POP_JUMP_IF_TRUE
        | Op::POP_JUMP_IF_NONE
        | Op::POP_JUMP_IF_NOT_NONE => (Some(-1), Some(-1)),
        Op::JUMP_IF_FALSE_OR_POP | Op::JUMP_IF_TRUE_OR_POP => (Some(-1), Some(0)),
        Op::GET_ITER | Op::GET_YIELD_FROM_ITER => f(0),
        Op::FOR_ITER => (Some(1), Some(-1)),
        Op::MAKE_FUNCTION => {
            f(-((arg & 1) as i64 + ((arg >> 1) & 1) as i64 + ((arg >> 3) & 1) as i64))
        }
        Op::CALL => f(-(a + 1)),
        Op::CALL_KW => f(-(a + 2)),
        Op::CALL_FUNCTION_EX => f(-(2 + (a & 1))),
        Op::RETURN_VALUE => (None, None),
        Op::YIELD_VALUE => f(0),
        Op::SEND => (Some(0), Some(-1)),
        Op::RAISE_VARARGS | Op::RERAISE => (None, None),
        Op::PUSH_EXC_INFO => f(1),
        Op::POP_EXCEPT => f(-1),
        Op::CHECK_EXC_MATCH => f(0),
        Op::BEFORE_WITH | Op::WITH_EXCEPT_START => f(1),
        Op::IMPORT_NAME => f(-1),
        Op::IMPORT_FROM => f(1),
        Op::IMPORT_STAR => f(-1),
        // Every specialized form took the first arm.
        _ => unreachable!("{op:?} is a specialized form"),
    }
}
