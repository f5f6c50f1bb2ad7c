//! Criterion benchmarks for Aura.
