//! The interpreter: frames, argument binding, calls and the tier-0 loop.

pub mod args;
pub mod call;
pub mod eval;
pub mod frame;
pub(crate) mod generator;
pub mod specialize;
pub(crate) mod specialize_attr;
pub(crate) mod specialize_call;
