//! Running a command in this process with its output kept in memory instead of written to the
//! standard streams, so a test of a crate's own conjectures reads what the command printed and
//! the test listing stays clean. The process's streams are untouched while a capture is on; the
//! capture belongs to the calling thread, which is the one that prints.

use std::cell::RefCell;

/// What a command printed, and its exit code.
#[derive(Clone, Debug, Default)]
pub struct Captured {
    /// The exit code the command returned.
    pub code: i32,
    /// Everything it wrote to standard output.
    pub stdout: String,
    /// Everything it wrote to standard error.
    pub stderr: String,
}

thread_local! {
    static CAPTURE: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Which standard stream a piece of output is meant for.
#[derive(Clone, Copy, Debug)]
pub(super) enum Stream {
    /// Standard output.
    Output,
    /// Standard error.
    Error,
}

/// Appends `value` as pretty JSON and a newline to the capture of this thread and returns true,
/// or returns false when no capture is on.
pub(super) fn captured_json(value: &impl serde::Serialize) -> bool {
    if CAPTURE.with(|capture| capture.borrow().is_none()) {
        return false;
    }
    let text =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("(not serialisable: {e})"));
    captured(Stream::Output, &format!("{text}\n"))
}

/// Appends `text` to the capture of this thread and returns true, or returns false when no
/// capture is on (the caller then writes to the real stream).
pub(super) fn captured(stream: Stream, text: &str) -> bool {
    CAPTURE.with(|capture| match capture.borrow_mut().as_mut() {
        Some(captured) => {
            match stream {
                Stream::Output => captured.stdout.push_str(text),
                Stream::Error => captured.stderr.push_str(text),
            }
            true
        }
        None => false,
    })
}

/// Runs `command` with this thread's output captured, and returns the exit code with the text.
pub(super) fn capturing(command: impl FnOnce() -> i32) -> Captured {
    let previous = CAPTURE.with(|capture| capture.replace(Some(Captured::default())));
    let code = command();
    let mut captured = CAPTURE
        .with(|capture| capture.replace(previous))
        .unwrap_or_default();
    captured.code = code;
    captured
}
