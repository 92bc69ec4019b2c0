//! A campaign report read as a stream: its head (every field but the records) parsed whole,
//! and its records read one at a time, each with the line (from 1) where it starts. Memory
//! holds the head and one record, whatever the report's size, so that `mlcsc merge` reads a
//! thousand shard reports of any size.
//!
//! The file is scanned once for the top-level `"records"` array (strings and nesting
//! followed, so a `"records"` inside a string or an object is not it); the head is the text
//! around the array with the array replaced by `[]`, parsed as a report by serde. The records
//! are then read from the array's place: each a JSON object, separated by commas.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::record::CaseRecord;
use super::run::CampaignReport;

/// The largest head read (all of a report but its records is well under a kilobyte).
const MAX_HEAD_BYTES: usize = 1 << 20;

/// The read buffer of each report: a merge holds one per shard (16 MB for 1,000 shards).
const BUFFER_BYTES: usize = 1 << 14;

/// A report file: its head, and where its records are.
pub struct ReportFile {
    path: PathBuf,
    /// The report without its records.
    pub head: CampaignReport,
    /// The offset just after the `[` of the records.
    records_at: u64,
    /// The line of that `[`.
    records_line: usize,
}

/// Bytes read one at a time (from a buffer filled [`BUFFER_BYTES`] at a time), with the line
/// (from 1) and the offset of the next one.
struct Bytes {
    file: File,
    buffer: Box<[u8]>,
    at: usize,
    filled: usize,
    line: usize,
    offset: u64,
}

impl Bytes {
    /// The bytes of `file` from where it stands, which is `offset` on line `line`.
    fn new(file: File, offset: u64, line: usize) -> Bytes {
        Bytes {
            file,
            buffer: vec![0; BUFFER_BYTES].into_boxed_slice(),
            at: 0,
            filled: 0,
            line,
            offset,
        }
    }

    fn next(&mut self) -> std::io::Result<Option<u8>> {
        if self.at == self.filled {
            self.filled = loop {
                match self.file.read(&mut self.buffer) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            self.at = 0;
            if self.filled == 0 {
                return Ok(None);
            }
        }
        let byte = self.buffer[self.at];
        self.at += 1;
        self.offset += 1;
        if byte == b'\n' {
            self.line += 1;
        }
        Ok(Some(byte))
    }

    /// The next byte that is not JSON whitespace.
    fn next_token(&mut self) -> std::io::Result<Option<u8>> {
        loop {
            match self.next()? {
                Some(b' ' | b'\n' | b'\r' | b'\t') => {}
                other => return Ok(other),
            }
        }
    }

    /// Reads the rest of a JSON string whose `"` was read, into `into` when given.
    fn string(&mut self, mut into: Option<&mut Vec<u8>>) -> std::io::Result<bool> {
        let mut escaped = false;
        while let Some(byte) = self.next()? {
            if let Some(into) = into.as_deref_mut() {
                into.push(byte);
            }
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => return Ok(true),
                _ => {}
            }
        }
        Ok(false)
    }

    /// Reads the rest of a JSON object or array whose opening byte was read (the bytes into
    /// `into` when given); false at the end of the file.
    fn nested(&mut self, mut into: Option<&mut Vec<u8>>) -> std::io::Result<bool> {
        let mut depth = 1usize;
        while let Some(byte) = self.next()? {
            if let Some(into) = into.as_deref_mut() {
                into.push(byte);
            }
            match byte {
                b'"' if !self.string(into.as_deref_mut())? => return Ok(false),
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(true);
                    }
                }
                _ => {}
            }
        }
        Ok(false)
    }
}

impl ReportFile {
    /// Opens and scans `path`; refused (naming the file) when it is not a campaign report.
    pub fn open(path: &Path) -> Result<ReportFile, String> {
        let read_error = |e: std::io::Error| format!("{}: {e}", path.display());
        if !std::fs::metadata(path).map_err(read_error)?.is_file() {
            return Err(format!(
                "{}: not a regular file, so not a campaign report",
                path.display()
            ));
        }
        let mut bytes = Bytes::new(File::open(path).map_err(read_error)?, 0, 1);
        let not_report = |why: String| format!("{}: not a campaign report: {why}", path.display());
        let (head, records_at, records_line) = scan_head(&mut bytes)
            .map_err(read_error)?
            .map_err(not_report)?;
        let head: CampaignReport =
            serde_json::from_slice(&head).map_err(|e| not_report(e.to_string()))?;
        Ok(ReportFile {
            path: path.to_path_buf(),
            head,
            records_at,
            records_line,
        })
    }

    /// The records, in file order, each with its line; an unreadable one ends the stream with
    /// an error naming its line.
    pub fn records(&self) -> Result<RecordStream, String> {
        let failed = |e: std::io::Error| format!("{}: {e}", self.path.display());
        let mut file = File::open(&self.path).map_err(failed)?;
        file.seek(SeekFrom::Start(self.records_at))
            .map_err(failed)?;
        Ok(RecordStream {
            bytes: Bytes::new(file, self.records_at, self.records_line),
            started: false,
            ended: false,
            buffer: Vec::new(),
        })
    }
}

/// The head of a report (its text with the records array replaced by `[]`), the offset after
/// the array's `[` and its line; `Ok(Err)` says why the file is not a report.
type Scanned = Result<(Vec<u8>, u64, usize), String>;

/// Scans a report for its top-level `"records"` array.
fn scan_head(bytes: &mut Bytes) -> std::io::Result<Scanned> {
    let mut head = Vec::new();
    if bytes.next_token()? != Some(b'{') {
        return Ok(Err("it does not start with a JSON object".into()));
    }
    head.push(b'{');
    let mut found: Option<(u64, usize)> = None;
    let mut key = Vec::new();
    loop {
        if head.len() > MAX_HEAD_BYTES {
            return Ok(Err(format!(
                "more than {MAX_HEAD_BYTES} bytes besides its records"
            )));
        }
        let Some(byte) = bytes.next()? else {
            return Ok(Err("it ends before its object closes".into()));
        };
        head.push(byte);
        match byte {
            b'"' => {
                key.clear();
                if !bytes.string(Some(&mut key))? {
                    return Ok(Err("a string is not closed".into()));
                }
                head.extend_from_slice(&key);
            }
            b':' if key == b"records\"" && found.is_none() => {
                if bytes.next_token()? != Some(b'[') {
                    return Ok(Err("its records are not a JSON array".into()));
                }
                found = Some((bytes.offset, bytes.line));
                if !bytes.nested(None)? {
                    return Ok(Err("its records array is not closed".into()));
                }
                head.extend_from_slice(b"[]");
            }
            b'{' | b'[' if !bytes.nested(Some(&mut head))? => {
                return Ok(Err("it ends before an object closes".into()));
            }
            b'}' => break,
            _ => {}
        }
    }
    if bytes.next_token()?.is_some() {
        return Ok(Err("text follows the report's object".into()));
    }
    Ok(match found {
        Some((at, line)) => Ok((head, at, line)),
        None => Err("missing field `records`".into()),
    })
}

/// The records of a report, read one at a time.
pub struct RecordStream {
    bytes: Bytes,
    started: bool,
    ended: bool,
    buffer: Vec<u8>,
}

impl RecordStream {
    /// The next record and its line; `Ok(None)` after the last.
    pub fn next_record(&mut self) -> Result<Option<(usize, CaseRecord)>, String> {
        if self.ended {
            return Ok(None);
        }
        let io = |e: std::io::Error| e.to_string();
        let mut token = self.bytes.next_token().map_err(io)?;
        if token == Some(b']') {
            self.ended = true;
            return Ok(None);
        }
        if self.started {
            if token != Some(b',') {
                return Err(format!(
                    "line {}: expected , or ] between records",
                    self.bytes.line
                ));
            }
            token = self.bytes.next_token().map_err(io)?;
        }
        self.started = true;
        let line = self.bytes.line;
        if token != Some(b'{') {
            return Err(format!("line {line}: a record is not a JSON object"));
        }
        self.buffer.clear();
        self.buffer.push(b'{');
        if !self.bytes.nested(Some(&mut self.buffer)).map_err(io)? {
            return Err(format!("line {line}: the record is not closed"));
        }
        let record: CaseRecord = serde_json::from_slice(&self.buffer)
            .map_err(|e| format!("line {line}: not a case record: {e}"))?;
        Ok(Some((line, record)))
    }
}
