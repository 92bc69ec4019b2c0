//! Names that become file names: an entry's name names its report (`NAME.json`) and its
//! counterexamples (`NAME-seedS-caseK.json`), so it must name a file inside the folder it is
//! written to, never a path out of it (`../../x`) nor a hidden file.

/// The longest name accepted (file systems allow 255 bytes, and suffixes are added).
pub const MAX_NAME_BYTES: usize = 160;

/// `Ok` when `name` can be used as (the start of) a file name in a folder: 1 to
/// [`MAX_NAME_BYTES`] ASCII letters, digits, `-`, `_` and `.`, not beginning with `.`
/// (which also rules out `.` and `..`). Otherwise `Err` says why, naming the name.
pub fn check_file_name(name: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let why = if name.is_empty() {
        "is empty"
    } else if name.len() > MAX_NAME_BYTES {
        "is longer than 160 bytes"
    } else if name.starts_with('.') {
        "begins with '.' (a hidden file, or a way out of the folder)"
    } else if let Some(c) = name.chars().find(|&c| !allowed(c)) {
        return Err(format!(
            "the name {name:?} cannot name a file: it holds {c:?}; use ASCII letters, digits, '-', '_' and '.'"
        ));
    } else {
        return Ok(());
    };
    Err(format!(
        "the name {name:?} cannot name a file: it {why}; use ASCII letters, digits, '-', '_' and '.'"
    ))
}
