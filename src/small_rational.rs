//! A fast exact rational scalar: machine-word numerators and denominators with checked
//! arithmetic, promoted to big integers on overflow.
