//! Bytecode: the op table, instruction encoding, and the code object.
//!
//! An instruction is one 32-bit word: the op in the low 8 bits, the argument in the high 24.
//! Ops that specialize are followed by inline cache words (`CACHE`), as in CPython; jump
//! arguments are absolute instruction indices. The op table below is the single source of
//! truth for names, cache sizes and families: the interpreter, `dis`, the statistics and the
//! JIT's stencils all derive from it.

macro_rules! ops {
    ($( $name:ident = $cache:expr, $family:ident ;)*) => {
        /// A bytecode operation. Specialized forms name their generic family.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
        #[repr(u8)]
        pub enum Op { $($name,)* }

        /// Every op, indexed by its number.
        pub const ALL_OPS: &[Op] = &[$(Op::$name,)*];

        impl Op {
            /// CPython-style name.
            pub const fn name(self) -> &'static str {
                match self { $(Op::$name => stringify!($name),)* }
            }
            /// Number of inline cache words that follow the instruction.
            #[inline(always)]
            pub const fn cache_words(self) -> u32 {
                const TABLE: &[u8] = &[$($cache,)*];
                TABLE[self as usize] as u32
            }
            /// The generic op this one is a specialized form of (itself if generic).
            pub const fn family(self) -> Op {
                match self { $(Op::$name => Op::$family,)* }
            }
        }
    };
}

ops! {
    NOP = 0, NOP;
    CACHE = 0, CACHE;
    RESUME = 0, RESUME;
    POP_TOP = 0, POP_TOP;
    PUSH_NULL = 0, PUSH_NULL;
    COPY = 0, COPY;
    SWAP = 0, SWAP;
    LOAD_CONST = 0, LOAD_CONST;
    LOAD_FAST = 0, LOAD_FAST;
    STORE_FAST = 0, STORE_FAST;
    DELETE_FAST = 0, DELETE_FAST;
    LOAD_DEREF = 0, LOAD_DEREF;
    STORE_DEREF = 0, STORE_DEREF;
    DELETE_DEREF = 0, DELETE_DEREF;
    LOAD_CLOSURE = 0, LOAD_CLOSURE;
    LOAD_CLASSDEREF = 0, LOAD_CLASSDEREF;
    LOAD_GLOBAL = 2, LOAD_GLOBAL;
    STORE_GLOBAL = 0, STORE_GLOBAL;
    DELETE_GLOBAL = 0, DELETE_GLOBAL;
    LOAD_NAME = 0, LOAD_NAME;
    STORE_NAME = 0, STORE_NAME;
    DELETE_NAME = 0, DELETE_NAME;
    LOAD_ATTR = 3, LOAD_ATTR;
    LOAD_METHOD = 2, LOAD_METHOD;
    STORE_ATTR = 3, STORE_ATTR;
    DELETE_ATTR = 0, DELETE_ATTR;
    BINARY_OP = 1, BINARY_OP;
    UNARY_NEGATIVE = 0, UNARY_NEGATIVE;
    UNARY_POSITIVE = 0, UNARY_POSITIVE;
    UNARY_NOT = 0, UNARY_NOT;
    UNARY_INVERT = 0, UNARY_INVERT;
    COMPARE_OP = 1, COMPARE_OP;
    IS_OP = 0, IS_OP;
    CONTAINS_OP = 1, CONTAINS_OP;
    BINARY_SUBSCR = 1, BINARY_SUBSCR;
    STORE_SUBSCR = 1, STORE_SUBSCR;
    DELETE_SUBSCR = 0, DELETE_SUBSCR;
    BUILD_SLICE = 0, BUILD_SLICE;
    BUILD_TUPLE = 0, BUILD_TUPLE;
    BUILD_LIST = 0, BUILD_LIST;
    BUILD_SET = 0, BUILD_SET;
    BUILD_MAP = 0, BUILD_MAP;
    BUILD_STRING = 0, BUILD_STRING;
    LIST_APPEND = 0, LIST_APPEND;
    SET_ADD = 0, SET_ADD;
    MAP_ADD = 0, MAP_ADD;
    LIST_EXTEND = 0, LIST_EXTEND;
    SET_UPDATE = 0, SET_UPDATE;
    DICT_UPDATE = 0, DICT_UPDATE;
    DICT_MERGE = 0, DICT_MERGE;
    LIST_TO_TUPLE = 0, LIST_TO_TUPLE;
    FORMAT_VALUE = 0, FORMAT_VALUE;
    UNPACK_SEQUENCE = 1, UNPACK_SEQUENCE;
    UNPACK_EX = 0, UNPACK_EX;
    JUMP_FORWARD = 0, JUMP_FORWARD;
    JUMP_BACKWARD = 0, JUMP_BACKWARD;
    POP_JUMP_IF_FALSE = 0, POP_JUMP_IF_FALSE;
    POP_JUMP_IF_TRUE = 0, POP_JUMP_IF_TRUE;
    POP_JUMP_IF_NONE = 0, POP_JUMP_IF_NONE;
    POP_JUMP_IF_NOT_NONE = 0, POP_JUMP_IF_NOT_NONE;
    JUMP_IF_FALSE_OR_POP = 0, JUMP_IF_FALSE_OR_POP;
    JUMP_IF_TRUE_OR_POP = 0, JUMP_IF_TRUE_OR_POP;
    GET_ITER = 0, GET_ITER;
    FOR_ITER = 1, FOR_ITER;
    MAKE_FUNCTION = 0, MAKE_FUNCTION;
    CALL = 2, CALL;
    CALL_KW = 0, CALL_KW;
    CALL_FUNCTION_EX = 0, CALL_FUNCTION_EX;
    RETURN_VALUE = 0, RETURN_VALUE;
    YIELD_VALUE = 0, YIELD_VALUE;
    GET_YIELD_FROM_ITER = 0, GET_YIELD_FROM_ITER;
    SEND = 0, SEND;
    RAISE_VARARGS = 0, RAISE_VARARGS;
    RERAISE = 0, RERAISE;
    PUSH_EXC_INFO = 0, PUSH_EXC_INFO;
    POP_EXCEPT = 0, POP_EXCEPT;
    CHECK_EXC_MATCH = 0, CHECK_EXC_MATCH;
    BEFORE_WITH = 0, BEFORE_WITH;
    WITH_EXCEPT_START = 0, WITH_EXCEPT_START;
    LOAD_BUILD_CLASS = 0, LOAD_BUILD_CLASS;
    LOAD_ASSERTION_ERROR = 0, LOAD_ASSERTION_ERROR;
    IMPORT_NAME = 0, IMPORT_NAME;
    IMPORT_FROM = 0, IMPORT_FROM;
    IMPORT_STAR = 0, IMPORT_STAR;
    SETUP_ANNOTATIONS = 0, SETUP_ANNOTATIONS;
    // Specialized forms (tier 0 quickening rewrites the generic op in place; never emitted by
    // the compiler). Each keeps its family's cache words.
    BINARY_OP_ADD_INT = 1, BINARY_OP;
    BINARY_OP_SUBTRACT_INT = 1, BINARY_OP;
    BINARY_OP_MULTIPLY_INT = 1, BINARY_OP;
    BINARY_OP_FLOOR_DIVIDE_INT = 1, BINARY_OP;
    BINARY_OP_REMAINDER_INT = 1, BINARY_OP;
    BINARY_OP_ADD_FLOAT = 1, BINARY_OP;
    BINARY_OP_SUBTRACT_FLOAT = 1, BINARY_OP;
    BINARY_OP_MULTIPLY_FLOAT = 1, BINARY_OP;
    BINARY_OP_TRUE_DIVIDE_FLOAT = 1, BINARY_OP;
    BINARY_OP_ADD_UNICODE = 1, BINARY_OP;
    COMPARE_OP_INT = 1, COMPARE_OP;
    COMPARE_OP_FLOAT = 1, COMPARE_OP;
    COMPARE_OP_STR = 1, COMPARE_OP;
    FOR_ITER_RANGE = 1, FOR_ITER;
    LOAD_ATTR_INSTANCE_VALUE = 3, LOAD_ATTR;
    LOAD_GLOBAL_MODULE = 2, LOAD_GLOBAL;
    LOAD_GLOBAL_BUILTIN = 2, LOAD_GLOBAL;
    LOAD_ATTR_SLOT = 3, LOAD_ATTR;
    STORE_ATTR_SLOT = 3, STORE_ATTR;
    BINARY_SUBSCR_LIST_INT = 1, BINARY_SUBSCR;
    BINARY_SUBSCR_TUPLE_INT = 1, BINARY_SUBSCR;
    BINARY_SUBSCR_DICT = 1, BINARY_SUBSCR;
    STORE_SUBSCR_LIST_INT = 1, STORE_SUBSCR;
    STORE_SUBSCR_DICT = 1, STORE_SUBSCR;
    UNPACK_SEQUENCE_TWO_TUPLE = 1, UNPACK_SEQUENCE;
    UNPACK_SEQUENCE_TUPLE = 1, UNPACK_SEQUENCE;
    UNPACK_SEQUENCE_LIST = 1, UNPACK_SEQUENCE;
    CONTAINS_OP_DICT = 1, CONTAINS_OP;
    CONTAINS_OP_SET = 1, CONTAINS_OP;
    STORE_ATTR_INSTANCE_VALUE = 3, STORE_ATTR;
    FOR_ITER_LIST = 1, FOR_ITER;
    FOR_ITER_TUPLE = 1, FOR_ITER;
    LOAD_ATTR_CLASS = 3, LOAD_ATTR;
    LOAD_ATTR_MODULE = 3, LOAD_ATTR;
    LOAD_METHOD_WITH_VALUES = 2, LOAD_METHOD;
    LOAD_METHOD_NO_DICT = 2, LOAD_METHOD;
    LOAD_METHOD_MODULE = 2, LOAD_METHOD;
    LOAD_METHOD_CLASS = 2, LOAD_METHOD;
    CALL_PY_EXACT_ARGS = 2, CALL;
    CALL_BOUND_METHOD_EXACT_ARGS = 2, CALL;
    CALL_BUILTIN_FAST = 2, CALL;
    CALL_LEN = 2, CALL;
    CALL_ISINSTANCE = 2, CALL;
    CALL_ALLOC_AND_ENTER_INIT = 2, CALL;
    // Superinstructions (tier 0 quickening, as in CPython 3.11): the first of two adjacent
    // instructions is rewritten so that one dispatch runs both; the second stays as it was,
    // for jumps that land on it. Each is its own family (they do not specialize further).
    LOAD_FAST__LOAD_FAST = 0, LOAD_FAST__LOAD_FAST;
    LOAD_FAST__LOAD_CONST = 0, LOAD_FAST__LOAD_CONST;
    LOAD_CONST__LOAD_FAST = 0, LOAD_CONST__LOAD_FAST;
    STORE_FAST__LOAD_FAST = 0, STORE_FAST__LOAD_FAST;
    STORE_FAST__STORE_FAST = 0, STORE_FAST__STORE_FAST;
}

/// The superinstructions: (first half, second half, the op that runs both). The one table
/// [`Op::halves`] and [`Op::superinstruction`] read.
const SUPERINSTRUCTIONS: [(Op, Op, Op); 5] = [
    (Op::LOAD_FAST, Op::LOAD_FAST, Op::LOAD_FAST__LOAD_FAST),
    (Op::LOAD_FAST, Op::LOAD_CONST, Op::LOAD_FAST__LOAD_CONST),
    (Op::LOAD_CONST, Op::LOAD_FAST, Op::LOAD_CONST__LOAD_FAST),
    (Op::STORE_FAST, Op::LOAD_FAST, Op::STORE_FAST__LOAD_FAST),
    (Op::STORE_FAST, Op::STORE_FAST, Op::STORE_FAST__STORE_FAST),
];

/// Number of ops; every op number is below this.
pub const N_OPS: usize = ALL_OPS.len();

impl Op {
    /// The op with number `n`, with no check (for the interpreter's decoder, which runs
    /// only verified code).
    ///
    /// # Safety
    /// `n` must be an op's number (`n < N_OPS`).
    #[inline(always)]
    pub unsafe fn decode_unchecked(n: u8) -> Op {
        debug_assert!((n as usize) < N_OPS);
        // SAFETY: `Op` is `repr(u8)` with discriminants `0..N_OPS` (the `ops!` macro declares
        // them in order without explicit values), and the caller promises `n < N_OPS`.
        unsafe { std::mem::transmute::<u8, Op>(n) }
    }

    /// The op with number `n`, if any.
    pub fn from_u8(n: u8) -> Option<Op> {
        ALL_OPS.get(n as usize).copied()
    }

    /// For a superinstruction, the ops of its two halves; `None` for every other op.
    pub const fn halves(self) -> Option<(Op, Op)> {
        let mut i = 0;
        while i < SUPERINSTRUCTIONS.len() {
            let (first, second, sup) = SUPERINSTRUCTIONS[i];
            if sup as u8 == self as u8 {
                return Some((first, second));
            }
            i += 1;
        }
        None
    }

    /// The superinstruction that runs `first` and then `second`, if there is one.
    pub const fn superinstruction(first: Op, second: Op) -> Option<Op> {
        let mut i = 0;
        while i < SUPERINSTRUCTIONS.len() {
            let (a, b, sup) = SUPERINSTRUCTIONS[i];
            if a as u8 == first as u8 && b as u8 == second as u8 {
                return Some(sup);
            }
            i += 1;
        }
        None
    }

    /// What the instruction holding this op does on its own: a superinstruction's first
    /// half, the op itself otherwise.
    pub const fn own(self) -> Op {
        match self.halves() {
            Some((first, _)) => first,
            None => self,
        }
    }

    /// True for ops whose argument is an absolute jump target.
    pub const fn is_jump(self) -> bool {
        matches!(
            self,
            Op::JUMP_FORWARD
                | Op::JUMP_BACKWARD
                | Op::POP_JUMP_IF_FALSE
                | Op::POP_JUMP_IF_TRUE
                | Op::POP_JUMP_IF_NONE
                | Op::POP_JUMP_IF_NOT_NONE
                | Op::JUMP_IF_FALSE_OR_POP
                | Op::JUMP_IF_TRUE_OR_POP
                | Op::FOR_ITER
                | Op::SEND
        )
    }
}

/// Encodes one instruction word.
#[inline(always)]
pub const fn encode(op: Op, arg: u32) -> u32 {
    (op as u32) | (arg << 8)
}

/// Splits an instruction word into op number and argument.
#[inline(always)]
pub const fn decode(word: u32) -> (u8, u32) {
    ((word & 0xFF) as u8, word >> 8)
}

/// Largest argument an instruction can carry.
pub const MAX_ARG: u32 = (1 << 24) - 1;

/// BINARY_OP arguments (CPython's `NB_*` numbering).
pub mod binop {
    pub const ADD: u32 = 0;
    pub const AND: u32 = 1;
    pub const FLOOR_DIVIDE: u32 = 2;
    pub const LSHIFT: u32 = 3;
    pub const MATRIX_MULTIPLY: u32 = 4;
    pub const MULTIPLY: u32 = 5;
    pub const REMAINDER: u32 = 6;
    pub const OR: u32 = 7;
    pub const POWER: u32 = 8;
    pub const RSHIFT: u32 = 9;
    pub const SUBTRACT: u32 = 10;
    pub const TRUE_DIVIDE: u32 = 11;
    pub const XOR: u32 = 12;
    /// Added to an op to make its in-place (`+=`) form.
    pub const INPLACE: u32 = 13;
    /// Symbols, indexed by op (without INPLACE).
    pub const SYMBOLS: [&str; 13] = [
        "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
    ];
}

/// COMPARE_OP arguments.
pub mod cmpop {
    pub const LT: u32 = 0;
    pub const LE: u32 = 1;
    pub const EQ: u32 = 2;
    pub const NE: u32 = 3;
    pub const GT: u32 = 4;
    pub const GE: u32 = 5;
    /// Symbols, indexed by op.
    pub const SYMBOLS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];
}

/// MAKE_FUNCTION flag: a tuple of positional defaults is on the stack.
pub const MF_DEFAULTS: u32 = 1;
/// MAKE_FUNCTION flag: a dict of keyword-only defaults is on the stack.
pub const MF_KWDEFAULTS: u32 = 2;
/// MAKE_FUNCTION flag: the `__annotations__` dict is on the stack.
pub const MF_ANNOTATIONS: u32 = 4;
/// MAKE_FUNCTION flag: a tuple of closure cells is on the stack.
pub const MF_CLOSURE: u32 = 8;

/// FORMAT_VALUE conversion bits (low 2 bits) and the spec flag.
pub mod fmtval {
    pub const NONE: u32 = 0;
    pub const STR: u32 = 1;
    pub const REPR: u32 = 2;
    pub const ASCII: u32 = 3;
    /// A format spec is on the stack above the value.
    pub const HAVE_SPEC: u32 = 4;
}

/// Code flag: takes `*args`.
pub const CO_VARARGS: u32 = 0x04;
/// Code flag: takes `**kwargs`.
pub const CO_VARKEYWORDS: u32 = 0x08;
/// Code flag: a generator function.
pub const CO_GENERATOR: u32 = 0x20;
/// Code flag: a class body (names resolve through LOAD_NAME).
pub const CO_CLASS_BODY: u32 = 0x1000;
/// Code flag: module-level code.
pub const CO_MODULE: u32 = 0x2000;

/// An exception-table entry: an exception raised at an instruction in `start..end` pops the
/// value stack to `depth`, pushes (when `push_lasti`) the raising instruction's index, pushes
/// the exception, and jumps to `target`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExcEntry {
    /// First covered instruction.
    pub start: u32,
    /// One past the last covered instruction.
    pub end: u32,
    /// Handler.
    pub target: u32,
    /// Stack depth to unwind to.
    pub depth: u32,
    /// Push the index of the raising instruction before the exception.
    pub push_lasti: bool,
}

/// Source position of an instruction (for tracebacks' carets and the profiler).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// Last line of the expression.
    pub end_line: u32,
    /// 0-based column (in characters).
    pub col: u32,
    /// 0-based end column.
    pub end_col: u32,
}
