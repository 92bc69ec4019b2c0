//! The cases a checkpoint already holds, found again by case: where each record's line starts,
//! so a resumed campaign reads each record when its turn in case order comes instead of holding
//! them all in memory.

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::line_check::split_check;
use crate::campaign::record::CaseRecord;

/// A checkpoint record's case, the byte where its line starts, and its line number (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Place {
    pub(super) case: u64,
    pub(super) offset: u64,
    pub(super) line: usize,
}

/// The finished cases of a checkpoint, sorted by case.
#[derive(Default)]
pub(crate) struct DoneCases {
    places: Vec<Place>,
    /// The checkpoint, read from here.
    source: Option<(PathBuf, BufReader<File>)>,
}

impl DoneCases {
    /// The cases at `places` (sorted by case, each once) of the checkpoint at `path`.
    pub(super) fn new(places: Vec<Place>, path: &Path) -> Result<Self, String> {
        let file = File::open(path).map_err(|e| format!("checkpoint {}: {e}", path.display()))?;
        Ok(DoneCases {
            places,
            source: Some((path.to_path_buf(), BufReader::new(file))),
        })
    }

    /// How many cases are done.
    pub(crate) fn len(&self) -> usize {
        self.places.len()
    }

    /// The places, sorted by case.
    pub(super) fn places(&self) -> &[Place] {
        &self.places
    }

    /// Whether `case` is done.
    pub(crate) fn contains(&self, case: u64) -> bool {
        self.places.binary_search_by_key(&case, |p| p.case).is_ok()
    }

    /// The record of a done case, read again from the checkpoint (which the campaign holds
    /// locked, so it is as validated).
    pub(crate) fn read(&mut self, case: u64) -> Result<CaseRecord, String> {
        let index = self
            .places
            .binary_search_by_key(&case, |p| p.case)
            .map_err(|_| format!("case {case} is not in the checkpoint"))?;
        let place = self.places[index];
        let (path, reader) = self.source.as_mut().ok_or("no checkpoint")?;
        let failed = |e: &dyn std::fmt::Display| {
            format!("checkpoint {} line {}: {e}", path.display(), place.line)
        };
        reader
            .seek(SeekFrom::Start(place.offset))
            .map_err(|e| failed(&e))?;
        let mut line = Vec::new();
        reader
            .read_until(b'\n', &mut line)
            .map_err(|e| failed(&e))?;
        let text = String::from_utf8(line).map_err(|e| failed(&e))?;
        let (text, _) = split_check(text.trim_end_matches('\n'));
        let record: CaseRecord = serde_json::from_str(&text).map_err(|e| failed(&e))?;
        if record.case != case {
            return Err(failed(&"the checkpoint changed while the campaign ran"));
        }
        Ok(record)
    }
}
