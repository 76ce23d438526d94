//! f-strings: `FORMAT_VALUE` per replacement field, `BUILD_STRING` to join the parts.

use super::{CResult, Compiler};
use crate::bytecode::{Op, fmtval};
use crate::unit::Const;
use ruff_python_ast::{self as ast, ConversionFlag, InterpolatedStringElement};

impl<'a> Compiler<'a, '_> {
    /// Compiles an f-string (possibly implicitly concatenated with plain strings).
    pub(crate) fn fstring(&mut self, f: &'a ast::ExprFString) -> CResult {
        let mut parts = 0u32;
        let mut lit = String::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => lit.push_str(&s.value),
                ast::FStringPart::FString(fs) => {
                    self.fstring_elements(fs.elements.iter(), &mut lit, &mut parts)?;
                }
            }
        }
        if !lit.is_empty() || parts == 0 {
            self.load_const(Const::Str(std::mem::take(&mut lit)));
            parts += 1;
        }
        if parts > 1 {
            self.emit(Op::BUILD_STRING, parts);
        }
        Ok(())
    }

    /// Emits the elements, accumulating adjacent literal text in `lit`.
    fn fstring_elements(
        &mut self,
        elements: impl Iterator<Item = &'a InterpolatedStringElement>,
        lit: &mut String,
        parts: &mut u32,
    ) -> CResult {
        for el in elements {
            match el {
                InterpolatedStringElement::Literal(l) => lit.push_str(&l.value),
                InterpolatedStringElement::Interpolation(i) => {
                    let mut conversion = i.conversion;
                    if let Some(debug) = &i.debug_text {
                        lit.push_str(debug.as_str());
                        if conversion == ConversionFlag::None && i.format_spec.is_none() {
                            conversion = ConversionFlag::Repr;
                        }
                    }
                    if !lit.is_empty() {
                        self.load_const(Const::Str(std::mem::take(lit)));
                        *parts += 1;
                    }
                    self.expr(&i.expression)?;
                    let mut flags = match conversion {
                        ConversionFlag::None => fmtval::NONE,
                        ConversionFlag::Str => fmtval::STR,
                        ConversionFlag::Repr => fmtval::REPR,
                        ConversionFlag::Ascii => fmtval::ASCII,
                    };
                    if let Some(spec) = &i.format_spec {
                        let mut spec_lit = String::new();
                        let mut spec_parts = 0u32;
                        self.fstring_elements(
                            spec.elements.iter(),
                            &mut spec_lit,
                            &mut spec_parts,
                        )?;
                        if !spec_lit.is_empty() || spec_parts == 0 {
                            self.load_const(Const::Str(spec_lit));
                            spec_parts += 1;
                        }
                        if spec_parts > 1 {
                            self.emit(Op::BUILD_STRING, spec_parts);
                        }
                        flags |= fmtval::HAVE_SPEC;
                    }
                    self.emit(Op::FORMAT_VALUE, flags);
                    *parts += 1;
                }
            }
        }
        Ok(())
    }
}
