//! Uniqueness and stability of the deep coding problem, verified exhaustively on tiny instances.
