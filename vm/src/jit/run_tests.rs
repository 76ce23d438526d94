//! Tier 1 end to end: programs run with `-X jit=always` (or a low threshold) give the
//! interpreter's answers, and the JIT statistics show what happened.

use crate::jit::runtime::JitMode;
use crate::{Options, Vm};

fn run(src: &str, jit: JitMode, threshold: Option<u32>) -> (i32, Vm) {
    let mut vm = Vm::new(
        vec!["t.py".into()],
        Options {
            jit,
            jit_threshold: threshold,
            ..Default::default()
        },
    );
    let code = vm.run_main(src, "t.py");
    (code, vm)
}

#[test]
fn arithmetic_loops_compile_and_agree_with_the_interpreter() {
    let src = "def f(n):\n    t = 0\n    x = 1.5\n    for i in range(n):\n        t = t + i * 2 - 1\n        x = x * 1.0001 + 0.5 / (i + 1)\n        if t > 10 ** 9:\n            t = 0\n    return t, x\nr = f(5000)\nassert r == (24990000, 9.60413597166702), r\n";
    let (code, vm) = run(src, JitMode::Always, None);
    assert_eq!(code, 0);
    assert!(vm.jit_stats.compiled.iter().any(|c| c.qualname == "f"));
    assert!(vm.jit_stats.call_entries >= 1);
}

#[test]
fn a_long_loop_in_a_function_called_once_is_entered_by_osr() {
    let src = "def f():\n    t = 0\n    i = 0\n    while i < 100000:\n        t += i\n        i += 1\n    return t\nassert f() == 4999950000\n";
    let (code, vm) = run(src, JitMode::On, Some(100));
    assert_eq!(code, 0);
    assert!(vm.jit_stats.osr_entries >= 1, "no OSR entry");
}

#[test]
fn guards_side_exit_when_types_change() {
    // The add site is specialized for ints, then sees floats and strs.
    let src = "def add(a, b):\n    return a + b\nfor i in range(300):\n    assert add(i, 1) == i + 1\nfor i in range(300):\n    assert add(i + 0.5, 1.0) == i + 1.5\nfor i in range(300):\n    assert add('a', 'b') == 'ab'\n";
    let (code, vm) = run(src, JitMode::On, Some(50));
    assert_eq!(code, 0);
    let exits: u64 = vm.jit_stats.side_exits.values().map(|e| e.2).sum();
    assert!(exits >= 1, "no side exit recorded");
}

#[test]
fn exceptions_raised_in_jit_code_are_caught_or_propagate_with_tracebacks() {
    let src = "def g(x):\n    return 10 // x\ndef f(n):\n    caught = 0\n    for i in range(n):\n        try:\n            g(i % 3)\n        except ZeroDivisionError:\n            caught += 1\n    return caught\nassert f(300) == 100\ndef h():\n    return [][1]\nh()\n";
    let (code, vm) = run(src, JitMode::Always, None);
    assert_eq!(code, 1, "the IndexError must end the program");
    assert!(vm.jit_stats.compiled.iter().any(|c| c.qualname == "f"));
}

#[test]
fn off_compiles_nothing() {
    let src = "t = 0\nfor i in range(10000):\n    t += i\n";
    let (code, vm) = run(src, JitMode::Off, None);
    assert_eq!(code, 0);
    assert!(vm.jit_stats.compiled.is_empty());
}

#[test]
fn short_scripts_stay_in_the_interpreter_by_default_threshold() {
    let src = "def f(x):\n    return x + 1\nfor i in range(10):\n    f(i)\n";
    let (code, vm) = run(src, JitMode::On, None);
    assert_eq!(code, 0);
    assert!(vm.jit_stats.compiled.is_empty());
}

#[test]
fn code_compiled_mid_run_keeps_its_stack_through_method_calls() {
    // `main` is compiled at a back edge in the middle of its loop (OSR with the iterator on
    // the stack), and calls a method through CALL_PY_EXACT_ARGS with `self` in the frame.
    let src = "class P:\n    def norm(self):\n        self.x = 1\n        return 1\ndef main(pts):\n    t = 0\n    for p in pts:\n        t += p.norm()\n    return t\nps = [P() for i in range(50)]\nfor k in range(30):\n    assert main(ps) == 50\n";
    for threshold in [1, 5, 20, 40, 100] {
        let (code, vm) = run(src, JitMode::On, Some(threshold));
        assert_eq!(code, 0, "threshold {threshold}");
        assert!(!vm.jit_stats.compiled.is_empty());
    }
}

#[test]
fn exceptions_from_calls_made_by_jit_code_unwind_through_it() {
    let src = "def bad(i):\n    if i == 77:\n        raise ValueError('seventy-seven')\n    return i\ndef loop(n):\n    t = 0\n    for i in range(n):\n        try:\n            t += bad(i)\n        except ValueError as e:\n            assert str(e) == 'seventy-seven'\n            t -= 1\n    return t\nfor _ in range(20):\n    assert loop(100) == sum(range(100)) - 77 - 1\n";
    let (code, vm) = run(src, JitMode::Always, None);
    assert_eq!(code, 0);
    assert!(vm.jit_stats.compiled.iter().any(|c| c.qualname == "loop"));
}

#[test]
fn class_calls_from_jit_code_run_init_and_check_its_result() {
    let src = "class K:\n    def __init__(self, x):\n        self.x = x\n        if x == 150:\n            return 1\n\ndef make(n):\n    t = 0\n    for i in range(n):\n        try:\n            t += K(i).x\n        except TypeError as e:\n            assert str(e) == \"__init__() should return None, not 'int'\", str(e)\n            t -= 1\n    return t\nfor _ in range(5):\n    assert make(200) == sum(range(200)) - 150 - 1\n";
    for (mode, threshold) in [(JitMode::On, Some(10)), (JitMode::Always, None)] {
        let (code, vm) = run(src, mode, threshold);
        assert_eq!(code, 0, "{mode:?}");
        assert!(
            vm.jit_stats
                .compiled
                .iter()
                .any(|c| c.qualname == "K.__init__")
        );
    }
}

#[test]
fn attribute_and_method_sites_serve_subclasses_without_leaving_jit_code() {
    // `run` is compiled specialized for Base's first subclass, then meets the others: the
    // inline-value loads match on the key, not the class, and a method load that misses its
    // cached class falls back to the generic lookup inside tier 1, so nothing side-exits.
    let src = "class Base:\n    def __init__(self, v):\n        self.v = v\n        self.w = 2 * v\n    def run(self):\n        return self.step() + self.v + self.w\nclass A(Base):\n    def step(self):\n        return 1\nclass B(Base):\n    def step(self):\n        return 2\nclass C(Base):\n    def step(self):\n        return 3\nobjs = [A(1), B(2), C(3)]\nt = 0\nfor i in range(3000):\n    t += objs[i % 3].run()\nassert t == 1000 * (1 + 3 + 2 + 6 + 3 + 9), t\n";
    let (code, vm) = run(src, JitMode::On, Some(50));
    assert_eq!(code, 0);
    assert!(
        vm.jit_stats
            .compiled
            .iter()
            .any(|c| c.qualname == "Base.run")
    );
    let exits: Vec<(&str, &str, u64)> = vm
        .jit_stats
        .side_exits
        .values()
        .filter(|e| e.2 > 10)
        .map(|e| {
            (
                crate::runtime::str::as_str(&e.0.qualname).unwrap_or("?"),
                e.1,
                e.2,
            )
        })
        .collect();
    assert!(exits.is_empty(), "side exits: {exits:?}");
}

#[test]
fn a_branch_that_keeps_side_exiting_gets_its_generic_helper_when_recompiled() {
    // `if o:` on instances: the POP_JUMP_IF_FALSE stencil decides only bools, None, ints and
    // floats, so every iteration side-exits until the code is discarded. The recompiled
    // code calls the generic truth test there and stays in tier 1.
    let src = "class O:\n    pass\ndef count(objs):\n    n = 0\n    for o in objs:\n        if o:\n            n += 1\n    return n\nobjs = [O() for i in range(1000)]\nt = 0\nfor k in range(100):\n    t += count(objs)\nassert t == 100000, t\n";
    let (code, vm) = run(src, JitMode::On, Some(5));
    assert_eq!(code, 0);
    let exits: u64 = vm.jit_stats.side_exits.values().map(|e| e.2).sum();
    assert_eq!(vm.jit_stats.discarded, 1, "{exits} side exits");
    assert!(exits <= 21_000, "{exits} side exits");
    let compiles = vm
        .jit_stats
        .compiled
        .iter()
        .filter(|c| c.qualname == "count")
        .count();
    assert_eq!(compiles, 2);
}
