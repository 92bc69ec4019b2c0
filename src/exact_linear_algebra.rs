//! Exact linear algebra over the rationals: elimination, rank, null spaces, solving.
