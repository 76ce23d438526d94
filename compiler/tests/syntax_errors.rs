//! Syntax errors render exactly as CPython 3.11 renders them (expected strings were
//! produced by running `python3` 3.11 on a script t.py holding the source).

const CASES: &[(&str, &str)] = &[
    (
        "print(\"never printed\")\nfor i in range(3):\nprint(i)\n",
        "  File \"t.py\", line 3\n    print(i)\n    ^\nIndentationError: expected an indented block after 'for' statement on line 2",
    ),
    (
        "x = 1\ny = x +* 2\n",
        "  File \"t.py\", line 2\n    y = x +* 2\n           ^\nSyntaxError: invalid syntax",
    ),
    (
        "x = 1\nif x:\n    x = = 1\n",
        "  File \"t.py\", line 3\n    x = = 1\n        ^\nSyntaxError: invalid syntax",
    ),
    (
        "def f():\n    pass\nreturn 1 + 2\n",
        "  File \"t.py\", line 3\n    return 1 + 2\n    ^^^^^^^^^^^^\nSyntaxError: 'return' outside function",
    ),
    (
        "x = (1,\ny = 2\n",
        "  File \"t.py\", line 1\n    x = (1,\n        ^\nSyntaxError: '(' was never closed",
    ),
    (
        "if x\n  pass\n",
        "  File \"t.py\", line 1\n    if x\n        ^\nSyntaxError: expected ':'",
    ),
    (
        "if x:\npass\n",
        "  File \"t.py\", line 2\n    pass\n    ^\nIndentationError: expected an indented block after 'if' statement on line 1",
    ),
    (
        "x = 1\n  y = 2\n",
        "  File \"t.py\", line 2\n    y = 2\nIndentationError: unexpected indent",
    ),
    (
        "if x:\n    a\n  b\n",
        "  File \"t.py\", line 3\n    b\n     ^\nIndentationError: unindent does not match any outer indentation level",
    ),
    (
        "for x in y:\n    pass\nbreak\n",
        "  File \"t.py\", line 3\n    break\n    ^^^^^\nSyntaxError: 'break' outside loop",
    ),
    (
        "1 = x\n",
        "  File \"t.py\", line 1\n    1 = x\n    ^\nSyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='?",
    ),
    (
        "def f():\n    nonlocal x\n",
        "  File \"t.py\", line 2\n    nonlocal x\n    ^^^^^^^^^^\nSyntaxError: no binding for nonlocal 'x' found",
    ),
    (
        "def f():\n    x = 1\n    global x\n",
        "  File \"t.py\", line 3\n    global x\n    ^^^^^^^^\nSyntaxError: name 'x' is assigned to before global declaration",
    ),
    (
        "def f():\n    print(x)\n    global x\n",
        "  File \"t.py\", line 3\n    global x\n    ^^^^^^^^\nSyntaxError: name 'x' is used prior to global declaration",
    ),
    (
        "f(x) = 1\n",
        "  File \"t.py\", line 1\n    f(x) = 1\n    ^^^^\nSyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?",
    ),
    (
        "print(\"a\"\n",
        "  File \"t.py\", line 1\n    print(\"a\"\n         ^\nSyntaxError: '(' was never closed",
    ),
    (
        "x = [1, 2\n",
        "  File \"t.py\", line 1\n    x = [1, 2\n        ^\nSyntaxError: '[' was never closed",
    ),
    (
        "continue\n",
        "  File \"t.py\", line 1\n    continue\n    ^^^^^^^^\nSyntaxError: 'continue' not properly in loop",
    ),
    (
        "yield 1\n",
        "  File \"t.py\", line 1\n    yield 1\n    ^^^^^^^\nSyntaxError: 'yield' outside function",
    ),
    (
        "None = 1\n",
        "  File \"t.py\", line 1\n    None = 1\n    ^^^^\nSyntaxError: cannot assign to None",
    ),
    (
        "def f():\nreturn 1\n",
        "  File \"t.py\", line 2\n    return 1\n    ^\nIndentationError: expected an indented block after function definition on line 1",
    ),
    (
        "class A:\n    def m(self):\n    pass\n",
        "  File \"t.py\", line 3\n    pass\n    ^\nIndentationError: expected an indented block after function definition on line 2",
    ),
    (
        "x = )\n",
        "  File \"t.py\", line 1\n    x = )\n        ^\nSyntaxError: unmatched ')'",
    ),
    (
        "x = [1, 2)\n",
        "  File \"t.py\", line 1\n    x = [1, 2)\n             ^\nSyntaxError: closing parenthesis ')' does not match opening parenthesis '['",
    ),
    (
        "x = \"abc\n",
        "  File \"t.py\", line 1\n    x = \"abc\n        ^\nSyntaxError: unterminated string literal (detected at line 1)",
    ),
    (
        "for 1 in x: pass\n",
        "  File \"t.py\", line 1\n    for 1 in x: pass\n        ^\nSyntaxError: cannot assign to literal",
    ),
    (
        "del f()\n",
        "  File \"t.py\", line 1\n    del f()\n        ^^^\nSyntaxError: cannot delete function call",
    ),
    (
        "f() += 1\n",
        "  File \"t.py\", line 1\n    f() += 1\n    ^^^\nSyntaxError: 'function call' is an illegal expression for augmented assignment",
    ),
    (
        "f(x=1, x=2)\n",
        "  File \"t.py\", line 1\n    f(x=1, x=2)\n           ^^^\nSyntaxError: keyword argument repeated: x",
    ),
    (
        "def f(a, a): pass\n",
        "  File \"t.py\", line 1\n    def f(a, a): pass\n             ^\nSyntaxError: duplicate argument 'a' in function definition",
    ),
    (
        "while True:\n    def g():\n        break\n",
        "  File \"t.py\", line 3\n    break\n    ^^^^^\nSyntaxError: 'break' outside loop",
    ),
    // Future statements and annotations.
    (
        "x = 1\nfrom __future__ import annotations\n",
        "  File \"t.py\", line 2\n    from __future__ import annotations\n    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\nSyntaxError: from __future__ imports must occur at the beginning of the file",
    ),
    (
        "\"\"\"doc\"\"\"\nfrom __future__ import annotations, foo\n",
        "  File \"t.py\", line 2\n    from __future__ import annotations, foo\n    ^\nSyntaxError: future feature foo is not defined",
    ),
    (
        "from __future__ import braces\n",
        "  File \"t.py\", line 1\n    from __future__ import braces\n    ^\nSyntaxError: not a chance",
    ),
    (
        "import os; from __future__ import annotations\n",
        "  File \"t.py\", line 1\n    import os; from __future__ import annotations\n              ^\nSyntaxError: from __future__ imports must occur at the beginning of the file",
    ),
    (
        "def f():\n    x: int\n    global x\n",
        "  File \"t.py\", line 3\n    global x\n    ^^^^^^^^\nSyntaxError: annotated name 'x' can't be global",
    ),
    (
        "def f():\n    x = 1\n    def g():\n        x: int = 2\n        nonlocal x\n",
        "  File \"t.py\", line 5\n    nonlocal x\n    ^^^^^^^^^^\nSyntaxError: annotated name 'x' can't be nonlocal",
    ),
    (
        "from __future__ import annotations\ndef f(a: (y := 3)) -> None: pass\n",
        "  File \"t.py\", line 2\n    def f(a: (y := 3)) -> None: pass\n              ^^^^^^\nSyntaxError: 'named expression' can not be used within an annotation",
    ),
    (
        "from __future__ import annotations\nclass C:\n    x: (yield)\n",
        "  File \"t.py\", line 3\n    x: (yield)\n        ^^^^^\nSyntaxError: 'yield expression' can not be used within an annotation",
    ),
    (
        "(a, b): int\n",
        "  File \"t.py\", line 1\n    (a, b): int\n    ^^^^^^\nSyntaxError: only single target (not tuple) can be annotated",
    ),
    (
        "f(): int\n",
        "  File \"t.py\", line 1\n    f(): int\n    ^^^\nSyntaxError: illegal target for annotation",
    ),
];

#[test]
fn syntax_errors_match_cpython() {
    let mut failures = Vec::new();
    for (src, expected) in CASES {
        match jitlens_compiler::compile(src, "t.py") {
            Ok(_) => failures.push(format!("{src:?}: compiled, expected\n{expected}")),
            Err(e) => {
                let got = e.render();
                if got != *expected {
                    failures.push(format!(
                        "{src:?}:\n--- expected\n{expected}\n--- got\n{got}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn unsupported_constructs_name_themselves() {
    let cases = [
        ("async def f():\n    pass\n", "async functions"),
        ("match x:\n    case 1:\n        pass\n", "match statements"),
        ("type X = int\n", "type aliases"),
        ("def f[T](x): pass\n", "type parameters"),
    ];
    for (src, what) in cases {
        let e = jitlens_compiler::compile(src, "u.py").expect_err(src);
        assert_eq!(
            e.kind,
            jitlens_compiler::CompileErrorKind::Unsupported,
            "{src}"
        );
        let r = e.render();
        assert!(r.starts_with("  File \"u.py\", line 1\n"), "{r}");
        assert!(
            r.ends_with(&format!(
                "SyntaxError: {what} is not supported by jitlens yet"
            )),
            "{r}"
        );
    }
}
