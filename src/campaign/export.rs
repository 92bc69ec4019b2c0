//! Generated instances written as `mlcsc-instance-1` files, so that other tools can check the
//! very instances a campaign checks: case `k` of `export_cases(entry, C, S, …)` is case `k` of
//! a campaign of `entry` with seed `S`.

use std::path::{Path, PathBuf};

use crate::conjecture::Entry;
use crate::generate::seed::case_rng;
use crate::io::ToInstanceFile;
use crate::io::write_atomically;

/// Writes cases `0..cases` of `conjecture` with master seed `seed` into `folder`, as
/// `NAME-seedS-caseK.json`. The folder is created when absent and refused when it holds
/// anything, so that no earlier file is mixed with or replaced by the new ones; every file is
/// written atomically. Returns the paths in case order.
pub fn export_cases(
    conjecture: &Entry,
    cases: u64,
    seed: u64,
    folder: &Path,
    mut progress: impl FnMut(u64),
) -> Result<Vec<PathBuf>, String> {
    if folder.exists() {
        let mut entries = std::fs::read_dir(folder).map_err(|e| {
            format!(
                "--out {}: {e} (it must be a new or empty folder)",
                folder.display()
            )
        })?;
        if entries.next().is_some() {
            return Err(format!(
                "--out {} is not empty; give a new or empty folder",
                folder.display()
            ));
        }
    } else {
        std::fs::create_dir_all(folder).map_err(|e| format!("--out {}: {e}", folder.display()))?;
    }
    let mut paths = Vec::new();
    for case in 0..cases {
        let mut instance = conjecture.generate(&mut case_rng(seed, case));
        instance.source = format!(
            "mlcsc generate {} --seed {seed}: case {case} of a campaign with this seed",
            conjecture.name()
        );
        let file_name = format!("{}-seed{seed}-case{case}.json", conjecture.name());
        let mut text =
            serde_json::to_string_pretty(&instance.to_file()).expect("instances serialise");
        text.push('\n');
        let path = folder.join(file_name);
        write_atomically(&path, text.as_bytes(), false)?;
        paths.push(path);
        progress(case + 1);
    }
    Ok(paths)
}
