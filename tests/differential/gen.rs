//! The random program generator of the differential test (`tests/differential.rs`).
//!
//! [`program`] turns a 64-bit seed into a Python 3.11 program that CPython runs too, that
//! finishes in a few milliseconds and that prints what it computes. A program is a prelude
//! (`import math`, two numeric globals, a few helper functions) followed by 2–6 *segments*,
//! each a small self-contained piece (a hot arithmetic loop, a class whose method is
//! monkeypatched mid-loop, a variable whose type changes mid-loop, …) that prints its results.
//! A segment's driver runs either at module level (globals) or wrapped in a function (fast
//! locals); its classes and functions are mostly defined at module level.
//! About one program in eight ends with an uncaught exception (or `SystemExit`), so that
//! tracebacks and exit codes are compared too.
//!
//! Nothing a program does can fail by accident: numeric expressions are built only from
//! operations valid for both ints and floats (unless an operand is known to be an int), every
//! divisor is a non-zero constant or `(abs(e) + 1)`, and every expression carries a bound on
//! its magnitude ([`Ex::bits`]) so that values stay far below the float range and the
//! 4300-digit limit of `str(int)`: an expression that could exceed [`CAP_BITS`] is reduced
//! modulo a constant. Ints still go well past 2**47 (jitlens's small-int limit) and 2**63.
//! Variables that may hold `nan` or `±inf` are marked ([`Var::fin`]), and `int()` and
//! `math.floor` are never applied to expressions that read them.
//!
//! What the segments cover (see each `seg_*`): int and float arithmetic and comparisons,
//! big ints, if/elif/else, `for` over several kinds of range (crossing 2**47 and 2**63) and
//! `while` loops with `continue`, `break` and `else`, helper functions with 0–3 arguments
//! (defaults, keywords) called with ints then floats and rebound mid-loop, bounded
//! recursion, classes (`__init__`, methods, `self.x += ...`, `super()`, `__slots__`,
//! properties, `__add__`), lists, tuples, dicts, strings, closures with `nonlocal`,
//! generators, `try`/`except`/`else`/`finally` and `with`, and, in the middle of hot
//! loops, type changes of variables, attributes and class attributes (int → float, str,
//! big int, bool, nan, or flip-flopping), methods and dunders monkeypatched on the class,
//! shadowed in the instance dict, or replaced by a property, `__class__` assignment,
//! builtins shadowed by globals, lists mutated while iterated, and exceptions.

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, well-mixed 64-bit generator, so that the
/// same seed gives the same program on every machine, without any dependency.
pub struct Rng {
    state: u64,
}

/// The SplitMix64 finalizer: a bijective mix of the 64 bits.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of program number `index` of a run whose base seed is `base`.
pub fn program_seed(base: u64, index: u64) -> u64 {
    mix64(base ^ mix64(index.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1)))
}

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }

    /// Uniform in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0)");
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi, "Rng::range({lo}, {hi})");
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// An index into `weights`, chosen with probability proportional to its weight.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        unreachable!("weights sum to {total}")
    }
}

/// No generated expression may exceed 2**CAP_BITS in magnitude: beyond it, it is reduced
/// modulo a constant. A product of two capped values (2**280) is still a finite float.
const CAP_BITS: u32 = 140;

/// The magnitude bound of helper-function parameters; wider arguments are reduced first.
const PARAM_BITS: u32 = 40;

/// Moduli used to keep values bounded, with their bit lengths.
const MODULI: &[(&str, u32)] = &[
    ("97", 7),
    ("65521", 16),
    ("1000003", 20),
    ("2147483647", 31),
    ("1000000007", 30),
    ("4294967311", 33),
    ("2305843009213693951", 61),
];

/// Ints around jitlens's and the machine's integer boundaries: 2**31, 2**47, 2**63, 2**64.
const BOUNDARY_INTS: &[i128] = &[
    (1 << 31) - 1,
    1 << 31,
    (1 << 47) - 1,
    1 << 47,
    (1 << 47) + 1,
    -(1 << 47),
    -(1 << 47) - 1,
    (1 << 63) - 1,
    1 << 63,
    -(1 << 63),
    (1 << 64) + 3,
];

/// Float literals with their magnitude bounds (exact or not: the repr is what matters).
const FLOATS: &[(&str, u32)] = &[
    ("0.5", 1),
    ("1.5", 1),
    ("2.25", 2),
    ("0.1", 1),
    ("3.0", 2),
    ("(-0.75)", 1),
    ("0.001", 1),
    ("12.5", 4),
    ("0.3", 1),
    ("7.75", 3),
];

/// The number of bits of `|v|` (at least 1), as a magnitude bound.
fn bits_of(v: i128) -> u32 {
    (128 - v.unsigned_abs().leading_zeros()).max(1)
}

/// `v` as a Python literal that is safe after any operator (negative ones parenthesized).
fn int_lit(v: i128) -> String {
    if v < 0 {
        format!("({v})")
    } else {
        v.to_string()
    }
}

/// A numeric value the expression generator may read: a variable, a parameter, an attribute
/// (`self.x`) or a subscript (`lst[j]`).
#[derive(Clone, Debug)]
struct Var {
    /// The Python text that reads it.
    name: String,
    /// `|value| < 2**bits` for every value it holds while the code runs.
    bits: u32,
    /// Always an int (or bool), never a float, so int-only operators (`&`, `<<`) may use it.
    int: bool,
    /// Never `nan` or `±inf` (an int always is finite), so `int()` and `math.floor` may
    /// convert expressions that read it.
    fin: bool,
}

impl Var {
    /// A finite variable.
    fn new(name: impl Into<String>, bits: u32, int: bool) -> Var {
        Var {
            name: name.into(),
            bits,
            int,
            fin: true,
        }
    }

    /// A float variable that may hold `nan` or `±inf`.
    fn nonfinite(name: impl Into<String>, bits: u32) -> Var {
        Var {
            fin: false,
            ..Var::new(name, bits, false)
        }
    }
}

/// A generated expression, always parenthesized or atomic, so it can be an operand as is.
struct Ex {
    code: String,
    /// A bound on its magnitude: `|value| < 2**bits`.
    bits: u32,
    /// Its value is always an int (or bool).
    int: bool,
}

/// A helper function of the prelude: every parameter is numeric (int or float) and at most
/// [`PARAM_BITS`] wide; the result is at most [`CAP_BITS`] wide.
#[derive(Clone)]
struct Func {
    name: String,
    params: Vec<&'static str>,
    /// The last parameter has a default value, so calls may omit it or pass it by keyword.
    has_default: bool,
}

/// An accumulator of a loop: updated with `+=`-like statements, printed at the end.
#[derive(Clone)]
struct Acc {
    name: String,
    /// Only int expressions are added to it, so `^=` is allowed.
    int: bool,
}

/// Python source being written, with the indentation of the next line.
#[derive(Default)]
struct Out {
    lines: Vec<String>,
    depth: usize,
    /// For each open block, the number of lines before its first statement (to fill an
    /// empty block with `pass`).
    opened: Vec<usize>,
}

impl Out {
    /// Writes one line at the current depth.
    fn line(&mut self, s: impl AsRef<str>) {
        self.lines
            .push(format!("{}{}", "    ".repeat(self.depth), s.as_ref()));
    }

    /// Writes a block header (`if c:`, `def f():`) and indents what follows.
    fn open(&mut self, header: impl AsRef<str>) {
        self.line(header);
        self.opened.push(self.lines.len());
        self.depth += 1;
    }

    /// Ends the innermost block.
    fn close(&mut self) {
        let start = self.opened.pop().expect("close without open");
        if self.lines.len() == start {
            self.line("pass");
        }
        self.depth -= 1;
    }

    /// Appends the lines of `other`, indented by `depth` more levels.
    fn append(&mut self, other: Out, depth: usize) {
        let pad = "    ".repeat(self.depth + depth);
        self.lines
            .extend(other.lines.into_iter().map(|l| format!("{pad}{l}")));
    }
}

/// Splits top-level `def`/`class` blocks from the other statements of `body`, keeping the
/// order within each part (definitions only bind names, so they can move first).
fn split_defs(body: Out) -> (Out, Out) {
    let (mut defs, mut rest) = (Out::default(), Out::default());
    let mut in_def = false;
    for line in body.lines {
        if !line.starts_with(' ') {
            in_def = line.starts_with("def ") || line.starts_with("class ");
        }
        if in_def {
            defs.lines.push(line);
        } else {
            rest.lines.push(line);
        }
    }
    (defs, rest)
}

/// The description of a loop's counter: its header, the Python name and the values it takes.
struct LoopShape {
    /// The lines before the loop (`i = 0` for a while loop).
    init: Option<String>,
    /// The loop header.
    header: String,
    /// The first statement of the body (`i += 1` for a while loop).
    first: Option<String>,
    /// The counter as a variable of the body.
    var: Var,
    /// The counter's value at iteration `t` is `start + t * step`.
    start: i128,
    step: i128,
}

impl LoopShape {
    /// The counter's value at iteration `t`.
    fn at(&self, t: i64) -> i128 {
        self.start + i128::from(t) * self.step
    }
}

/// The state of generating one program.
struct Gen {
    rng: Rng,
    /// The prelude's helper functions, callable from any expression.
    funcs: Vec<Func>,
    /// The prelude's numeric globals (read by helpers, rebound by some segments).
    globals: Vec<Var>,
    /// How many more helper calls the expression being generated may contain (keeps the
    /// number of calls per loop iteration small).
    call_budget: u32,
    /// A counter for unique names.
    fresh: usize,
    /// How many reads of possibly non-finite variables were generated so far (to tell
    /// whether a subexpression may be `nan` or `±inf`).
    nonfinite_reads: u64,
}

/// The kinds of segment, with their weights in [`Gen::segment`].
const SEGMENTS: &[(&str, u64)] = &[
    ("loop", 26),
    ("calls", 10),
    ("class", 13),
    ("list", 9),
    ("dict", 4),
    ("poly", 10),
    ("try", 9),
    ("big", 9),
    ("rec", 7),
    ("str", 4),
    ("closure", 5),
    ("churn", 4),
];

/// The Python program for `seed`.
pub fn program(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng::new(seed),
        funcs: Vec::new(),
        globals: Vec::new(),
        call_budget: 0,
        fresh: 0,
        nonfinite_reads: 0,
    };
    let mut out = Out::default();
    out.line("import math");
    g.prelude(&mut out);
    let segments = g.rng.range(2, 6);
    for k in 0..segments {
        g.segment(&mut out, &format!("s{k}"));
    }
    if g.rng.chance(13) {
        g.final_error(&mut out);
    }
    let mut text = out.lines.join("\n");
    text.push('\n');
    text
}

impl Gen {
    /// A fresh name with the given prefix.
    fn name(&mut self, prefix: &str) -> String {
        self.fresh += 1;
        format!("{prefix}{}", self.fresh)
    }

    /// A random int literal: mostly small, sometimes 32-bit, sometimes at a boundary.
    fn int_const(&mut self) -> (String, u32) {
        let v: i128 = match self.rng.weighted(&[60, 25, 10, 5]) {
            0 => i128::from(self.rng.range(0, 20)),
            1 => i128::from(self.rng.range(-1000, 1000)),
            2 => i128::from(self.rng.range(-(1 << 31), 1 << 31)),
            _ => *self.rng.pick(BOUNDARY_INTS),
        };
        (int_lit(v), bits_of(v))
    }

    /// A random non-zero small int literal.
    fn nonzero_small(&mut self) -> i128 {
        let v = i128::from(self.rng.range(-9, 12));
        if v == 0 { 7 } else { v }
    }

    /// A random modulus.
    fn modulus(&mut self) -> (&'static str, u32) {
        *self.rng.pick(MODULI)
    }

    /// `e` itself, or `e` reduced modulo a constant when it could exceed [`CAP_BITS`].
    fn cap(&mut self, e: Ex) -> Ex {
        if e.bits <= CAP_BITS {
            return e;
        }
        let (m, bits) = self.modulus();
        Ex {
            code: format!("({} % {m})", e.code),
            bits,
            int: e.int,
        }
    }

    /// `e` reduced to at most `limit` bits (for helper arguments).
    fn narrow(&mut self, e: Ex, limit: u32) -> Ex {
        if e.bits <= limit {
            return e;
        }
        let (m, bits) = *self.rng.pick(&MODULI[..5]);
        Ex {
            code: format!("({} % {m})", e.code),
            bits,
            int: e.int,
        }
    }

    /// A leaf: a variable of `vars` or a literal. With `want_int`, always an int.
    fn leaf(&mut self, vars: &[Var], want_int: bool) -> Ex {
        let usable: Vec<&Var> = vars.iter().filter(|v| v.int || !want_int).collect();
        if !usable.is_empty() && self.rng.chance(65) {
            let v = *self.rng.pick(&usable);
            if !v.fin {
                self.nonfinite_reads += 1;
            }
            return Ex {
                code: v.name.clone(),
                bits: v.bits,
                int: v.int,
            };
        }
        if !want_int && self.rng.chance(30) {
            let (code, bits) = *self.rng.pick(FLOATS);
            return Ex {
                code: code.to_string(),
                bits,
                int: false,
            };
        }
        let (code, bits) = self.int_const();
        Ex {
            code,
            bits,
            int: true,
        }
    }

    /// A divisor that is never zero: a non-zero literal or `(abs(e) + 1)`.
    fn divisor(&mut self, vars: &[Var], depth: u32, want_int: bool) -> Ex {
        if self.rng.chance(50) {
            if !want_int && self.rng.chance(20) {
                let code = *self.rng.pick(&["0.5", "2.5", "(-1.5)", "3.0"]);
                return Ex {
                    code: code.to_string(),
                    bits: 2,
                    int: false,
                };
            }
            let v = self.nonzero_small();
            return Ex {
                code: int_lit(v),
                bits: bits_of(v),
                int: true,
            };
        }
        let e = self.expr(vars, depth, want_int);
        Ex {
            code: format!("(abs({}) + 1)", e.code),
            bits: e.bits + 1,
            int: e.int,
        }
    }

    /// A numeric expression over `vars` (and the helper functions), at most `depth` deep.
    /// With `want_int` its value is always an int; otherwise it may be an int or a float,
    /// depending on the values of the variables, and is valid for both.
    fn expr(&mut self, vars: &[Var], depth: u32, want_int: bool) -> Ex {
        if depth == 0 || self.rng.chance(20) {
            return self.leaf(vars, want_int);
        }
        let d = depth - 1;
        let can_call = !self.funcs.is_empty() && self.call_budget > 0;
        let weights = [
            30,                            // + - *
            12,                            // // %
            if want_int { 0 } else { 6 },  // /
            6,                             // comparison
            4,                             // conditional expression
            6,                             // - abs
            5,                             // min max
            6,                             // int() float() math.floor math.sqrt
            if want_int { 10 } else { 4 }, // bitwise
            3,                             // ** 2, ** 3
            if can_call { 8 } else { 0 },  // helper call
        ];
        let e = match self.rng.weighted(&weights) {
            0 => {
                let a = self.expr(vars, d, want_int);
                let b = self.expr(vars, d, want_int);
                let (op, bits) = match self.rng.below(3) {
                    0 => ("+", a.bits.max(b.bits) + 1),
                    1 => ("-", a.bits.max(b.bits) + 1),
                    _ => ("*", a.bits + b.bits),
                };
                Ex {
                    code: format!("({} {op} {})", a.code, b.code),
                    bits,
                    int: a.int && b.int,
                }
            }
            1 => {
                let a = self.expr(vars, d, want_int);
                let b = self.divisor(vars, d, want_int);
                if self.rng.chance(50) {
                    Ex {
                        code: format!("({} // {})", a.code, b.code),
                        bits: a.bits + 2,
                        int: a.int && b.int,
                    }
                } else {
                    Ex {
                        code: format!("({} % {})", a.code, b.code),
                        bits: b.bits,
                        int: a.int && b.int,
                    }
                }
            }
            2 => {
                let a = self.expr(vars, d, false);
                let b = self.divisor(vars, d, false);
                Ex {
                    code: format!("({} / {})", a.code, b.code),
                    bits: a.bits + 2,
                    int: false,
                }
            }
            3 => {
                let a = self.expr(vars, d, false);
                let b = self.expr(vars, d, false);
                let op = *self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
                Ex {
                    code: format!("({} {op} {})", a.code, b.code),
                    bits: 1,
                    int: true,
                }
            }
            4 => {
                let c = self.cond(vars);
                let a = self.expr(vars, d, want_int);
                let b = self.expr(vars, d, want_int);
                Ex {
                    code: format!("({} if {c} else {})", a.code, b.code),
                    bits: a.bits.max(b.bits),
                    int: a.int && b.int,
                }
            }
            5 => {
                let a = self.expr(vars, d, want_int);
                let code = if self.rng.chance(50) {
                    format!("(-{})", a.code)
                } else {
                    format!("abs({})", a.code)
                };
                Ex {
                    code,
                    bits: a.bits,
                    int: a.int,
                }
            }
            6 => {
                let a = self.expr(vars, d, want_int);
                let b = self.expr(vars, d, want_int);
                let f = if self.rng.chance(50) { "min" } else { "max" };
                Ex {
                    code: format!("{f}({}, {})", a.code, b.code),
                    bits: a.bits.max(b.bits),
                    int: a.int && b.int,
                }
            }
            7 => {
                let before = self.nonfinite_reads;
                let a = self.expr(vars, d, false);
                let finite = self.nonfinite_reads == before || a.int;
                let choice = match (want_int, finite) {
                    (_, true) => self.rng.below(if want_int { 2 } else { 4 }),
                    // int(nan) and math.floor(inf) raise: convert an int expression instead.
                    (true, false) => 4,
                    (false, false) => 2 + self.rng.below(2),
                };
                if choice == 4 {
                    let b = self.expr(vars, d, true);
                    return self.cap(Ex {
                        code: format!("int({})", b.code),
                        bits: b.bits,
                        int: true,
                    });
                }
                match choice {
                    0 => Ex {
                        code: format!("int({})", a.code),
                        bits: a.bits,
                        int: true,
                    },
                    1 => Ex {
                        code: format!("math.floor({})", a.code),
                        bits: a.bits + 1,
                        int: true,
                    },
                    2 => Ex {
                        code: format!("float({})", a.code),
                        bits: a.bits,
                        int: false,
                    },
                    _ => Ex {
                        code: format!("math.sqrt(abs({}))", a.code),
                        bits: a.bits / 2 + 1,
                        int: false,
                    },
                }
            }
            8 => {
                let a = self.expr(vars, d, true);
                match self.rng.below(6) {
                    0..=2 => {
                        let b = self.expr(vars, d, true);
                        let op = *self.rng.pick(&["&", "|", "^"]);
                        Ex {
                            code: format!("({} {op} {})", a.code, b.code),
                            bits: a.bits.max(b.bits),
                            int: true,
                        }
                    }
                    3 => {
                        let k = self.rng.range(0, 20) as u32;
                        Ex {
                            code: format!("({} << {k})", a.code),
                            bits: a.bits + k,
                            int: true,
                        }
                    }
                    4 => {
                        let k = self.rng.range(0, 12);
                        Ex {
                            code: format!("({} >> {k})", a.code),
                            bits: a.bits,
                            int: true,
                        }
                    }
                    _ => Ex {
                        code: format!("(~{})", a.code),
                        bits: a.bits + 1,
                        int: true,
                    },
                }
            }
            9 => {
                let a = self.expr(vars, d, want_int);
                let k = if self.rng.chance(70) { 2 } else { 3 };
                Ex {
                    code: format!("({} ** {k})", a.code),
                    bits: a.bits * k,
                    int: a.int,
                }
            }
            _ => {
                self.call_budget -= 1;
                let call = self.call(vars, d);
                if want_int {
                    Ex {
                        code: format!("int({call})"),
                        bits: CAP_BITS,
                        int: true,
                    }
                } else {
                    Ex {
                        code: call,
                        bits: CAP_BITS,
                        int: false,
                    }
                }
            }
        };
        self.cap(e)
    }

    /// [`Gen::expr`], and whether the expression reads no possibly non-finite variable
    /// (so its value is finite).
    fn expr_fin(&mut self, vars: &[Var], depth: u32, want_int: bool) -> (Ex, bool) {
        let before = self.nonfinite_reads;
        let e = self.expr(vars, depth, want_int);
        let fin = self.nonfinite_reads == before;
        (e, fin)
    }

    /// A call of a random helper function with numeric arguments over `vars`.
    fn call(&mut self, vars: &[Var], depth: u32) -> String {
        let f = self.rng.pick(&self.funcs).clone();
        let mut args = Vec::new();
        for (i, p) in f.params.iter().enumerate() {
            let last = i + 1 == f.params.len();
            if last && f.has_default && self.rng.chance(30) {
                break;
            }
            let e = self.expr(vars, depth, false);
            let e = self.narrow(e, PARAM_BITS);
            if last && self.rng.chance(25) {
                args.push(format!("{p}={}", e.code));
            } else {
                args.push(e.code);
            }
        }
        format!("{}({})", f.name, args.join(", "))
    }

    /// A condition over `vars` (never raises).
    fn cond(&mut self, vars: &[Var]) -> String {
        match self.rng.weighted(&[50, 20, 15, 15]) {
            0 => self.comparison(vars),
            1 => {
                let a = self.expr(vars, 1, true);
                let p = self.rng.range(2, 9);
                let r = self.rng.range(0, p - 1);
                format!("{} % {p} == {r}", a.code)
            }
            2 => {
                let a = self.comparison(vars);
                let b = self.comparison(vars);
                let op = if self.rng.chance(50) { "and" } else { "or" };
                format!("{a} {op} {b}")
            }
            _ => format!("not ({})", self.comparison(vars)),
        }
    }

    /// `a OP b` for two small expressions.
    fn comparison(&mut self, vars: &[Var]) -> String {
        let a = self.expr(vars, 1, false);
        let b = self.expr(vars, 1, false);
        let op = *self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
        format!("{} {op} {}", a.code, b.code)
    }

    // -----------------------------------------------------------------------------------------
    // The prelude
    // -----------------------------------------------------------------------------------------

    /// Two numeric globals and 1–4 helper functions with 0–3 parameters, each of which may
    /// call the ones before it.
    fn prelude(&mut self, out: &mut Out) {
        let g0 = self.rng.range(1, 40);
        out.line(format!("G0 = {g0}"));
        let g1 = *self.rng.pick(&["2.5", "0.5", "3", "-4"]);
        out.line(format!("G1 = {g1}"));
        // Segments may rebind them (once each per segment, see `rebind_global`).
        self.globals = vec![Var::new("G0", 24, false), Var::new("G1", 24, false)];
        for _ in 0..self.rng.range(1, 4) {
            let name = self.name("f");
            let f = self.helper(out, &name);
            self.funcs.push(f);
        }
    }

    /// Writes `def NAME(params): ...` and returns its signature. With `like`, it has the
    /// same parameters as an existing helper (a replacement to monkeypatch it with).
    fn helper_with(&mut self, out: &mut Out, name: &str, like: Option<&Func>) -> Func {
        let (params, has_default) = match like {
            Some(f) => (f.params.clone(), f.has_default),
            None => {
                let arity = self.rng.range(0, 3) as usize;
                let params = ["a", "b", "c"][..arity].to_vec();
                (params, arity > 0 && self.rng.chance(30))
            }
        };
        let mut sig: Vec<String> = params.iter().map(|p| p.to_string()).collect();
        if has_default {
            let d = self.rng.range(-5, 9);
            let last = sig.last_mut().expect("a parameter");
            *last = format!("{last}={}", int_lit(i128::from(d)));
        }
        out.open(format!("def {name}({}):", sig.join(", ")));
        // Callers may pass nan or inf.
        let mut vars: Vec<Var> = params
            .iter()
            .map(|p| Var::nonfinite(*p, PARAM_BITS))
            .collect();
        vars.extend(self.globals.iter().cloned());
        // A replacement may call only the helpers defined before the one it replaces, so
        // that no call chain loops back to itself.
        let saved = self.funcs.clone();
        if let Some(f) = like {
            let before = self.funcs.iter().position(|g| g.name == f.name);
            self.funcs.truncate(before.unwrap_or(0));
        }
        self.call_budget = 1;
        let (t, fin) = self.expr_fin(&vars, 2, false);
        out.line(format!("t = {}", t.code));
        let mut tv = Var::new("t", t.bits, t.int);
        tv.fin = fin;
        if self.rng.chance(50) {
            let c = self.cond(&vars);
            let (t2, fin2) = self.expr_fin(&vars, 2, false);
            out.open(format!("if {c}:"));
            out.line(format!("t = {}", t2.code));
            out.close();
            tv.bits = tv.bits.max(t2.bits);
            tv.int &= t2.int;
            tv.fin &= fin2;
        }
        vars.push(tv);
        let r = self.expr(&vars, 2, false);
        let r = self.cap(r);
        out.line(format!("return {}", r.code));
        out.close();
        self.call_budget = 0;
        self.funcs = saved;
        Func {
            name: name.to_string(),
            params,
            has_default,
        }
    }

    /// A new helper function (see [`Gen::helper_with`]).
    fn helper(&mut self, out: &mut Out, name: &str) -> Func {
        self.helper_with(out, name, None)
    }

    // -----------------------------------------------------------------------------------------
    // Segments
    // -----------------------------------------------------------------------------------------

    /// One segment, at module level or wrapped in `def run_TAG(): ...` and called.
    fn segment(&mut self, out: &mut Out, tag: &str) {
        let in_func = self.rng.chance(65);
        let mut body = Out::default();
        let mut global_decls: Vec<String> = Vec::new();
        let kinds: Vec<u64> = SEGMENTS.iter().map(|(_, w)| *w).collect();
        let kind = SEGMENTS[self.rng.weighted(&kinds)].0;
        match kind {
            "loop" => self.seg_loop(&mut body, tag, &mut global_decls),
            "calls" => self.seg_calls(&mut body, tag, &mut global_decls),
            "class" => self.seg_class(&mut body, tag),
            "list" => self.seg_list(&mut body, tag),
            "dict" => self.seg_dict(&mut body, tag),
            "poly" => self.seg_poly(&mut body, tag),
            "try" => self.seg_try(&mut body, tag),
            "big" => self.seg_big(&mut body, tag),
            "rec" => self.seg_rec(&mut body, tag),
            "str" => self.seg_str(&mut body, tag),
            "churn" => self.seg_churn(&mut body, tag),
            _ => self.seg_closure(&mut body, tag),
        }
        // The segment's functions and classes go to module level (so that the driver's code
        // object stays lean enough for the JIT to compile it at the threshold), except in
        // some wrapped segments, where they stay nested (closures, LOAD_DEREF).
        if !in_func || self.rng.chance(75) {
            let (defs, rest) = split_defs(body);
            out.append(defs, 0);
            body = rest;
        }
        if in_func {
            out.open(format!("def run_{tag}():"));
            if !global_decls.is_empty() {
                global_decls.sort();
                global_decls.dedup();
                out.line(format!("global {}", global_decls.join(", ")));
            }
            out.append(body, 0);
            out.close();
            out.line(format!("run_{tag}()"));
        } else {
            out.append(body, 0);
        }
    }

    /// The shape of a loop over `i` with `n` iterations: a `for` over one of several kinds
    /// of range (some crossing 2**47 or going down), or a `while` loop.
    fn loop_shape(&mut self, n: i64) -> LoopShape {
        let n128 = i128::from(n);
        match self.rng.weighted(&[45, 10, 10, 8, 7, 20]) {
            0 => LoopShape {
                init: None,
                header: format!("for i in range({n}):"),
                first: None,
                var: Var::new("i", bits_of(n128), true),
                start: 0,
                step: 1,
            },
            1 => {
                let s = i128::from(self.rng.range(-50, 50));
                LoopShape {
                    init: None,
                    header: format!("for i in range({}, {}):", int_lit(s), s + n128),
                    first: None,
                    var: Var::new("i", bits_of(s.abs() + n128), true),
                    start: s,
                    step: 1,
                }
            }
            2 => LoopShape {
                init: None,
                header: format!("for i in range({n}, 0, -1):"),
                first: None,
                var: Var::new("i", bits_of(n128), true),
                start: n128,
                step: -1,
            },
            3 => LoopShape {
                init: None,
                header: format!("for i in range(1, {}, 3):", 3 * n128 - 1),
                first: None,
                var: Var::new("i", bits_of(3 * n128), true),
                start: 1,
                step: 3,
            },
            4 => {
                // The counter crosses 2**47 (the small-int limit) or 2**63 mid-loop.
                let base: i128 = *self.rng.pick(&[1 << 47, -(1 << 47), 1 << 63, -(1 << 63)]);
                let s = base - n128 / 2;
                LoopShape {
                    init: None,
                    header: format!("for i in range({}, {}):", int_lit(s), int_lit(s + n128)),
                    first: None,
                    var: Var::new("i", bits_of(base) + 1, true),
                    start: s,
                    step: 1,
                }
            }
            _ => LoopShape {
                init: Some("i = 0".to_string()),
                header: format!("while i < {n}:"),
                first: Some("i += 1".to_string()),
                var: Var::new("i", bits_of(n128), true),
                start: 1,
                step: 1,
            },
        }
    }

    /// A hot (200–2000 iterations) or cold loop count.
    fn loop_count(&mut self, hot_percent: u64) -> i64 {
        if self.rng.chance(hot_percent) {
            self.rng.range(200, 2000)
        } else {
            self.rng.range(3, 40)
        }
    }

    /// `if i == K: G = ...`: rebinds a prelude global in the middle of a loop (a type change
    /// for helpers that read it). Stays within the globals' declared 24 bits: at most one
    /// rebinding per segment, each adding at most 2 bits, over at most 6 segments.
    fn rebind_global(&mut self, body: &mut Out, at: i128, global_decls: &mut Vec<String>) {
        let g = if self.rng.chance(50) { "G0" } else { "G1" };
        let value = match self.rng.below(6) {
            0 => "0.25".to_string(),
            1 => format!("{g} + 1"),
            2 => format!("-{g}"),
            3 => format!("{g} * 2"),
            4 => format!("float({g})"),
            _ => self.rng.range(-9, 30).to_string(),
        };
        body.open(format!("if i == {}:", int_lit(at)));
        body.line(format!("{g} = {value}"));
        body.close();
        global_decls.push(g.to_string());
    }

    /// A loop of accumulator updates, temporaries and branches over a few parameters, some
    /// of which change type at some iteration (int → float, small → big int, int → bool,
    /// float → nan or inf) or flip between int and float every iteration after it; maybe a
    /// variable that is `None` every other time it is read, a builtin shadowed by a global
    /// mid-loop (and restored after), and a late `break` with a `for`/`while` `else`.
    fn seg_loop(&mut self, o: &mut Out, tag: &str, global_decls: &mut Vec<String>) {
        let n = self.loop_count(80);
        let hot = n >= 200;
        let shape = self.loop_shape(n);
        let mut vars = self.globals.clone();
        let mut switches = Vec::new();
        let mut params = Vec::new();
        for p in 0..self.rng.range(1, 3) {
            let name = format!("p{p}_{tag}");
            let (init, bits, mut int) = if self.rng.chance(70) {
                let v = i128::from(self.rng.range(-300, 300));
                (int_lit(v), bits_of(v), true)
            } else {
                let (code, bits) = *self.rng.pick(FLOATS);
                (code.to_string(), bits, false)
            };
            o.line(format!("{name} = {init}"));
            let mut bits = bits.max(10);
            let mut fin = true;
            if self.rng.chance(if hot { 60 } else { 20 }) {
                let at = int_lit(shape.at(self.rng.range(1, n - 1)));
                let (code, extra, to_float) = match self.rng.below(11) {
                    0 => (format!("{name} + 0.5"), 1, true),
                    1 => (format!("float({name})"), 0, true),
                    2 => (format!("{name} * 1099511627776"), 41, false),
                    3 => (format!("{name} + 9223372036854775808"), 64, false),
                    4 => (format!("-{name}"), 0, false),
                    5 => (format!("{name} // 3"), 0, false),
                    6 => (format!("{name} > 0"), 0, false),
                    7 => {
                        fin = false;
                        let v = *self
                            .rng
                            .pick(&["float('nan')", "float('inf')", "-float('inf')"]);
                        (v.to_string(), 0, true)
                    }
                    _ => {
                        // From iteration `at` on, a float every other iteration.
                        let line = format!(
                            "if i > {at}: {name} = float({name}) if i % 2 == 0 else int({name})"
                        );
                        switches.push(line);
                        (String::new(), 0, true)
                    }
                };
                if !code.is_empty() {
                    switches.push(format!("if i == {at}: {name} = {code}"));
                }
                bits = bits.max(extra) + 1;
                int &= !to_float;
            }
            let mut v = Var::new(name.clone(), bits, int);
            v.fin = fin;
            vars.push(v);
            params.push(name);
        }
        let mut accs = Vec::new();
        for a in 0..self.rng.range(1, 3) {
            let name = format!("acc{a}_{tag}");
            let (init, int) = match self.rng.below(4) {
                0 => ("0.0", false),
                1 => ("1", self.rng.chance(50)),
                _ => ("0", self.rng.chance(50)),
            };
            o.line(format!("{name} = {init}"));
            accs.push(Acc { name, int });
        }
        let maybe = format!("mb_{tag}");
        let use_maybe = self.rng.chance(20);
        if use_maybe {
            o.line(format!("{maybe} = None"));
        }
        // Shadowing a builtin from module code needs no `global` (and a wrapped segment
        // declares it): every later `abs(...)` in the loop calls this one.
        let shadow = hot && self.rng.chance(12);
        if shadow {
            o.open(format!("def my_abs_{tag}(x):"));
            o.line("return x if x >= 0 else -x");
            o.close();
            global_decls.push("abs".to_string());
        }
        if let Some(init) = &shape.init {
            o.line(init);
        }
        o.open(&shape.header);
        if let Some(first) = &shape.first {
            o.line(first);
        }
        vars.push(shape.var.clone());
        for s in &switches {
            o.line(s);
        }
        if hot && self.rng.chance(25) {
            let t = self.rng.range(1, n - 1);
            self.rebind_global(o, shape.at(t), global_decls);
        }
        if shadow {
            // Before any `continue` and before the earliest `break`, so it always happens.
            let t = self.rng.range(1, n / 2 - 1);
            o.line(format!(
                "if i == {}: abs = my_abs_{tag}",
                int_lit(shape.at(t))
            ));
        }
        let mut body_vars = vars.clone();
        for _ in 0..self.rng.range(2, 4) {
            self.stmt(o, &mut body_vars, &accs, 2, tag);
        }
        if use_maybe {
            let acc = &self.rng.pick(&accs).name.clone();
            let e = self.expr(&body_vars, 2, true);
            let c = self.cond(&body_vars);
            o.open(format!("if {maybe} is not None and ({c}):"));
            o.line(format!("{acc} = {acc} + {maybe}"));
            o.line(format!("{maybe} = None"));
            o.close();
            o.open(format!("elif {maybe} is None:"));
            o.line(format!("{maybe} = {}", e.code));
            o.close();
        }
        if hot && self.rng.chance(30) {
            let p = (n / 4).max(1);
            o.open(format!("if i % {p} == 0:"));
            o.line(format!("print(\"{tag}\", i, {})", accs[0].name));
            o.close();
        }
        let with_break = hot && self.rng.chance(15);
        if with_break {
            let t = self.rng.range(n / 2, n - 1);
            let c = self.cond(&body_vars);
            o.open(format!("if i == {} and ({c}):", int_lit(shape.at(t))));
            o.line(format!("print(\"{tag} break\", i)"));
            o.line("break");
            o.close();
        }
        o.close();
        if with_break && self.rng.chance(60) {
            o.open("else:");
            o.line(format!("print(\"{tag} no break\")"));
            o.close();
        }
        if shadow {
            o.line("del abs");
        }
        let mut shown: Vec<String> = accs.iter().map(|a| a.name.clone()).collect();
        shown.extend(params);
        if use_maybe {
            shown.push(maybe);
        }
        o.line(format!("print(\"{tag}\", {})", shown.join(", ")));
    }

    /// One statement of a loop body: a temporary (which later statements may read), an
    /// accumulator update, a branch, a short inner loop, or a `continue`.
    fn stmt(&mut self, o: &mut Out, vars: &mut Vec<Var>, accs: &[Acc], depth: u32, tag: &str) {
        self.call_budget = 2;
        let weights = [
            25,
            35,
            if depth > 0 { 25 } else { 0 },
            if depth > 0 { 5 } else { 0 },
            if depth < 2 { 4 } else { 0 },
            5,
        ];
        match self.rng.weighted(&weights) {
            0 => {
                let want_int = self.rng.chance(30);
                let (e, fin) = self.expr_fin(vars, 2, want_int);
                let name = format!("{}_{tag}", self.name("t"));
                o.line(format!("{name} = {}", e.code));
                let mut v = Var::new(name, e.bits, e.int);
                v.fin = fin || e.int;
                vars.push(v);
            }
            1 => self.acc_update(o, vars, accs),
            2 => {
                let c = self.cond(vars);
                o.open(format!("if {c}:"));
                self.branch(o, vars, accs, depth, tag);
                o.close();
                if self.rng.chance(30) {
                    let c = self.cond(vars);
                    o.open(format!("elif {c}:"));
                    self.branch(o, vars, accs, depth, tag);
                    o.close();
                }
                if self.rng.chance(50) {
                    o.open("else:");
                    self.branch(o, vars, accs, depth, tag);
                    o.close();
                }
            }
            3 => {
                let m = self.rng.range(1, 4);
                o.open(format!("for j in range({m}):"));
                let mut inner = vars.clone();
                inner.push(Var::new("j", 3, true));
                self.acc_update(o, &inner, accs);
                o.close();
            }
            4 => {
                let c = self.cond(vars);
                o.open(format!("if {c}:"));
                o.line("continue");
                o.close();
            }
            _ => {
                let a = &self.rng.pick(accs).name;
                let limit = self.rng.range(3, 30);
                o.open(format!("if abs({a}) > 10 ** {limit}:"));
                let d = self.rng.range(2, 9);
                if self.rng.chance(50) {
                    o.line(format!("{a} = {a} // {d}"));
                } else {
                    o.line(format!("{a} %= {}", self.modulus().0));
                }
                o.close();
            }
        }
        self.call_budget = 0;
    }

    /// The body of a branch: one or two statements; temporaries stay local to it.
    fn branch(&mut self, o: &mut Out, vars: &[Var], accs: &[Acc], depth: u32, tag: &str) {
        let mut local = vars.to_vec();
        for _ in 0..self.rng.range(1, 2) {
            self.stmt(o, &mut local, accs, depth - 1, tag);
        }
    }

    /// `acc = acc + e` and its variants.
    fn acc_update(&mut self, o: &mut Out, vars: &[Var], accs: &[Acc]) {
        let acc = self.rng.pick(accs).clone();
        let e = self.expr(vars, 2, acc.int);
        let a = &acc.name;
        let forms = if acc.int { 6 } else { 4 };
        let line = match self.rng.below(forms) {
            0 => format!("{a} = {a} + {}", e.code),
            1 => format!("{a} += {}", e.code),
            2 => format!("{a} -= {}", e.code),
            3 => {
                let c = self.rng.range(2, 5);
                format!("{a} = ({a} * {c} + {}) % {}", e.code, self.modulus().0)
            }
            4 => format!("{a} ^= {}", e.code),
            _ => format!(
                "{a} = ({a} << 1) % {} | ({} & 255)",
                self.modulus().0,
                e.code
            ),
        };
        o.line(line);
    }

    /// A hot loop calling helper functions, first with ints, then with floats, with the
    /// helper replaced mid-loop (a global rebound to another function) in some programs.
    fn seg_calls(&mut self, o: &mut Out, tag: &str, global_decls: &mut Vec<String>) {
        if self.funcs.is_empty() {
            // The prelude always defines one; a helper defined here could be local to
            // `run_TAG` and invisible to later segments.
            return self.seg_loop(o, tag, global_decls);
        }
        let n = self.loop_count(90);
        let sw = self.rng.range(1, n);
        let x = format!("x_{tag}");
        let acc = format!("acc_{tag}");
        let mut patch = None;
        if n > 2 && self.rng.chance(40) {
            let target = self.rng.pick(&self.funcs).clone();
            let alt = format!("alt_{tag}");
            self.helper_with(o, &alt, Some(&target));
            patch = Some((self.rng.range(1, n - 1), target.name.clone(), alt));
            global_decls.push(target.name);
        }
        o.line(format!("{acc} = 0"));
        o.open(format!("for i in range({n}):"));
        let switch = *self
            .rng
            .pick(&["i + 0.5", "i * 0.25", "float(i)", "i + 2 ** 50", "-i"]);
        o.line(format!("{x} = i if i < {sw} else {switch}"));
        if let Some((at, target, alt)) = &patch {
            o.open(format!("if i == {at}:"));
            o.line(format!("{target} = {alt}"));
            o.close();
        }
        let mut vars = vec![Var::new("i", 11, true), Var::new(x.clone(), 52, false)];
        vars.extend(self.globals.iter().cloned());
        for _ in 0..self.rng.range(1, 2) {
            self.call_budget = 1;
            let call = self.call(&vars, 1);
            let (m, _) = self.modulus();
            o.line(format!("{acc} = ({acc} + {call}) % {m}"));
        }
        self.call_budget = 0;
        o.close();
        o.line(format!("print(\"{tag}\", {acc}, {x})"));
    }

    /// A class with `__init__`, methods that update attributes (`self.x += ...`), maybe a
    /// subclass using `super()`, and a hot loop over instances in which an attribute or a
    /// class attribute changes type and a method is monkeypatched on the class.
    fn seg_class(&mut self, o: &mut Out, tag: &str) {
        let k = format!("K_{tag}");
        let l = format!("L_{tag}");
        let (m, mbits) = *self.rng.pick(&MODULI[..4]);
        let wv = self.rng.range(1, 9);
        // self.x stays below 2**24 (mod m, or decremented by < 2**12 at most 2000 times),
        // self.y below 2**42 (small or 2**40, plus at most 2000 increments of 1).
        // self.y may become nan mid-loop, and self.x is computed from it.
        let fields = vec![
            Var::nonfinite("self.x", 24.max(mbits)),
            Var::nonfinite("self.y", 42),
            Var::new("self.w", 4, false),
            Var::new("d", 12, false),
        ];
        let slots = self.rng.chance(25);
        let dunder = self.rng.chance(30);
        let prop = self.rng.chance(30);
        o.open(format!("class {k}:"));
        o.line(format!("w = {wv}"));
        if slots {
            o.line("__slots__ = ('x', 'y', 'n')");
        }
        o.open("def __init__(self, a, b=1):");
        if self.rng.chance(40) {
            // Instances whose dicts hold the same names in different orders.
            o.open("if a % 2:");
            o.line("self.x = a");
            o.line("self.y = b");
            o.close();
            o.open("else:");
            o.line("self.y = b");
            o.line("self.x = a");
            o.close();
        } else {
            o.line("self.x = a");
            o.line("self.y = b");
        }
        o.line("self.n = 0");
        o.close();
        o.open("def step(self, d):");
        let e = self.expr(&fields, 2, false);
        if self.rng.chance(50) {
            o.line(format!("self.x = ({}) % {m}", e.code));
        } else {
            o.line(format!("self.x += {}", e.code));
            o.line(format!("self.x %= {m}"));
        }
        o.line("self.n += 1");
        let r = self.expr(&fields, 2, false);
        o.line(format!("return {}", r.code));
        o.close();
        o.open("def total(self):");
        let r = self.expr(&fields[..3], 2, false);
        o.line(format!("return {} + self.n", r.code));
        o.close();
        if dunder {
            o.open("def __add__(self, o):");
            o.line("return self.x + o");
            o.close();
        }
        if prop {
            o.line("@property");
            o.open("def dbl(self):");
            o.line("return self.x * 2");
            o.close();
        }
        o.close();
        let sub = self.rng.chance(40);
        if sub {
            o.open(format!("class {l}({k}):"));
            o.open("def total(self):");
            o.line(format!(
                "return super().total() * 2 + {}",
                self.rng.range(0, 9)
            ));
            o.close();
            if self.rng.chance(50) {
                o.open("def step(self, d):");
                o.line("self.n += 2");
                o.line(format!("return {k}.step(self, d) - 1"));
                o.close();
            }
            o.close();
        }
        let n = self.loop_count(90);
        let hot = n >= 200;
        let patch = hot && self.rng.chance(50);
        if patch {
            o.open(format!("def alt_{tag}(self, d):"));
            o.line(format!("self.x -= d * {}", self.rng.range(1, 3)));
            o.line("self.n += 3");
            o.line(format!("return self.x * {} + self.y", self.rng.range(1, 3)));
            o.close();
        }
        let mut objs = Vec::new();
        for _ in 0..self.rng.range(1, 4) {
            let cls = if sub && self.rng.chance(50) { &l } else { &k };
            let a = self.rng.range(-50, 500);
            let b = if self.rng.chance(25) {
                self.rng.pick(FLOATS).0.to_string()
            } else {
                self.rng.range(0, 99).to_string()
            };
            objs.push(format!("{cls}({}, {b})", int_lit(i128::from(a))));
        }
        let objs_name = format!("objs_{tag}");
        let acc = format!("acc_{tag}");
        o.line(format!("{objs_name} = [{}]", objs.join(", ")));
        o.line(format!("{acc} = 0"));
        // Slotted instances have no dict to shadow methods in, nor a layout that
        // `__class__` assignment to the dict-ful subclass accepts.
        let shadow = hot && !slots && self.rng.chance(20);
        if shadow {
            o.open(format!("def shadow_{tag}(d):"));
            o.line(format!("return d * {}", self.rng.range(2, 5)));
            o.close();
        }
        let patch_add = hot && dunder && self.rng.chance(50);
        if patch_add {
            o.open(format!("def alt_add_{tag}(self, o):"));
            o.line("return self.x - o * 2");
            o.close();
        }
        // A data descriptor installed on the class over an instance attribute.
        let patch_prop = hot && self.rng.chance(12);
        if patch_prop {
            o.open(format!("def get_y_{tag}(self):"));
            o.line("return 7");
            o.close();
            o.open(format!("def set_y_{tag}(self, v):"));
            o.line("pass");
            o.close();
        }
        o.open(format!("for i in range({n}):"));
        o.line(format!("ob = {objs_name}[i % len({objs_name})]"));
        let arg = *self
            .rng
            .pick(&["i % 13", "(i * 7) % 11", "i % 5 + 0.5", "i & 1023"]);
        o.line(format!("{acc} = {acc} + ob.step({arg})"));
        if self.rng.chance(40) {
            o.line("ob.y = ob.y + 1");
        }
        if self.rng.chance(30) {
            o.line(format!("{acc} = {acc} - ob.total() % 7"));
        }
        if dunder {
            o.line(format!("{acc} = {acc} + (ob + i % 3)"));
        }
        if prop {
            o.line(format!("{acc} = {acc} + ob.dbl % 11"));
        }
        if patch_add {
            let t = self.rng.range(1, n - 1);
            o.line(format!("if i == {t}: {k}.__add__ = alt_add_{tag}"));
        }
        if patch_prop {
            let t = self.rng.range(1, n - 1);
            o.line(format!(
                "if i == {t}: {k}.y = property(get_y_{tag}, set_y_{tag})"
            ));
        }
        if hot {
            if self.rng.chance(50) {
                let t = self.rng.range(1, n - 1);
                let v = self
                    .rng
                    .pick(&["2.5", "0.125", "-1.0", "2 ** 40", "float('nan')"]);
                o.line(format!("if i == {t}: {objs_name}[0].y = {v}"));
            }
            if shadow {
                // A function in the instance dict shadows the method, then goes away.
                let t1 = self.rng.range(1, n - 2);
                let t2 = self.rng.range(t1 + 1, n - 1);
                o.line(format!("if i == {t1}: {objs_name}[0].step = shadow_{tag}"));
                o.line(format!("if i == {t2}: del {objs_name}[0].step"));
            }
            if sub && !slots && self.rng.chance(25) {
                let t = self.rng.range(1, n - 1);
                let other = if self.rng.chance(50) { &l } else { &k };
                o.line(format!("if i == {t}: {objs_name}[0].__class__ = {other}"));
            }
            if !slots && self.rng.chance(20) {
                // An instance attribute shadows a class attribute, then goes away.
                let t1 = self.rng.range(1, n - 2);
                let t2 = self.rng.range(t1 + 1, n - 1);
                o.line(format!("if i == {t1}: {objs_name}[0].w = 2.5"));
                o.line(format!("if i == {t2}: del {objs_name}[0].w"));
            }
            if self.rng.chance(20) {
                o.line("bm = ob.total");
                o.line(format!("{acc} = {acc} - bm() % 5"));
            }
            if self.rng.chance(35) {
                // A new instance every iteration (class call → `__init__`).
                let args = if self.rng.chance(30) {
                    "i % 7"
                } else {
                    "i % 7, i"
                };
                o.line(format!("tmp = {k}({args})"));
                o.line(format!("{acc} = {acc} + tmp.step({arg}) + tmp.n"));
            }
            if self.rng.chance(30) {
                let t = self.rng.range(1, n - 1);
                o.line(format!("if i == {t}: {k}.w = 0.5"));
            }
            if patch {
                let t = self.rng.range(1, n - 1);
                o.line(format!("if i == {t}: {k}.step = alt_{tag}"));
            }
            if self.rng.chance(20) {
                let t = self.rng.range(1, n - 1);
                o.line(format!("if i == {t}: {objs_name}.append({k}(3, 4))"));
            }
        }
        o.close();
        o.line(format!(
            "print(\"{tag}\", {acc}, [q.total() for q in {objs_name}], {objs_name}[0].n, {objs_name}[0].x)"
        ));
    }

    /// A list updated by index in a hot loop (`lst[j] = ...`, negative indexes), which grows
    /// or changes element type mid-loop, then `for x in lst`, tuples, unpacking and slices.
    fn seg_list(&mut self, o: &mut Out, tag: &str) {
        let lst = format!("lst_{tag}");
        let tot = format!("tot_{tag}");
        let len = self.rng.range(3, 8);
        let mut elems = Vec::new();
        for _ in 0..len {
            if self.rng.chance(20) {
                elems.push(self.rng.pick(FLOATS).0.to_string());
            } else {
                elems.push(int_lit(i128::from(self.rng.range(-20, 200))));
            }
        }
        o.line(format!("{lst} = [{}]", elems.join(", ")));
        o.line(format!("{tot} = 0"));
        let n = self.loop_count(85);
        let (m, _) = *self.rng.pick(&MODULI[..5]);
        let vars = vec![
            // Up to 2**64 + i once that is appended (until it is reduced in turn).
            Var::new(format!("{lst}[j]"), 66, false),
            Var::new(format!("{lst}[-1]"), 66, false),
            Var::new("i", 11, true),
            Var::new("j", 4, true),
        ];
        let tup = format!("consts_{tag}");
        o.line(format!(
            "{tup} = ({}, {}, {})",
            self.rng.range(-9, 9),
            self.rng.pick(FLOATS).0,
            self.rng.range(0, 99)
        ));
        o.open(format!("for i in range({n}):"));
        o.line(format!("j = i % len({lst})"));
        let e = self.expr(&vars, 2, false);
        if self.rng.chance(30) {
            // The same element through a negative index.
            o.line(format!("{lst}[j - len({lst})] = ({}) % {m}", e.code));
        } else {
            o.line(format!("{lst}[j] = ({}) % {m}", e.code));
        }
        if self.rng.chance(40) {
            o.line(format!("{tot} = {tot} + {tup}[i % 3] - {tup}[-1 - i % 3]"));
        }
        let e = self.expr(&vars, 2, false);
        o.line(format!("{tot} = {tot} + {}", e.code));
        if self.rng.chance(40) {
            let r = self.rng.range(0, 30);
            o.open(format!("if i % 17 in {lst} or {r} in {lst}:"));
            o.line(format!("{tot} -= 1"));
            o.close();
        }
        if n > 2 && self.rng.chance(60) {
            let t = self.rng.range(1, n - 1);
            let change = match self.rng.below(4) {
                0 => format!("{lst}.append(2.5)"),
                1 => format!("{lst}[0] = {lst}[0] + 0.5"),
                2 => format!("{lst}.append(2 ** 64 + i)"),
                _ => format!("{lst}.pop()"),
            };
            o.line(format!("if i == {t}: {change}"));
        }
        o.close();
        o.open(format!("for x in {lst}:"));
        o.line(format!("{tot} = {tot} + x * 2"));
        o.close();
        if self.rng.chance(50) {
            // A hot `for x in` over a list that grows and shrinks while it is iterated.
            let (big, len) = (format!("big_{tag}"), self.rng.range(200, 1000));
            let (k, m) = (self.rng.range(1, 9), self.rng.range(5, 30));
            o.line(format!("{big} = [q * {k} % {m} for q in range({len})]"));
            o.open(format!("for x in {big}:"));
            o.line(format!("{tot} = {tot} + x * {}", self.rng.range(1, 5)));
            o.open(format!("if len({big}) < {} and x % 5 == 0:", len + 50));
            o.line(format!("{big}.append(x + 0.5)"));
            o.close();
            o.open(format!("elif x == 3 and len({big}) > {}:", len - 20));
            o.line(format!("{big}.pop()"));
            o.close();
            o.close();
            o.open(format!("for x in tuple({big}[:50]):"));
            o.line(format!("{tot} = {tot} - x"));
            o.close();
            o.line(format!("print(\"{tag}\", len({big}), {big}[-3:])"));
        }
        let pairs = format!("pairs_{tag}");
        let pn = self.rng.range(2, 12);
        o.line(format!(
            "{pairs} = [(q, q * q - {}) for q in range({pn})]",
            self.rng.range(0, 9)
        ));
        o.open(format!("for a, b in {pairs}:"));
        o.line(format!("{tot} = {tot} + a * b"));
        o.close();
        o.line(format!("tup_{tag} = tuple({lst})"));
        o.line(format!("first_{tag}, *rest_{tag} = tup_{tag}"));
        o.line(format!(
            "print(\"{tag}\", {tot}, len({lst}), tup_{tag}[0], tup_{tag}[-1], {lst}[1:3], first_{tag}, len(rest_{tag}), max({lst}), sorted({lst})[:3], {pairs}[-1])"
        ));
    }

    /// A dict with int keys filled in a hot loop (`d[k] = d.get(k, 0) + ...`), with one value
    /// changing type mid-loop.
    fn seg_dict(&mut self, o: &mut Out, tag: &str) {
        let d = format!("d_{tag}");
        let n = self.loop_count(80);
        let keys = self.rng.range(2, 12);
        let vars = vec![Var::new("i", 11, true), Var::new("key", 4, true)];
        o.line(format!("{d} = {{}}"));
        o.open(format!("for i in range({n}):"));
        o.line(format!("key = (i * {}) % {keys}", self.rng.range(1, 7)));
        let e = self.expr(&vars, 2, false);
        o.line(format!(
            "{d}[key] = ({d}.get(key, 0) + {}) % 1000003",
            e.code
        ));
        if n > 2 && self.rng.chance(50) {
            let t = self.rng.range(1, n - 1);
            o.line(format!("if i == {t}: {d}[key] = 0.5"));
        }
        o.close();
        o.line(format!(
            "print(\"{tag}\", {d}, len({d}), sorted({d}.items())[:3], 3 in {d})"
        ));
    }

    /// A variable that is an int for the first iterations of a hot loop, then something else
    /// (a float, a str, a big int, a tuple, a bool), used only with operations all of them
    /// support (`v + v`, `v * 2`, `==`).
    fn seg_poly(&mut self, o: &mut Out, tag: &str) {
        let n = self.rng.range(200, 2000);
        let k1 = self.rng.range(1, n - 1);
        let k2 = self.rng.range(k1, n);
        let kinds = [
            "i * 3 - 7",
            "i + 0.5",
            "i / 4",
            "str(i % 100)",
            "i + 2 ** 64",
            "i * 2 ** 47",
            "(i, i % 3)",
            "i % 3 == 0",
            "[i % 5]",
            "float('nan') if i % 7 == 0 else i * 0.5",
            // Flip-flopping types: sites that keep side-exiting.
            "i if i % 2 else i + 0.5",
            "i if i % 3 else str(i)",
        ];
        let first = *self.rng.pick(&kinds[..1]);
        let second = *self.rng.pick(&kinds[1..]);
        let third = *self.rng.pick(&kinds);
        let (v, w, prev, same, keep) = (
            format!("v_{tag}"),
            format!("w_{tag}"),
            format!("prev_{tag}"),
            format!("same_{tag}"),
            format!("keep_{tag}"),
        );
        o.line(format!("{prev} = 0"));
        o.line(format!("{same} = 0"));
        o.line(format!("{keep} = []"));
        o.open(format!("for i in range({n}):"));
        o.open(format!("if i < {k1}:"));
        o.line(format!("{v} = {first}"));
        o.close();
        o.open(format!("elif i < {k2}:"));
        o.line(format!("{v} = {second}"));
        o.close();
        o.open("else:");
        o.line(format!("{v} = {third}"));
        o.close();
        o.line(format!("{w} = {v} + {v}"));
        o.line(format!("{w} = {w} * 2"));
        o.open(format!("if {w} == {prev} or {v} == 3:"));
        o.line(format!("{same} += 1"));
        o.close();
        if self.rng.chance(50) {
            o.open(format!("if isinstance({v}, str):"));
            o.line(format!("{same} += len({v})"));
            o.close();
        }
        o.line(format!("{prev} = {w}"));
        let p = self.rng.range(n / 8 + 1, n / 3 + 2);
        o.open(format!("if i % {p} == 0:"));
        o.line(format!("{keep}.append({w})"));
        o.close();
        o.close();
        o.line(format!(
            "print(\"{tag}\", {same}, len({keep}), {keep}[-4:], {w})"
        ));
    }

    /// A hot loop of `//` and `%` by a divisor that is sometimes zero, caught; or a helper
    /// that raises ValueError; or an index that is sometimes out of range; with `else` and
    /// `finally` clauses and nested handlers.
    fn seg_try(&mut self, o: &mut Out, tag: &str) {
        let n = self.loop_count(85);
        let (q, errs, msg, fin) = (
            format!("q_{tag}"),
            format!("errs_{tag}"),
            format!("msg_{tag}"),
            format!("fin_{tag}"),
        );
        o.line(format!("{q} = 0"));
        o.line(format!("{errs} = 0"));
        o.line(format!("{msg} = ''"));
        o.line(format!("{fin} = 0"));
        let m = self.rng.range(2, 9);
        let r = self.rng.range(0, m - 1);
        let vars = vec![Var::new("i", 11, true), Var::new("dd", 4, true)];
        let variant = self.rng.below(8);
        if variant == 5 {
            // An `__init__` that raises, or returns something else than None (TypeError):
            // the exception leaves the class call.
            o.open(format!("class Z_{tag}:"));
            o.open("def __init__(self, a, b):");
            o.line("self.v = a // b");
            o.line("self.w = a % b + 0.5");
            if self.rng.chance(50) {
                o.open(format!("if a % {} == 1:", self.rng.range(3, 9)));
                o.line("return a");
                o.close();
            }
            o.close();
            o.close();
        }
        if variant == 6 {
            // The exception unwinds through two Python frames and a `finally`.
            o.line(format!("unwound_{tag} = [0]"));
            o.open(format!("def inner_{tag}(v, d):"));
            o.line("return v // d");
            o.close();
            o.open(format!("def mid_{tag}(v, d, box):"));
            o.open("try:");
            o.line(format!("return inner_{tag}(v, d) + 1"));
            o.close();
            o.open("finally:");
            o.line("box[0] += 1");
            o.close();
            o.close();
        }
        if variant == 7 {
            // A context manager whose `__exit__` swallows ZeroDivisionError.
            o.open(format!("class Ctx_{tag}:"));
            o.open("def __init__(self):");
            o.line("self.n = 0");
            o.close();
            o.open("def __enter__(self):");
            o.line("self.n += 1");
            o.line("return self");
            o.close();
            o.open("def __exit__(self, et, ev, tb):");
            o.line("return et is ZeroDivisionError");
            o.close();
            o.close();
            o.line(format!("cm_{tag} = Ctx_{tag}()"));
        }
        if variant == 1 {
            o.open(format!("def chk_{tag}(v):"));
            o.open(format!("if v % {m} == {r}:"));
            o.line("raise ValueError('bad ' + str(v))");
            o.close();
            o.line(format!("return v * {}", self.rng.range(1, 5)));
            o.close();
        }
        let lst = format!("lst_{tag}");
        if variant == 2 {
            let items: Vec<String> = (0..m).map(|_| self.rng.range(-9, 99).to_string()).collect();
            o.line(format!("{lst} = [{}]", items.join(", ")));
        }
        o.open(format!("for i in range({n}):"));
        o.line(format!("dd = i % {m} - {r}"));
        o.open("try:");
        match variant {
            0 => {
                let want_int = self.rng.chance(50);
                let a = self.expr(&vars, 2, want_int);
                let op = *self.rng.pick(&["//", "%", "/"]);
                let den = if self.rng.chance(25) {
                    "float(dd)"
                } else {
                    "dd"
                };
                o.line(format!("{q} = {q} + {} {op} {den}", a.code));
            }
            1 => o.line(format!("{q} = {q} + chk_{tag}(i)")),
            // Indexes from -(m + 2) to m + 1: out of range at both ends.
            2 => o.line(format!("{q} = {q} + {lst}[i % {} - {}]", 2 * m + 4, m + 2)),
            4 => {
                // Float by float: the fast float stencils must not divide by zero.
                let op = *self.rng.pick(&["/", "%", "//"]);
                o.line(format!("{q} = {q} + (i * 0.5 + 1.0) {op} (dd * 1.0)"));
            }
            5 => {
                o.line(format!("z = Z_{tag}(i, dd)"));
                o.line(format!("{q} = {q} + z.v + z.w"));
            }
            6 => o.line(format!("{q} = {q} + mid_{tag}(i * 3, dd, unwound_{tag})")),
            7 => {
                o.open(format!("with cm_{tag} as c:"));
                o.line(format!("{q} = {q} + 100 // dd + c.n % 3"));
                o.close();
                o.line(format!("{q} = {q} + 1"));
            }
            _ => {
                o.open("try:");
                o.line(format!("{q} = ({q} * 3 + i // dd) % 1000003"));
                o.close();
                o.open("except TypeError:");
                o.line(format!("{q} = -1"));
                o.close();
                o.open("finally:");
                o.line(format!("{fin} += 1"));
                o.close();
            }
        }
        o.close();
        let exc = match variant {
            1 => "ValueError",
            2 => "IndexError",
            5 => "(ZeroDivisionError, TypeError)",
            _ => "ZeroDivisionError",
        };
        o.open(format!("except {exc} as e:"));
        o.line(format!("{errs} += 1"));
        o.line(format!("{msg} = str(e)"));
        o.close();
        if self.rng.chance(40) {
            o.open("else:");
            o.line(format!("{q} = {q} + 1"));
            o.close();
        }
        if variant != 3 && self.rng.chance(40) {
            o.open("finally:");
            o.line(format!("{fin} += 1"));
            o.close();
        }
        o.close();
        o.line(format!("print(\"{tag}\", {q}, {errs}, {msg}, {fin})"));
        match variant {
            6 => o.line(format!("print(\"{tag}\", unwound_{tag})")),
            7 => o.line(format!("print(\"{tag}\", cm_{tag}.n)")),
            _ => {}
        }
    }

    /// Big ints: repeated multiplication (past 2**47, 2**63, up to ~1000 bits), additions that
    /// cross the boundaries mid-loop, shifts, negative floor division and modulo, and
    /// conversions to float.
    fn seg_big(&mut self, o: &mut Out, tag: &str) {
        let (b, chk, cnt) = (
            format!("b_{tag}"),
            format!("chk_{tag}"),
            format!("cnt_{tag}"),
        );
        o.line(format!("{chk} = 0"));
        o.line(format!("{cnt} = 0"));
        match self.rng.below(5) {
            0 => {
                let start = *self.rng.pick(&["1", "3", "2 ** 40 - 1", "-(2 ** 45)", "7"]);
                let k = self.rng.range(2, 5);
                let n = self.rng.range(100, 400);
                let p = self.rng.range(1, 20);
                o.line(format!("{b} = {start}"));
                o.open(format!("for i in range({n}):"));
                o.line(format!("{b} = {b} * {k} + (i % 5)"));
                o.open(format!("if i % {p} == 0:"));
                o.line(format!("{chk} = ({chk} * 31 + {b} % 1000003) % 1000000007"));
                o.close();
                o.open(format!("if {b} > 2 ** 63:"));
                o.line(format!("{cnt} += 1"));
                o.close();
                o.close();
                o.line(format!(
                    "print(\"{tag}\", {chk}, {cnt}, {b} % 10 ** 12, -{b} // 10 ** 30 % 1000, {b} % -13, divmod({b}, 1000003)[1])"
                ));
            }
            1 => {
                let bound: i128 = *self.rng.pick(&[1 << 47, 1 << 63, -(1 << 47), -(1 << 63)]);
                let n = self.rng.range(200, 2000);
                let step = self.rng.range(1, 7) * if bound < 0 { -1 } else { 1 };
                let start = bound - i128::from(step) * i128::from(n / 2);
                o.line(format!("{b} = {}", int_lit(start)));
                o.line(format!("s_{tag} = 0"));
                o.open(format!("for i in range({n}):"));
                o.line(format!("{b} = {b} + {}", int_lit(i128::from(step))));
                o.line(format!("y_{tag} = {b} * 2 - i"));
                o.open(format!(
                    "if y_{tag} > {} or {b} == {}:",
                    int_lit(bound),
                    int_lit(bound)
                ));
                o.line(format!("{cnt} += 1"));
                o.close();
                o.line(format!(
                    "s_{tag} = (s_{tag} + y_{tag} % 1000 + {b} // 7 % 10) % 1000003"
                ));
                o.line(format!("{chk} = {chk} ^ ({b} & 65535)"));
                o.close();
                o.line(format!(
                    "print(\"{tag}\", {b}, {cnt}, s_{tag}, {chk}, {b} >> 40, -{b} % 1000)"
                ));
            }
            2 => {
                let n = self.rng.range(200, 1500);
                o.line(format!("{b} = 0"));
                o.open(format!("for i in range({n}):"));
                o.line(format!("m_{tag} = (i * 1048576 + 12345) * (i + 7)"));
                o.line(format!("sq_{tag} = m_{tag} * m_{tag}"));
                o.line(format!("{b} = ({b} + sq_{tag}) % (2 ** 61 - 1)"));
                o.line(format!("sh_{tag} = 1 << (i % 130)"));
                o.line(format!("{chk} = ({chk} + (sh_{tag} >> 3) % 1000003 + sq_{tag} // 1000000007) % 1000000007"));
                o.open(format!("if sq_{tag} > 2 ** 63:"));
                o.line(format!("{cnt} += 1"));
                o.close();
                o.close();
                o.line(format!(
                    "print(\"{tag}\", {b}, {chk}, {cnt}, float({b}), {b} / 3, sq_{tag} > 1e30, {b} < 2.5e18)"
                ));
            }
            3 => {
                // Products, sums, negations and floor divisions that land just inside or
                // just outside the 48-bit small ints ([-2**47, 2**47)) as i moves.
                let n = self.rng.range(200, 1500);
                let half = n / 2;
                o.line(format!("{b} = 0"));
                o.open(format!("for i in range({n}):"));
                o.line(format!("a_{tag} = 8388608 + i - {half}"));
                o.line(format!(
                    "m_{tag} = a_{tag} * {}",
                    *self.rng.pick(&["16777216", "(-16777216)", "16777215"])
                ));
                o.line(format!("lo_{tag} = -140737488355328 + (i - {half})"));
                o.line(format!("s_{tag} = m_{tag} + m_{tag} - lo_{tag}"));
                o.line(format!("ng_{tag} = -lo_{tag}"));
                o.line(format!(
                    "dv_{tag} = lo_{tag} // -1 + abs(lo_{tag}) - (lo_{tag} * -1)"
                ));
                o.open(format!(
                    "if m_{tag} >= 140737488355328 or m_{tag} < -140737488355328:"
                ));
                o.line(format!("{cnt} += 1"));
                o.close();
                o.line(format!("{b} = ({b} + m_{tag} % 1000003 + s_{tag} % 997 + ng_{tag} % 65521 + dv_{tag}) % 1000000007"));
                o.line(format!(
                    "{chk} = {chk} ^ (m_{tag} >> 20) ^ (ng_{tag} & 1023)"
                ));
                o.close();
                o.line(format!(
                    "print(\"{tag}\", {b}, {cnt}, {chk}, m_{tag}, s_{tag}, ng_{tag}, dv_{tag})"
                ));
            }
            _ => {
                let n = self.rng.range(100, 300);
                o.line(format!("{b} = 1"));
                o.line(format!("f_{tag} = 1"));
                o.open(format!("for i in range(1, {n}):"));
                o.line(format!("{b} = {b} * 3"));
                o.line(format!(
                    "f_{tag} = f_{tag} * (i % 40 + 1) // (i % 3 + 1) + 1"
                ));
                o.open(format!("if {b} % 7 == i % 7:"));
                o.line(format!("{cnt} += 1"));
                o.close();
                o.close();
                o.line(format!(
                    "print(\"{tag}\", {b} % 1000000007, {cnt}, f_{tag} % 1000000007, len(str({b})), {b} // f_{tag} % 1000, ({b} - f_{tag}) % -99991)"
                ));
            }
        }
    }

    /// Recursion of bounded depth: fib-like (called with ints, then once with a float),
    /// linear with an accumulator, mutual (even/odd), or over a list.
    fn seg_rec(&mut self, o: &mut Out, tag: &str) {
        let r = format!("r_{tag}");
        let acc = format!("acc_{tag}");
        o.line(format!("{acc} = 0"));
        if self.rng.chance(8) {
            // Unbounded recursion, caught: the depth limit must hold in every tier.
            o.open(format!("def down_{tag}(n):"));
            o.line(format!("return down_{tag}(n + 1) + 1"));
            o.close();
            o.open(format!("for k in range({}):", self.rng.range(1, 3)));
            o.open("try:");
            o.line(format!("{acc} = {acc} + down_{tag}(k)"));
            o.close();
            o.open("except RecursionError as e:");
            o.line(format!("print(\"{tag}\", type(e).__name__)"));
            o.close();
            o.close();
        }
        match self.rng.below(4) {
            0 => {
                let c0 = self.rng.range(0, 5);
                let mult = self.rng.range(1, 3);
                o.open(format!("def {r}(n):"));
                o.open("if n < 2:");
                o.line(format!("return n + {c0}"));
                o.close();
                o.line(format!("return {r}(n - 1) + {r}(n - 2) * {mult}"));
                o.close();
                let top = self.rng.range(8, 12);
                let reps = self.rng.range(1, 6);
                o.open(format!("for i in range({}):", reps * (top + 1)));
                o.line(format!("{acc} = {acc} + {r}(i % {})", top + 1));
                o.close();
                let fl = *self.rng.pick(&["6.0", "7.5", "5.25"]);
                o.line(format!("print(\"{tag}\", {acc}, {r}({top}), {r}({fl}))"));
            }
            1 => {
                let depth = self.rng.range(10, 60);
                let (m, _) = self.modulus();
                let k = self.rng.range(2, 5);
                o.open(format!("def {r}(n, a):"));
                o.open("if n <= 0:");
                o.line("return a");
                o.close();
                o.line(format!("return {r}(n - 1, (a * {k} + n) % {m})"));
                o.close();
                o.open(format!("for i in range({}):", self.rng.range(5, 80)));
                o.line(format!(
                    "{acc} = ({acc} + {r}(i % {depth}, i)) % 1000000007"
                ));
                o.close();
                o.line(format!("print(\"{tag}\", {acc}, {r}({depth}, 0.5))"));
            }
            2 => {
                let (ev, od) = (format!("ev_{tag}"), format!("od_{tag}"));
                o.open(format!("def {ev}(n):"));
                o.open("if n == 0:");
                o.line("return True");
                o.close();
                o.line(format!("return {od}(n - 1)"));
                o.close();
                o.open(format!("def {od}(n):"));
                o.open("if n == 0:");
                o.line("return False");
                o.close();
                o.line(format!("return {ev}(n - 1)"));
                o.close();
                let top = self.rng.range(5, 40);
                o.open(format!("for i in range({}):", self.rng.range(20, 200)));
                o.open(format!("if {ev}(i % {top}):"));
                o.line(format!("{acc} += i"));
                o.close();
                o.close();
                o.line(format!("print(\"{tag}\", {acc}, {ev}({top}), {od}(7))"));
            }
            _ => {
                o.open(format!("def {r}(xs, k):"));
                o.open("if k == len(xs):");
                o.line("return 0");
                o.close();
                o.line(format!("return xs[k] * (k + 1) + {r}(xs, k + 1)"));
                o.close();
                let len = self.rng.range(3, 30);
                o.line(format!(
                    "xs_{tag} = [q * {} - 5 for q in range({len})]",
                    self.rng.range(1, 9)
                ));
                o.open(format!("for i in range({}):", self.rng.range(10, 100)));
                o.line(format!("xs_{tag}[i % {len}] += 1"));
                o.line(format!("{acc} = {acc} + {r}(xs_{tag}, i % {len})"));
                o.close();
                o.line(format!("xs_{tag}[0] = 0.5"));
                o.line(format!("print(\"{tag}\", {acc}, {r}(xs_{tag}, 0))"));
            }
        }
    }

    /// A very hot loop (20k–50k iterations, a few milliseconds) whose operand types flip
    /// every few iterations once it is warm: enough side exits from specialized JIT code for
    /// the code to be discarded and compiled again while the loop runs.
    fn seg_churn(&mut self, o: &mut Out, tag: &str) {
        let name = format!("churn_{tag}");
        let n = self.rng.range(20_000, 50_000);
        let warm = self.rng.range(10, 500);
        let k = self.rng.range(2, 5);
        let other = *self
            .rng
            .pick(&["i + 0.5", "i * 0.25", "i + 2 ** 50", "float(i)", "i > 7"]);
        o.open(format!("def {name}(n):"));
        o.line("acc = 0");
        o.line("hits = 0");
        o.open("for i in range(n):");
        o.line(format!("v = i if i < {warm} or i % {k} == 0 else {other}"));
        o.line(format!(
            "acc = (acc + v * {} - i) % 1000003",
            self.rng.range(2, 9)
        ));
        o.open("if v > i:");
        o.line("hits += 1");
        o.close();
        if self.rng.chance(50) {
            o.line("w = v - 1");
            o.line("acc = acc + (w < v)");
        }
        o.close();
        o.line("return acc, hits");
        o.close();
        o.line(format!("print(\"{tag}\", {name}({n}))"));
    }

    /// Strings built in a loop: concatenation, slicing, a few methods, f-strings.
    fn seg_str(&mut self, o: &mut Out, tag: &str) {
        let (s, words) = (format!("s_{tag}"), format!("words_{tag}"));
        let n = self.rng.range(50, 600);
        let keep = self.rng.range(10, 50);
        let cmp = format!("cmp_{tag}");
        o.line(format!("{s} = ''"));
        o.line(format!("{words} = []"));
        o.line(format!("{cmp} = 0"));
        o.open(format!("for i in range({n}):"));
        if self.rng.chance(50) {
            o.line(format!("{s} = {s} + str(i % 10)"));
        } else {
            o.line(format!("{s} += chr(97 + i % 26)"));
        }
        // String comparisons (COMPARE_OP_STR in a hot loop).
        let pivot = *self.rng.pick(&["'5'", "'m'", "'b'", "'0'"]);
        o.open(format!("if {s}[-1:] < {pivot} or {s}[:2] == {s}[-2:]:"));
        o.line(format!("{cmp} += 1"));
        o.close();
        o.open(format!("if len({s}) > {keep}:"));
        o.line(format!("{s} = {s}[{}:]", self.rng.range(1, keep)));
        o.close();
        o.open(format!("if i % {} == 0:", self.rng.range(5, 40)));
        o.line(format!("{words}.append({s}[:3] + f\"{{i}}\")"));
        o.close();
        o.close();
        o.line(format!(
            "print(\"{tag}\", {s}, len({s}), ','.join({words}[:5]), {s}.upper()[:4], {s}.count('1'), {s}.replace('a', '-')[:6], f\"{{len({words})}}/{{{s}[-1]}}\", {cmp})"
        ));
    }

    /// A closure called in a hot loop over a generator; the same closure code is also made
    /// with a float captured value.
    fn seg_closure(&mut self, o: &mut Out, tag: &str) {
        let (mk, gn, acc) = (
            format!("mk_{tag}"),
            format!("gen_{tag}"),
            format!("acc_{tag}"),
        );
        o.open(format!("def {mk}(c):"));
        o.open("def inner(x):");
        let vars = vec![Var::new("x", 24, false), Var::new("c", 4, false)];
        let e = self.expr(&vars, 2, false);
        o.line(format!("return ({}) % 1000003", e.code));
        o.close();
        o.line("return inner");
        o.close();
        o.open(format!("def {gn}(n):"));
        o.line("q = 0");
        o.open("while q < n:");
        o.line(format!("yield q * {} % 65521", self.rng.range(1, 99)));
        o.line("q += 1");
        o.close();
        o.close();
        // A closure that writes its cell (`nonlocal`).
        o.open(format!("def counter_{tag}(start):"));
        o.line("c = start");
        o.open("def inc(k):");
        o.line("nonlocal c");
        o.line("c = (c + k) % 1000003");
        o.line("return c");
        o.close();
        o.line("return inc");
        o.close();
        let n = self.loop_count(85);
        o.line(format!(
            "cnt_{tag} = counter_{tag}({})",
            self.rng.pick(&["0", "5", "0.5"])
        ));
        o.line(format!("h1_{tag} = {mk}({})", self.rng.range(1, 9)));
        o.line(format!("h2_{tag} = {mk}({})", self.rng.pick(FLOATS).0));
        o.line(format!("{acc} = 0"));
        o.open(format!("for v in {gn}({n}):"));
        o.line(format!("{acc} = {acc} + h1_{tag}(v) - cnt_{tag}(v % 7)"));
        o.open(format!("if v % {} == 0:", self.rng.range(2, 7)));
        o.line(format!("{acc} = {acc} + h2_{tag}(v)"));
        o.close();
        o.close();
        o.line(format!(
            "print(\"{tag}\", {acc}, [h1_{tag}(q) for q in range(3)], cnt_{tag}(0))"
        ));
    }

    /// The end of a program that fails: an uncaught exception (traceback on stderr, exit
    /// code 1), possibly raised from a function called in a hot loop, or `SystemExit(3)`.
    fn final_error(&mut self, o: &mut Out) {
        match self.rng.below(10) {
            0 => {
                o.line(format!("z = {} - {}", 5, 5));
                o.line(format!("print({} // z)", self.rng.range(1, 99)));
            }
            1 => o.line(format!(
                "raise ValueError('done ' + str({}))",
                self.rng.range(0, 99)
            )),
            2 => o.line(format!("print([1, 2, 3][{}])", self.rng.range(3, 9))),
            3 => o.line(format!("print(int('x{}'))", self.rng.range(0, 9))),
            4 => {
                let n = self.rng.range(200, 2000);
                let k = self.rng.range(1, n - 1);
                o.open("def boom(i):");
                o.open(format!("if i == {k}:"));
                o.line("raise RuntimeError('boom ' + str(i))");
                o.close();
                o.line("return i + 1");
                o.close();
                o.line("total = 0");
                o.open(format!("for i in range({n}):"));
                o.line("total = total + boom(i)");
                o.close();
                o.line("print(total)");
            }
            5 => {
                o.open("def deep(n):");
                o.open("if n == 0:");
                o.line(format!("return {{1: 2}}[{}]", self.rng.range(3, 9)));
                o.close();
                o.line("return deep(n - 1) + 1");
                o.close();
                // At most 2 repeats of one line: CPython abbreviates more than 3 in its
                // tracebacks ("[Previous line repeated N more times]"), jitlens does not.
                o.line(format!("deep({})", self.rng.range(0, 2)));
            }
            6 => o.line("raise SystemExit(3)"),
            7 => {
                // UnboundLocalError from a local deleted in the middle of a hot loop.
                let n = self.rng.range(200, 2000);
                let k = self.rng.range(1, n - 1);
                o.open("def unbound(n):");
                o.line("total = 0");
                o.open("for i in range(n):");
                o.line("x = i * 2");
                o.open(format!("if i == {k}:"));
                o.line("del x");
                o.close();
                o.line("total = total + x");
                o.close();
                o.line("return total");
                o.close();
                o.line(format!("print(unbound({n}))"));
            }
            8 => {
                // A division by zero raised in a hot loop by a float or an int operation.
                let n = self.rng.range(200, 2000);
                let k = self.rng.range(1, n - 1);
                let e =
                    *self
                        .rng
                        .pick(&["1.5 / ({k} - i * 1.0)", "10 // ({k} - i)", "7 % ({k} - i)"]);
                o.open("def driver(n):");
                o.line("acc = 0");
                o.open("for i in range(n):");
                o.line(format!("acc = acc + {}", e.replace("{k}", &k.to_string())));
                o.close();
                o.line("return acc");
                o.close();
                o.line(format!("print(driver({n}))"));
            }
            _ => {
                o.line("v = 'a'");
                o.line(format!("print({} + v)", self.rng.range(0, 9)));
            }
        }
    }
}
