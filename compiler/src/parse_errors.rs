//! Maps `ruff_python_parser` errors onto CPython 3.11's messages and locations.
//!
//! CPython reports tokenizer-level problems (unbalanced brackets, unterminated strings) in
//! preference to a generic "invalid syntax", so a small bracket/string scanner runs over
//! the whole source when the parser's error has no more specific wording.

use crate::error::{CompileError, CompileErrorKind};
use crate::source::SourceMap;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{LexicalErrorType, ParseError, ParseErrorType};
use ruff_text_size::{TextRange, TextSize};

/// A tokenizer-level error found by [`scan`].
#[derive(Debug)]
enum TokErr {
    /// An opening bracket never closed (reported at EOF).
    Unclosed { open: char, offset: usize },
    /// A closing bracket with nothing open.
    Unmatched { close: char, offset: usize },
    /// A closing bracket of the wrong kind.
    Mismatch {
        close: char,
        open: char,
        offset: usize,
    },
    /// A string literal without its closing quote.
    Unterminated { offset: usize, triple: bool },
    /// More than CPython's 200 levels of nested brackets.
    TooDeep { offset: usize },
}

/// CPython's tokenizer limit on bracket nesting (`MAXLEVEL`).
const MAX_NESTING: usize = 200;

impl TokErr {
    fn offset(&self) -> usize {
        match self {
            TokErr::Unclosed { offset, .. }
            | TokErr::Unmatched { offset, .. }
            | TokErr::Mismatch { offset, .. }
            | TokErr::Unterminated { offset, .. }
            | TokErr::TooDeep { offset } => *offset,
        }
    }
}

/// Scans `src` for unbalanced brackets and unterminated strings (first error in source
/// order; unclosed brackets count as found at the end).
fn scan(src: &str) -> Option<TokErr> {
    let b = src.as_bytes();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                let start = i;
                let triple = i + 2 < b.len() && b[i + 1] == c && b[i + 2] == c;
                i += if triple { 3 } else { 1 };
                loop {
                    if i >= b.len() {
                        return Some(TokErr::Unterminated {
                            offset: start,
                            triple,
                        });
                    }
                    let d = b[i];
                    if d == b'\\' {
                        i += 2;
                        continue;
                    }
                    if !triple && d == b'\n' {
                        return Some(TokErr::Unterminated {
                            offset: start,
                            triple,
                        });
                    }
                    if d == c {
                        if !triple {
                            i += 1;
                            break;
                        }
                        if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c) {
                            i += 3;
                            break;
                        }
                    }
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                if stack.len() >= MAX_NESTING {
                    return Some(TokErr::TooDeep { offset: i });
                }
                stack.push((c, i))
            }
            b')' | b']' | b'}' => {
                let want = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match stack.pop() {
                    None => {
                        return Some(TokErr::Unmatched {
                            close: c as char,
                            offset: i,
                        });
                    }
                    Some((open, _)) if open != want => {
                        return Some(TokErr::Mismatch {
                            close: c as char,
                            open: open as char,
                            offset: i,
                        });
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
        i += 1;
    }
    stack.last().map(|&(open, offset)| TokErr::Unclosed {
        open: open as char,
        offset,
    })
}

fn point(offset: usize) -> TextRange {
    TextRange::empty(TextSize::new(offset as u32))
}

fn tok_error(t: &TokErr, map: &SourceMap<'_>, filename: &str) -> CompileError {
    let msg = match t {
        TokErr::Unclosed { open, .. } => format!("'{open}' was never closed"),
        TokErr::Unmatched { close, .. } => format!("unmatched '{close}'"),
        TokErr::TooDeep { .. } => "too many nested parentheses".to_string(),
        TokErr::Mismatch { close, open, .. } => {
            format!("closing parenthesis '{close}' does not match opening parenthesis '{open}'")
        }
        TokErr::Unterminated { triple, .. } => {
            let text = map.text();
            let end_line = if text.ends_with('\n') {
                map.line_col(text.len() - 1).0
            } else {
                map.line_count()
            };
            let detected = if *triple {
                end_line
            } else {
                map.line_col(t.offset()).0
            };
            let what = if *triple {
                "unterminated triple-quoted string literal"
            } else {
                "unterminated string literal"
            };
            format!("{what} (detected at line {detected})")
        }
    };
    CompileError::at(
        CompileErrorKind::SyntaxError,
        msg,
        map,
        filename,
        point(t.offset()),
    )
}

/// The "too many nested parentheses" error, checked before parsing: the parser is
/// recursive, and CPython's tokenizer refuses such sources anyway.
pub(crate) fn nesting_error(
    src: &str,
    map: &SourceMap<'_>,
    filename: &str,
) -> Option<CompileError> {
    match scan(src) {
        Some(t @ TokErr::TooDeep { .. }) => Some(tok_error(&t, map, filename)),
        _ => None,
    }
}

/// CPython's name of the statement whose block is missing, from ruff's message.
fn clause_name(ruff_msg: &str) -> Option<(&'static str, &'static [&'static str])> {
    let rest = ruff_msg.strip_prefix("Expected an indented block after ")?;
    Some(match rest {
        "`if` statement" => ("'if' statement", &["if"]),
        "`elif` clause" => ("'elif' statement", &["elif"]),
        "`else` clause" => ("'else' statement", &["else"]),
        "`for` statement" => ("'for' statement", &["for", "async for"]),
        "`while` statement" => ("'while' statement", &["while"]),
        "`with` statement" => ("'with' statement", &["with", "async with"]),
        "`try` statement" => ("'try' statement", &["try"]),
        "`except` clause" => ("'except' statement", &["except"]),
        "`finally` clause" => ("'finally' statement", &["finally"]),
        "function definition" => ("function definition", &["def", "async def"]),
        "`class` definition" => ("class definition", &["class"]),
        "`case` block" => ("'case' statement", &["case"]),
        "`match` statement" => ("'match' statement", &["match"]),
        _ => return None,
    })
}

/// The line (above `line`) where the statement starting with one of `keywords` begins.
fn header_line(map: &SourceMap<'_>, line: u32, keywords: &[&str]) -> u32 {
    let mut l = line.saturating_sub(1);
    while l >= 1 {
        let t = map.line_text(l).trim_start();
        for k in keywords {
            if let Some(rest) = t.strip_prefix(k)
                && rest
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '_')
            {
                return l;
            }
        }
        l -= 1;
    }
    line.saturating_sub(1).max(1)
}

/// An error at an explicit 1-based column (CPython's `offset`) with no caret range.
fn at_col(
    kind: CompileErrorKind,
    msg: String,
    map: &SourceMap<'_>,
    filename: &str,
    line: u32,
    col: u32,
) -> CompileError {
    CompileError {
        kind,
        message: msg,
        filename: filename.to_string(),
        line,
        col,
        end_col: 0,
        source_line: map.line_text(line).to_string(),
    }
}

/// Describes the expression in `range` of the source the way CPython names it in "cannot
/// assign to …" messages.
fn describe_text(map: &SourceMap<'_>, range: TextRange) -> &'static str {
    let text = &map.text()[range.start().to_usize()..range.end().to_usize().min(map.text().len())];
    match ruff_python_parser::parse_expression(text) {
        Ok(p) => crate::codegen::describe_expr(p.syntax().body.as_ref()),
        Err(_) => "expression",
    }
}

/// Converts a parse error into a [`CompileError`] worded as CPython words it.
pub(crate) fn convert(e: &ParseError, map: &SourceMap<'_>, filename: &str) -> CompileError {
    use CompileErrorKind::{IndentationError, SyntaxError};
    let loc = e.location;
    let (line, _) = map.line_col(loc.start().to_usize());
    let specific = |msg: String| CompileError::at(SyntaxError, msg, map, filename, loc);
    let first_tok = scan(map.text());
    let specific_or_tok = |err: CompileError| -> CompileError {
        match &first_tok {
            Some(t)
                if !matches!(t, TokErr::Unclosed { .. })
                    && t.offset() <= loc.start().to_usize() =>
            {
                tok_error(t, map, filename)
            }
            _ => err,
        }
    };
    let err = match &e.error {
        ParseErrorType::OtherError(m) => {
            if let Some((name, keywords)) = clause_name(m) {
                // CPython (running a script) marks only the first character.
                let header = header_line(map, line, keywords);
                return CompileError::at(
                    IndentationError,
                    format!("expected an indented block after {name} on line {header}"),
                    map,
                    filename,
                    TextRange::empty(loc.start()),
                );
            }
            // `[a, b]: int` / `(a, b): int`: CPython's wording starts in lower case.
            m.strip_prefix("Only single target")
                .map(|rest| specific(format!("only single target{rest}")))
        }
        ParseErrorType::InvalidAnnotatedAssignmentTarget => {
            Some(specific("illegal target for annotation".into()))
        }
        ParseErrorType::UnexpectedIndentation => {
            let text = map.line_text(line);
            let indent = text.chars().take_while(|c| c.is_whitespace()).count() as u32;
            return at_col(
                IndentationError,
                "unexpected indent".into(),
                map,
                filename,
                line,
                indent,
            );
        }
        ParseErrorType::Lexical(LexicalErrorType::IndentationError) => {
            let text = map.line_text(line);
            return at_col(
                IndentationError,
                "unindent does not match any outer indentation level".into(),
                map,
                filename,
                line,
                text.chars().count() as u32 + 1,
            );
        }
        ParseErrorType::Lexical(LexicalErrorType::LineContinuationError) => Some(specific(
            "unexpected character after line continuation character".into(),
        )),
        ParseErrorType::ExpectedToken {
            expected: TokenKind::Colon,
            ..
        } => Some(specific("expected ':'".into())),
        ParseErrorType::ExpectedToken {
            expected: TokenKind::Else,
            ..
        } => Some(specific("expected 'else' after 'if' expression".into())),
        ParseErrorType::InvalidAssignmentTarget => {
            let what = describe_text(map, loc);
            let stmt = map.line_text(line).trim_start();
            let in_loop_or_with = ["for ", "async for ", "with ", "async with "]
                .iter()
                .any(|k| stmt.starts_with(k));
            let keyword = matches!(what, "None" | "True" | "False");
            if in_loop_or_with || keyword {
                Some(specific(format!("cannot assign to {what}")))
            } else {
                Some(specific(format!(
                    "cannot assign to {what} here. Maybe you meant '==' instead of '='?"
                )))
            }
        }
        ParseErrorType::InvalidDeleteTarget => Some(specific(format!(
            "cannot delete {}",
            describe_text(map, loc)
        ))),
        ParseErrorType::InvalidAugmentedAssignmentTarget => Some(specific(format!(
            "'{}' is an illegal expression for augmented assignment",
            describe_text(map, loc)
        ))),
        ParseErrorType::InvalidNamedAssignmentTarget => Some(specific(format!(
            "cannot use assignment expressions with {}",
            describe_text(map, loc)
        ))),
        ParseErrorType::PositionalAfterKeywordArgument => Some(specific(
            "positional argument follows keyword argument".into(),
        )),
        ParseErrorType::PositionalAfterKeywordUnpacking => Some(specific(
            "positional argument follows keyword argument unpacking".into(),
        )),
        ParseErrorType::InvalidArgumentUnpackingOrder => Some(specific(
            "iterable argument unpacking follows keyword argument unpacking".into(),
        )),
        ParseErrorType::NonDefaultParamAfterDefaultParam => Some(specific(
            "non-default argument follows default argument".into(),
        )),
        ParseErrorType::ExpectedKeywordParam => {
            Some(specific("named arguments must follow bare *".into()))
        }
        ParseErrorType::IterableUnpackingInComprehension => Some(specific(
            "iterable unpacking cannot be used in comprehension".into(),
        )),
        ParseErrorType::UnparenthesizedGeneratorExpression => Some(specific(
            "Generator expression must be parenthesized".into(),
        )),
        ParseErrorType::InvalidStarredExpressionUsage => {
            let before = map.text()[..loc.start().to_usize()].trim_end();
            if before.ends_with(['+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '@', '~']) {
                // `x +* 2`: CPython's grammar has no starred operand here.
                Some(CompileError::at(
                    SyntaxError,
                    "invalid syntax",
                    map,
                    filename,
                    TextRange::at(loc.start(), TextSize::new(1)),
                ))
            } else {
                Some(specific("can't use starred expression here".into()))
            }
        }
        _ => None,
    };
    match err {
        Some(err) => specific_or_tok(err),
        None => match &first_tok {
            Some(TokErr::Unclosed { offset, .. })
                if map.line_col(*offset).0 >= line
                    && !matches!(e.error, ParseErrorType::Lexical(LexicalErrorType::Eof)) =>
            {
                specific("invalid syntax".into())
            }
            Some(t) => tok_error(t, map, filename),
            None => {
                let msg = if matches!(e.error, ParseErrorType::Lexical(LexicalErrorType::Eof)) {
                    "unexpected EOF while parsing"
                } else {
                    "invalid syntax"
                };
                specific(msg.into())
            }
        },
    }
}
