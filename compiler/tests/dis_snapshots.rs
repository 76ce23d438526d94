//! Exact disassembly of a few small functions.

fn dis_of(src: &str, file: &str) -> String {
    let unit = jitlens_compiler::compile(src, file).expect("compiles");
    jitlens_compiler::verify::verify(&unit).expect("valid");
    jitlens_compiler::dis(&unit)
}

#[test]
fn simple_function() {
    let got = dis_of("def f(n):\n    return n + 1\n", "x.py");
    let expected = r#"Disassembly of <code object <module> at "x.py", line 1>:
  1           0 RESUME                   0
              1 LOAD_CONST               0 (<code object f at "x.py", line 1>)
              2 MAKE_FUNCTION            0
              3 STORE_GLOBAL             0 (f)
              4 LOAD_CONST               1 (None)
              5 RETURN_VALUE

Disassembly of <code object f at "x.py", line 1>:
  1           0 RESUME                   0
  2           1 LOAD_FAST                0 (n)
              2 LOAD_CONST               1 (1)
              3 BINARY_OP                0 (+)
              5 RETURN_VALUE
"#;
    assert_eq!(got, expected, "\n{got}");
}

#[test]
fn for_else_break() {
    let src = "def loop(xs):\n    t = 0\n    for x in xs:\n        if x > 2:\n            break\n        t += x\n    else:\n        t = -1\n    return t\n";
    let got = dis_of(src, "s2.py");
    let expected = r#"Disassembly of <code object loop at "s2.py", line 1>:
  1           0 RESUME                   0
  2           1 LOAD_CONST               1 (0)
              2 STORE_FAST               1 (t)
  3           3 LOAD_FAST                0 (xs)
              4 GET_ITER
        >>    5 FOR_ITER                21 (to 21)
              7 STORE_FAST               2 (x)
  4           8 LOAD_FAST                2 (x)
              9 LOAD_CONST               2 (2)
             10 COMPARE_OP               4 (>)
             12 POP_JUMP_IF_FALSE       15 (to 15)
  5          13 POP_TOP
             14 JUMP_FORWARD            23 (to 23)
  6     >>   15 LOAD_FAST                1 (t)
             16 LOAD_FAST                2 (x)
             17 BINARY_OP               13 (+=)
             19 STORE_FAST               1 (t)
  3          20 JUMP_BACKWARD            5 (to 5)
  8     >>   21 LOAD_CONST               3 (-1)
             22 STORE_FAST               1 (t)
  9     >>   23 LOAD_FAST                1 (t)
             24 RETURN_VALUE
"#;
    let block = got
        .split("\n\n")
        .find(|b| b.starts_with("Disassembly of <code object loop"))
        .expect("loop block");
    assert_eq!(block.trim_end(), expected.trim_end(), "\n{got}");
}

#[test]
fn closures_and_calls() {
    let src = "def outer(a, *args, k=1, **kw):\n    def inner():\n        return a + k\n    return inner, obj.meth(a, key=k), g(*args, **kw)\n";
    let got = dis_of(src, "s3.py");
    let expected = r#"Disassembly of <code object outer at "s3.py", line 1>:
  1           0 RESUME                   0
  2           1 LOAD_CLOSURE             0 (a)
              2 LOAD_CLOSURE             1 (k)
              3 BUILD_TUPLE              2
              4 LOAD_CONST               1 (<code object inner at "s3.py", line 2>)
              5 MAKE_FUNCTION            8 (closure)
              6 STORE_FAST               4 (inner)
  4           7 LOAD_FAST                4 (inner)
              8 LOAD_GLOBAL              0 (obj)
             11 LOAD_METHOD              1 (meth)
             14 LOAD_DEREF               0 (a)
             15 LOAD_DEREF               1 (k)
             16 LOAD_CONST               2 (('key',))
             17 CALL_KW                  2
             18 LOAD_GLOBAL              2 (g)
             21 PUSH_NULL
             22 BUILD_LIST               0
             23 LOAD_FAST                2 (args)
             24 LIST_EXTEND              1
             25 LIST_TO_TUPLE
             26 BUILD_MAP                0
             27 LOAD_FAST                3 (kw)
             28 DICT_MERGE               1
             29 CALL_FUNCTION_EX         1
             30 BUILD_TUPLE              3
             31 RETURN_VALUE
"#;
    let block = got
        .split("\n\n")
        .find(|b| b.starts_with("Disassembly of <code object outer"))
        .expect("outer block");
    assert_eq!(block.trim_end(), expected.trim_end(), "\n{got}");
    let unit = jitlens_compiler::compile(src, "s3.py").unwrap();
    let jitlens_compiler::Const::Code(outer) = &unit.consts[2] else {
        panic!("outer code")
    };
    assert_eq!(outer.cellvars, ["a", "k"]);
    assert_eq!(outer.cell2arg, [Some(0), Some(1)]);
    assert_eq!(outer.varnames, ["a", "k", "args", "kw", "inner"]);
    assert_eq!(outer.argcount, 1);
    assert_eq!(outer.kwonlyargcount, 1);
}

#[test]
fn with_return_exception_table() {
    let src = "def w(m):\n    with m as v:\n        return v\n";
    let got = dis_of(src, "s5.py");
    assert!(
        got.contains("ExceptionTable:\n  3 to 4 -> 22 [1]\n  23 to 25 -> 26 [2]\n"),
        "{got}"
    );
}

#[test]
fn future_annotations() {
    // `from __future__ import annotations`: annotations are str constants (CPython's
    // unparser), a function's are a BUILD_MAP before its code; module and class bodies with
    // annotated assignments start with SETUP_ANNOTATIONS; local annotations vanish.
    let src = "from __future__ import annotations\nx: int = 1\ndef f(a: list[int], *, b: str | None = None) -> dict[str, int]:\n    y: int = 2\n    return y\nclass C:\n    z: int\n";
    let got = dis_of(src, "s1.py");
    let expected = r#"Disassembly of <code object <module> at "s1.py", line 1>:
  1           0 RESUME                   0
              1 SETUP_ANNOTATIONS
  2           2 LOAD_CONST               0 (1)
              3 STORE_GLOBAL             0 (x)
              4 LOAD_CONST               1 ('int')
              5 LOAD_NAME                1 (__annotations__)
              6 LOAD_CONST               2 ('x')
              7 STORE_SUBSCR
  3           9 LOAD_CONST               3 ('b')
             10 LOAD_CONST               4 (None)
             11 BUILD_MAP                1
             12 LOAD_CONST               5 ('a')
             13 LOAD_CONST               6 ('list[int]')
             14 LOAD_CONST               3 ('b')
             15 LOAD_CONST               7 ('str | None')
             16 LOAD_CONST               8 ('return')
             17 LOAD_CONST               9 ('dict[str, int]')
             18 BUILD_MAP                3
             19 LOAD_CONST              10 (<code object f at "s1.py", line 3>)
             20 MAKE_FUNCTION            6 (kwdefaults, annotations)
             21 STORE_GLOBAL             2 (f)
  6          22 LOAD_BUILD_CLASS
             23 PUSH_NULL
             24 LOAD_CONST              11 (<code object C at "s1.py", line 6>)
             25 MAKE_FUNCTION            0
             26 LOAD_CONST              12 ('C')
             27 CALL                     2
             30 STORE_GLOBAL             3 (C)
             31 LOAD_CONST               4 (None)
             32 RETURN_VALUE

Disassembly of <code object f at "s1.py", line 3>:
  3           0 RESUME                   0
  4           1 LOAD_CONST               1 (2)
              2 STORE_FAST               2 (y)
  5           3 LOAD_FAST                2 (y)
              4 RETURN_VALUE

Disassembly of <code object C at "s1.py", line 6>:
  6           0 RESUME                   0
              1 LOAD_NAME                0 (__name__)
              2 STORE_NAME               1 (__module__)
              3 LOAD_CONST               0 ('C')
              4 STORE_NAME               2 (__qualname__)
              5 SETUP_ANNOTATIONS
  7           6 LOAD_CONST               1 ('int')
              7 LOAD_NAME                3 (__annotations__)
              8 LOAD_CONST               2 ('z')
              9 STORE_SUBSCR
  6          11 LOAD_CONST               3 (None)
             12 RETURN_VALUE
"#;
    assert_eq!(got, expected, "\n{got}");
}

#[test]
fn evaluated_annotations() {
    // Without the future import annotations are evaluated: parameters in CPython's order
    // (positional, then positional-only, `*args`, …, `return`), complex targets evaluate
    // their parts and the annotation, local annotations are never evaluated.
    let src = "x: int = 1\na.b: int\ndef f(a: int, /, b: str, *c: float) -> None:\n    y: T\n    return b\n";
    let got = dis_of(src, "s2.py");
    let expected = r#"Disassembly of <code object <module> at "s2.py", line 1>:
  1           0 RESUME                   0
              1 SETUP_ANNOTATIONS
              2 LOAD_CONST               0 (1)
              3 STORE_GLOBAL             0 (x)
              4 LOAD_GLOBAL              1 (int)
              7 LOAD_NAME                2 (__annotations__)
              8 LOAD_CONST               1 ('x')
              9 STORE_SUBSCR
  2          11 LOAD_GLOBAL              3 (a)
             14 POP_TOP
             15 LOAD_GLOBAL              1 (int)
             18 POP_TOP
  3          19 LOAD_CONST               2 ('b')
             20 LOAD_GLOBAL              4 (str)
             23 LOAD_CONST               3 ('a')
             24 LOAD_GLOBAL              1 (int)
             27 LOAD_CONST               4 ('c')
             28 LOAD_GLOBAL              5 (float)
             31 LOAD_CONST               5 ('return')
             32 LOAD_CONST               6 (None)
             33 BUILD_MAP                4
             34 LOAD_CONST               7 (<code object f at "s2.py", line 3>)
             35 MAKE_FUNCTION            4 (annotations)
             36 STORE_GLOBAL             6 (f)
             37 LOAD_CONST               6 (None)
             38 RETURN_VALUE

Disassembly of <code object f at "s2.py", line 3>:
  3           0 RESUME                   0
  5           1 LOAD_FAST                1 (b)
              2 RETURN_VALUE
"#;
    assert_eq!(got, expected, "\n{got}");
}
