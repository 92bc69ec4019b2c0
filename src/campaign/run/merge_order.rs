//! The records of many shard reports in case order: a k-way merge of their record streams,
//! each already in case order, holding one record per report.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::campaign::record::CaseRecord;
use crate::campaign::report_reader::{RecordStream, ReportFile};

/// Where a record is: its report (from 1) and its line.
pub(super) type Place = (usize, usize);

/// The records of several reports, merged in case order.
pub(super) struct MergedRecords {
    streams: Vec<RecordStream>,
    heads: Vec<Option<(usize, CaseRecord)>>,
    order: BinaryHeap<Reverse<(u64, usize)>>,
}

impl MergedRecords {
    /// Opens every report's records (one file open per report while merging).
    pub(super) fn open(files: &[ReportFile]) -> Result<MergedRecords, String> {
        let mut merged = MergedRecords {
            streams: Vec::with_capacity(files.len()),
            heads: Vec::with_capacity(files.len()),
            order: BinaryHeap::with_capacity(files.len()),
        };
        for (k, file) in files.iter().enumerate() {
            merged.streams.push(
                file.records()
                    .map_err(|e| format!("report #{}: {e}", k + 1))?,
            );
            merged.heads.push(None);
            merged.advance(k)?;
        }
        Ok(merged)
    }

    /// Reads the next record of report `k` into its head.
    fn advance(&mut self, k: usize) -> Result<(), String> {
        let next = self.streams[k]
            .next_record()
            .map_err(|e| format!("report #{} {e}", k + 1))?;
        if let Some((_, record)) = &next {
            self.order.push(Reverse((record.case, k)));
        }
        self.heads[k] = next;
        Ok(())
    }

    /// The next record in case order, with its place; refused when two reports hold the
    /// same case.
    pub(super) fn next_record(&mut self) -> Result<Option<(Place, CaseRecord)>, String> {
        let Some(Reverse((case, k))) = self.order.pop() else {
            return Ok(None);
        };
        let (line, record) = self.heads[k].take().expect("a head per entry of the order");
        self.advance(k)?;
        if let Some(Reverse((next, other))) = self.order.peek()
            && *next == case
        {
            let (a, b) = (k.min(*other) + 1, k.max(*other) + 1);
            return Err(format!(
                "reports #{a} and #{b} both hold case {case}: shards overlap"
            ));
        }
        Ok(Some(((k + 1, line), record)))
    }
}
