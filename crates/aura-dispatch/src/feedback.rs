//! feedback (being written).
