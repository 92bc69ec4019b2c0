//! Targeted search: generation driven toward the minimum or maximum of a chosen margin.
