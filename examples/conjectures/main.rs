//! A crate's own `mlcsc` command: the built-in entries and three conjectures stated with
//! `mlcsc::conjecture::conjecture` (README, "Add a conjecture"). Run
//! `cargo run --release --example conjectures -- campaign NAME --cases 400`, `list`, `verify`,
//! `check --theorem NAME FILE` or `search NAME --margin contrast`.

mod basis_pursuit_under_theorem2;
mod forward_pass_after_basis_pursuit;
mod hard_vs_soft;

fn main() {
    std::process::exit(mlcsc::cli::run_with(&[
        &hard_vs_soft::hard_is_never_worse(),
        &forward_pass_after_basis_pursuit::forward_pass_recovers_what_basis_pursuit_recovers(),
        &basis_pursuit_under_theorem2::basis_pursuit_recovers_where_theorem2_holds(),
    ]));
}
