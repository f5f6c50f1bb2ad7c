//! modules (being written).
