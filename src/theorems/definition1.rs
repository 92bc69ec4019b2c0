//! Definition 1: the deep coding problems `DCP_λ` and `DCP^E_λ` as exact predicates.
