//! The whole chain, executed: stencils copied and patched into mapped memory, made
//! executable, and run on a hand-built frame. A tiny test-only "compiler" lays out one stencil
//! per instruction (dropping trailing jumps where the next stencil follows) and one `EXIT`
//! stub per instruction that can side-exit.

use super::abi::*;
use super::code_memory::{ExecutableCode, WritableCode};
use super::holes::HoleKind;
use super::stencils::{self, HoleValues, Stencil, patch};
use std::cell::{Cell, RefCell};

/// One instruction of a test program.
#[derive(Copy, Clone)]
struct Ins {
    op: &'static str,
    oparg: u64,
    operand: u64,
}

fn ins(op: &'static str, oparg: u64) -> Ins {
    Ins {
        op,
        oparg,
        operand: 0,
    }
}

fn with_operand(op: &'static str, operand: u64) -> Ins {
    Ins {
        op,
        oparg: 0,
        operand,
    }
}

thread_local! {
    static DEALLOCATED: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

unsafe extern "C" fn test_dealloc(obj: *mut u8) {
    DEALLOCATED.with(|d| d.borrow_mut().push(obj as usize));
}

thread_local! {
    /// What `test_tier0_step` does: push this small int, then go to `ip + 1` (or the given
    /// ip), returning the status.
    static STEP: Cell<(i64, Option<usize>, u64)> = const { Cell::new((0, None, STATUS_EXIT)) };
}

/// A stand-in for the interpreter's single-instruction helper: pushes `STEP.0 * 1000 + ip`.
unsafe extern "C" fn test_tier0_step(frame: *mut FrameHead, _vm: *mut u8) -> i64 {
    let (base, jump, status) = STEP.with(|s| s.get());
    // SAFETY: the JIT code passes the frame it runs, with a stack that has room.
    unsafe {
        let ip = (*frame).ip;
        let top = (*frame).stack_top;
        *top = box_small_int(base * 1000 + ip as i64);
        (*frame).stack_top = top.add(1);
        (*frame).ip = jump.unwrap_or(ip + 1);
    }
    status as i64
}

/// A compiled test program.
struct Compiled {
    code: ExecutableCode,
}

/// Lays out and patches `prog`; `JIT_TARGET` of instruction `i` is instruction `oparg`.
fn compile(prog: &[Ins]) -> Compiled {
    let stencils: Vec<&Stencil> = prog
        .iter()
        .map(|i| stencils::by_name(i.op).unwrap_or_else(|| panic!("no stencil {}", i.op)))
        .collect();
    // Main code: each stencil, without its trailing jump when another follows.
    let mut starts = Vec::new();
    let mut lens = Vec::new();
    let mut at = 0;
    for (i, s) in stencils.iter().enumerate() {
        starts.push(at);
        let len = if i + 1 < prog.len() {
            s.body_len()
        } else {
            s.code.len()
        };
        lens.push(len);
        at += len;
    }
    // Cold code: the side exits.
    let exit = stencils::exit();
    let mut exits = vec![None; prog.len()];
    for (i, s) in stencils.iter().enumerate() {
        if s.uses(HoleKind::Exit) {
            exits[i] = Some(at);
            at += exit.code.len();
        }
    }
    let mut mem = WritableCode::new(at).unwrap();
    let base = mem.addr();
    let buf = mem.as_mut_slice();
    for (i, (s, ins)) in stencils.iter().zip(prog).enumerate() {
        let values = HoleValues {
            oparg: ins.oparg,
            operand: ins.operand,
            ip: i as u64,
            next_ip: i as u64 + 1,
            continue_to: base + starts.get(i + 1).copied().unwrap_or(0) as u64,
            target: base + starts.get(ins.oparg as usize).copied().unwrap_or(0) as u64,
            exit: base + exits[i].unwrap_or(0) as u64,
            dealloc: test_dealloc as *const () as u64,
            tier0_step: test_tier0_step as *const () as u64,
            data: 0,
        };
        patch(s, &mut buf[starts[i]..starts[i] + lens[i]], &values).unwrap();
        if let Some(e) = exits[i] {
            let values = HoleValues {
                ip: i as u64,
                ..HoleValues::default()
            };
            patch(exit, &mut buf[e..e + exit.code.len()], &values).unwrap();
        }
    }
    Compiled {
        code: mem.make_executable().unwrap(),
    }
}

/// A frame to run a test program on.
struct TestFrame {
    head: FrameHead,
    fast: Vec<u64>,
    stack: Vec<u64>,
}

impl TestFrame {
    fn new(locals: &[u64]) -> Box<TestFrame> {
        let mut f = Box::new(TestFrame {
            head: FrameHead {
                fast: std::ptr::null_mut(),
                stack_base: std::ptr::null_mut(),
                stack_top: std::ptr::null_mut(),
                ip: usize::MAX,
            },
            fast: locals.to_vec(),
            stack: vec![0xDEAD; 16],
        });
        f.head.fast = f.fast.as_mut_ptr();
        f.head.stack_base = f.stack.as_mut_ptr();
        f.head.stack_top = f.head.stack_base;
        f
    }

    /// The stack as published by the JIT code (`stack_base..stack_top`).
    fn stack(&self) -> &[u64] {
        let n = (self.head.stack_top as usize - self.head.stack_base as usize) / 8;
        &self.stack[..n]
    }
}

/// Runs `compiled` from its first instruction; returns the status.
fn run(compiled: &Compiled, frame: &mut TestFrame) -> u64 {
    // SAFETY: offset 0 is the first instruction's complete, patched stencil; the frame's
    // locals and stack are live and large enough for the test programs; `compiled` outlives
    // the call.
    unsafe {
        let entry = compiled.code.entry(0);
        entry(&mut frame.head, frame.head.stack_base, std::ptr::null_mut())
    }
}

fn int(i: i64) -> u64 {
    box_small_int(i)
}

fn float(x: f64) -> u64 {
    box_float(x)
}

#[test]
fn load_fast_load_fast_add_int_return() {
    let c = compile(&[
        ins("LOAD_FAST", 0),
        ins("LOAD_FAST", 1),
        ins("BINARY_OP_ADD_INT", 0),
        ins("RETURN_VALUE", 0),
    ]);
    let mut f = TestFrame::new(&[int(2), int(40)]);
    assert_eq!(run(&c, &mut f), STATUS_RETURN);
    assert_eq!(f.stack(), [int(42)]);
    assert_eq!(f.head.ip, 4);

    let mut f = TestFrame::new(&[int(-5), int(-(1 << 46))]);
    assert_eq!(run(&c, &mut f), STATUS_RETURN);
    assert_eq!(f.stack(), [int(-5 - (1 << 46))]);
}

#[test]
fn guards_side_exit_at_the_instruction_with_its_stack() {
    let c = compile(&[
        ins("LOAD_FAST", 0),
        ins("LOAD_FAST", 1),
        ins("BINARY_OP_ADD_INT", 0),
        ins("RETURN_VALUE", 0),
    ]);
    // Overflow of the 48-bit range.
    let mut f = TestFrame::new(&[int(SMALL_INT_MAX), int(1)]);
    assert_eq!(run(&c, &mut f), STATUS_EXIT);
    assert_eq!(f.head.ip, 2);
    assert_eq!(f.stack(), [int(SMALL_INT_MAX), int(1)]);
    // Not an int.
    let mut f = TestFrame::new(&[int(1), float(1.0)]);
    assert_eq!(run(&c, &mut f), STATUS_EXIT);
    assert_eq!(f.head.ip, 2);
    assert_eq!(f.stack(), [int(1), float(1.0)]);
    // An unbound local.
    let mut f = TestFrame::new(&[int(1), UNDEF_BITS]);
    assert_eq!(run(&c, &mut f), STATUS_EXIT);
    assert_eq!(f.head.ip, 1);
    assert_eq!(f.stack(), [int(1)]);
}

fn binop(op: &'static str, a: u64, b: u64) -> (u64, Vec<u64>) {
    let c = compile(&[
        ins("LOAD_FAST", 0),
        ins("LOAD_FAST", 1),
        ins(op, 0),
        ins("RETURN_VALUE", 0),
    ]);
    let mut f = TestFrame::new(&[a, b]);
    let status = run(&c, &mut f);
    (status, f.stack().to_vec())
}

#[test]
fn int_arithmetic_matches_python() {
    let cases: &[(i64, i64)] = &[
        (7, 3),
        (-7, 3),
        (0, -1),
        (1 << 30, 1 << 16),
        (1 << 24, 1 << 24),
        (SMALL_INT_MIN, -1),
        (SMALL_INT_MAX, SMALL_INT_MAX),
        (SMALL_INT_MIN, 1),
        (-(1 << 40), 1 << 40),
    ];
    for &(x, y) in cases {
        for (op, r) in [
            ("BINARY_OP_ADD_INT", x.checked_add(y)),
            ("BINARY_OP_SUBTRACT_INT", x.checked_sub(y)),
            ("BINARY_OP_MULTIPLY_INT", x.checked_mul(y)),
        ] {
            let (status, stack) = binop(op, int(x), int(y));
            match r.filter(|r| fits_small(*r)) {
                Some(r) => {
                    assert_eq!(status, STATUS_RETURN, "{op} {x} {y}");
                    assert_eq!(stack, [int(r)], "{op} {x} {y}");
                }
                None => {
                    assert_eq!(status, STATUS_EXIT, "{op} {x} {y}");
                    assert_eq!(stack, [int(x), int(y)], "{op} {x} {y}");
                }
            }
        }
    }
}

#[test]
fn float_arithmetic_matches_python_and_canonicalises_nans() {
    let inf = f64::INFINITY;
    let cases = [
        (1.5, 0.25),
        (-3.0, 7.0),
        (inf, inf),
        (inf, -inf),
        (0.0, inf),
        (1e308, 10.0),
    ];
    for (x, y) in cases {
        for (op, r) in [
            ("BINARY_OP_ADD_FLOAT", x + y),
            ("BINARY_OP_SUBTRACT_FLOAT", x - y),
            ("BINARY_OP_MULTIPLY_FLOAT", x * y),
            ("BINARY_OP_TRUE_DIVIDE_FLOAT", x / y),
        ] {
            let (status, stack) = binop(op, float(x), float(y));
            assert_eq!(status, STATUS_RETURN, "{op} {x} {y}");
            assert_eq!(stack, [box_float(r)], "{op} {x} {y}");
            if r.is_nan() {
                assert_eq!(stack[0], CANONICAL_NAN);
            }
        }
    }
    // Division by zero raises in Python: the interpreter's business.
    for zero in [0.0, -0.0] {
        let (status, stack) = binop("BINARY_OP_TRUE_DIVIDE_FLOAT", float(1.0), float(zero));
        assert_eq!(status, STATUS_EXIT);
        assert_eq!(stack, [float(1.0), float(zero)]);
    }
    // Not numbers; two small ints whose result leaves the small range.
    let (max, min) = (int(SMALL_INT_MAX), int(SMALL_INT_MIN));
    for (op, overflow) in [
        ("BINARY_OP_ADD_FLOAT", (max, int(1))),
        ("BINARY_OP_SUBTRACT_FLOAT", (min, int(1))),
        ("BINARY_OP_MULTIPLY_FLOAT", (max, int(2))),
    ] {
        for (a, b) in [(float(1.0), NONE_BITS), (NONE_BITS, int(1)), overflow] {
            let (status, stack) = binop(op, a, b);
            assert_eq!(status, STATUS_EXIT, "{op}");
            assert_eq!(stack, [a, b], "{op}");
        }
    }
}

#[test]
fn float_forms_take_a_float_and_a_small_int() {
    // CPython converts the int (exactly, below 2**53) and does the float operation.
    let ints = [0i64, 3, -7, 1 << 40, SMALL_INT_MIN, SMALL_INT_MAX];
    for i in ints {
        for x in [1.5, -0.0, f64::INFINITY, 1e300] {
            let k = i as f64;
            for (op, ab, ba) in [
                ("BINARY_OP_ADD_FLOAT", x + k, k + x),
                ("BINARY_OP_SUBTRACT_FLOAT", x - k, k - x),
                ("BINARY_OP_MULTIPLY_FLOAT", x * k, k * x),
            ] {
                assert_eq!(
                    binop(op, float(x), int(i)),
                    (STATUS_RETURN, vec![box_float(ab)])
                );
                assert_eq!(
                    binop(op, int(i), float(x)),
                    (STATUS_RETURN, vec![box_float(ba)])
                );
            }
            let div = "BINARY_OP_TRUE_DIVIDE_FLOAT";
            if i != 0 {
                assert_eq!(
                    binop(div, float(x), int(i)),
                    (STATUS_RETURN, vec![box_float(x / k)])
                );
            }
            if x != 0.0 {
                assert_eq!(
                    binop(div, int(i), float(x)),
                    (STATUS_RETURN, vec![box_float(k / x)])
                );
            }
        }
    }
    // Two small ints stay ints (so a site that sees both kinds keeps its form).
    for (x, y) in [
        (2i64, 3i64),
        (-7, 5),
        (1 << 40, -(1 << 6)),
        (SMALL_INT_MIN, 0),
    ] {
        for (op, r) in [
            ("BINARY_OP_ADD_FLOAT", x + y),
            ("BINARY_OP_SUBTRACT_FLOAT", x - y),
            ("BINARY_OP_MULTIPLY_FLOAT", x * y),
        ] {
            assert_eq!(
                binop(op, int(x), int(y)),
                (STATUS_RETURN, vec![int(r)]),
                "{op} {x} {y}"
            );
        }
    }
    // `int / int` is a float division, exact for small ints; a zero divisor of either kind
    // side-exits (the interpreter raises ZeroDivisionError).
    let div = "BINARY_OP_TRUE_DIVIDE_FLOAT";
    assert_eq!(
        binop(div, int(1), int(3)),
        (STATUS_RETURN, vec![float(1.0 / 3.0)])
    );
    assert_eq!(
        binop(div, int(-7), int(2)),
        (STATUS_RETURN, vec![float(-3.5)])
    );
    for (a, b) in [
        (int(1), int(0)),
        (float(2.5), int(0)),
        (int(4), float(-0.0)),
    ] {
        assert_eq!(binop(div, a, b), (STATUS_EXIT, vec![a, b]));
    }
}

#[test]
fn comparisons_match_python() {
    // (oparg, Rust's operator) in cmpop order: < <= == != > >=.
    type Cmp = fn(f64, f64) -> bool;
    let ops: [Cmp; 6] = [
        |a, b| a < b,
        |a, b| a <= b,
        |a, b| a == b,
        |a, b| a != b,
        |a, b| a > b,
        |a, b| a >= b,
    ];
    let compiled: Vec<(Compiled, Compiled)> = (0..6)
        .map(|oparg| {
            let prog = |op| {
                compile(&[
                    ins("LOAD_FAST", 0),
                    ins("LOAD_FAST", 1),
                    ins(op, oparg),
                    ins("RETURN_VALUE", 0),
                ])
            };
            (prog("COMPARE_OP_INT"), prog("COMPARE_OP_FLOAT"))
        })
        .collect();
    let bool_bits = |b: bool| if b { TRUE_BITS } else { FALSE_BITS };
    for (oparg, (ci, cf)) in compiled.iter().enumerate() {
        for (x, y) in [
            (1i64, 2i64),
            (2, 1),
            (5, 5),
            (-3, 3),
            (SMALL_INT_MIN, SMALL_INT_MAX),
        ] {
            let mut f = TestFrame::new(&[int(x), int(y)]);
            assert_eq!(run(ci, &mut f), STATUS_RETURN);
            let want = ops[oparg](x as f64, y as f64);
            assert_eq!(f.stack(), [bool_bits(want)], "int {x} op{oparg} {y}");
        }
        for (x, y) in [
            (1.0, 2.0),
            (2.0, 1.0),
            (0.0, -0.0),
            (f64::NAN, 1.0),
            (f64::NAN, f64::NAN),
        ] {
            let mut f = TestFrame::new(&[float(x), float(y)]);
            assert_eq!(run(cf, &mut f), STATUS_RETURN);
            assert_eq!(
                f.stack(),
                [bool_bits(ops[oparg](x, y))],
                "float {x} op{oparg} {y}"
            );
        }
        // The float form compares a float with a small int (exactly, as CPython), and
        // two small ints.
        for (a, b, x, y) in [
            (float(1.5), int(1), 1.5, 1.0),
            (int(2), float(2.0), 2.0, 2.0),
            (int(-3), float(f64::NAN), -3.0, f64::NAN),
            (
                int(SMALL_INT_MAX),
                int(SMALL_INT_MIN),
                SMALL_INT_MAX as f64,
                SMALL_INT_MIN as f64,
            ),
        ] {
            let mut f = TestFrame::new(&[a, b]);
            assert_eq!(run(cf, &mut f), STATUS_RETURN);
            assert_eq!(
                f.stack(),
                [bool_bits(ops[oparg](x, y))],
                "mixed {x} op{oparg} {y}"
            );
        }
        // Wrong types side-exit.
        let mut f = TestFrame::new(&[float(1.0), int(1)]);
        assert_eq!(run(ci, &mut f), STATUS_EXIT);
        assert_eq!(f.head.ip, 2);
        let mut f = TestFrame::new(&[float(1.0), NONE_BITS]);
        assert_eq!(run(cf, &mut f), STATUS_EXIT);
    }
}

/// `i = 0; acc = 0; while i < n: acc = acc + i; i = i + 1; return acc`, with `n` a constant.
fn sum_loop(n: i64, pending: &u8) -> Compiled {
    let pending = pending as *const u8 as u64;
    compile(&[
        // 0: loop header
        ins("LOAD_FAST", 0),
        with_operand("LOAD_CONST", int(n)),
        ins("COMPARE_OP_INT", 0), // <
        ins("POP_JUMP_IF_FALSE", 13),
        // 4: body
        ins("LOAD_FAST", 1),
        ins("LOAD_FAST", 0),
        ins("BINARY_OP_ADD_INT", 0),
        ins("STORE_FAST", 1),
        ins("LOAD_FAST", 0),
        with_operand("LOAD_CONST", int(1)),
        ins("BINARY_OP_ADD_INT", 0),
        ins("STORE_FAST", 0),
        Ins {
            op: "JUMP_BACKWARD",
            oparg: 0,
            operand: pending,
        },
        // 13: exit
        ins("LOAD_FAST", 1),
        ins("RETURN_VALUE", 0),
    ])
}

#[test]
fn a_loop_runs_entirely_in_jit_code() {
    let pending = 0u8;
    let c = sum_loop(100_000, &pending);
    let mut f = TestFrame::new(&[int(0), int(0)]);
    assert_eq!(run(&c, &mut f), STATUS_RETURN);
    assert_eq!(f.stack(), [int(99_999 * 100_000 / 2)]);
    assert_eq!(f.head.ip, 15);
    assert_eq!(f.fast, [int(100_000), int(99_999 * 100_000 / 2)]);
}

#[test]
fn jump_backward_side_exits_when_periodic_work_is_pending() {
    let pending = 1u8;
    let c = sum_loop(10, &pending);
    let mut f = TestFrame::new(&[int(0), int(0)]);
    assert_eq!(run(&c, &mut f), STATUS_EXIT);
    assert_eq!(f.head.ip, 12);
    assert_eq!(f.stack(), []);
    assert_eq!(f.fast, [int(1), int(0)]);
}

#[test]
fn conditional_jumps_decide_bools_none_ints_and_floats_and_exit_on_objects() {
    let obj = Box::new([1u32, 0, 0, 0]);
    let obj_bits = (TAG_OBJ << TAG_SHIFT) | obj.as_ptr() as u64;
    for op in ["POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE"] {
        // 0: LOAD_FAST 0; 1: POP_JUMP_IF 4; 2: LOAD_CONST 10; 3: RETURN; 4: LOAD_CONST 20; 5: RETURN
        let c = compile(&[
            ins("LOAD_FAST", 0),
            ins(op, 4),
            with_operand("LOAD_CONST", int(10)),
            ins("RETURN_VALUE", 0),
            with_operand("LOAD_CONST", int(20)),
            ins("RETURN_VALUE", 0),
        ]);
        for (v, truth) in [
            (TRUE_BITS, Some(true)),
            (FALSE_BITS, Some(false)),
            (NONE_BITS, Some(false)),
            (int(0), Some(false)),
            (int(-1), Some(true)),
            (int(SMALL_INT_MIN), Some(true)),
            (float(0.0), Some(false)),
            (float(-0.0), Some(false)),
            (float(1e-300), Some(true)),
            (float(-2.5), Some(true)),
            (float(f64::NAN), Some(true)),
            (float(f64::NEG_INFINITY), Some(true)),
            (NONE_BITS | 4, None), // Ellipsis
            (obj_bits, None),
        ] {
            let mut f = TestFrame::new(&[v]);
            let status = run(&c, &mut f);
            match truth {
                Some(t) => {
                    let jumps = t == (op == "POP_JUMP_IF_TRUE");
                    assert_eq!(status, STATUS_RETURN);
                    assert_eq!(f.stack(), [int(if jumps { 20 } else { 10 })], "{op} {v:#x}");
                }
                None => {
                    assert_eq!(status, STATUS_EXIT, "{op} {v:#x}");
                    assert_eq!(f.head.ip, 1);
                    assert_eq!(f.stack(), [v]);
                }
            }
        }
    }
    // LOAD_FAST took a reference for each object run (2 ops × 1 run), nobody dropped it.
    assert_eq!(obj[0], 3);
}

#[test]
fn jump_or_pop_keeps_the_value_when_jumping_and_pops_it_otherwise() {
    let obj = Box::new([1u32, 0, 0, 0]);
    let obj_bits = (TAG_OBJ << TAG_SHIFT) | obj.as_ptr() as u64;
    for op in ["JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP"] {
        // 0: LOAD_FAST 0; 1: op 3; 2: LOAD_CONST 10; 3: RETURN (the kept value, or 10)
        let c = compile(&[
            ins("LOAD_FAST", 0),
            ins(op, 3),
            with_operand("LOAD_CONST", int(10)),
            ins("RETURN_VALUE", 0),
        ]);
        for (v, truth) in [
            (TRUE_BITS, Some(true)),
            (FALSE_BITS, Some(false)),
            (NONE_BITS, Some(false)),
            (int(0), Some(false)),
            (int(7), Some(true)),
            (float(-0.0), Some(false)),
            (float(0.5), Some(true)),
            (obj_bits, None),
        ] {
            let mut f = TestFrame::new(&[v]);
            let status = run(&c, &mut f);
            match truth {
                Some(t) => {
                    let jumps = t == (op == "JUMP_IF_TRUE_OR_POP");
                    assert_eq!(status, STATUS_RETURN);
                    assert_eq!(f.stack(), [if jumps { v } else { int(10) }], "{op} {v:#x}");
                }
                None => {
                    assert_eq!(status, STATUS_EXIT, "{op} {v:#x}");
                    assert_eq!(f.head.ip, 1);
                    assert_eq!(f.stack(), [v]);
                }
            }
        }
    }
}

#[test]
fn refcounts_and_dealloc() {
    DEALLOCATED.with(|d| d.borrow_mut().clear());
    // A fake heap object: refcount at offset 0, owned once by local 0.
    let obj = Box::new([1u32, 0xAAAA, 0, 0]);
    let addr = obj.as_ptr() as u64;
    let obj_bits = (TAG_OBJ << TAG_SHIFT) | addr;
    let c = compile(&[
        with_operand("LOAD_CONST", obj_bits), // rc 2
        ins("POP_TOP", 0),                    // rc 1
        ins("LOAD_FAST", 0),                  // rc 2
        ins("STORE_FAST", 1),                 // local 1 owns it: rc 2
        with_operand("LOAD_CONST", NONE_BITS),
        ins("STORE_FAST", 0), // rc 1
        with_operand("LOAD_CONST", int(3)),
        ins("STORE_FAST", 1), // rc 0: freed
        ins("LOAD_FAST", 1),
        ins("RETURN_VALUE", 0),
    ]);
    let mut f = TestFrame::new(&[obj_bits, NONE_BITS]);
    assert_eq!(run(&c, &mut f), STATUS_RETURN);
    assert_eq!(f.stack(), [int(3)]);
    assert_eq!(obj[0], 0);
    assert_eq!(obj[1], 0xAAAA);
    assert_eq!(DEALLOCATED.with(|d| d.borrow().clone()), [addr as usize]);
    assert_eq!(f.fast, [NONE_BITS, int(3)]);
}

#[test]
fn tier0_runs_instructions_through_the_helper() {
    // 0: TIER0 (pushes 0*1000+0); 1: TIER0 (pushes 1); 2: ADD; 3: RETURN
    let prog = [
        ins("TIER0", 0),
        ins("TIER0", 0),
        ins("BINARY_OP_ADD_INT", 0),
        ins("RETURN_VALUE", 0),
    ];
    let c = compile(&prog);
    STEP.with(|s| s.set((7, None, STATUS_EXIT)));
    let mut f = TestFrame::new(&[]);
    assert_eq!(run(&c, &mut f), STATUS_RETURN);
    assert_eq!(f.stack(), [int(7000 + 7001)]);

    // The helper raised: the status comes back, the frame is as the helper left it.
    STEP.with(|s| s.set((0, None, STATUS_ERROR)));
    let mut f = TestFrame::new(&[]);
    assert_eq!(run(&c, &mut f), STATUS_ERROR);
    assert_eq!(f.stack(), [int(0)]);
    assert_eq!(f.head.ip, 1);

    // The helper jumped elsewhere: leave tier 1 at the new ip.
    STEP.with(|s| s.set((0, Some(9), STATUS_EXIT)));
    let mut f = TestFrame::new(&[]);
    assert_eq!(run(&c, &mut f), STATUS_EXIT);
    assert_eq!(f.head.ip, 9);
    assert_eq!(f.stack(), [int(0)]);
}

#[test]
fn code_memory_is_never_writable_and_executable() {
    let mut w = WritableCode::new(1).unwrap();
    assert_eq!(w.len(), super::code_memory::page_size());
    w.as_mut_slice()[0] = 0xC3;
    let addr = w.addr();
    let x = w.make_executable().unwrap();
    assert_eq!(x.addr(), addr);
    assert_eq!(x.as_slice()[0], 0xC3);
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let line = maps
        .lines()
        .find(|l| {
            let range = l.split(' ').next().unwrap();
            let (lo, hi) = range.split_once('-').unwrap();
            let (lo, hi) = (
                u64::from_str_radix(lo, 16).unwrap(),
                u64::from_str_radix(hi, 16).unwrap(),
            );
            lo <= addr && addr < hi
        })
        .expect("the mapping is in /proc/self/maps");
    let perms = line.split(' ').nth(1).unwrap();
    assert!(perms.starts_with("r-x"), "{line}");
}
