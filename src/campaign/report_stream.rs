//! A campaign report written as a stream: records go to an unnamed temporary file as they are
//! decided (in case order), already in the text the report holds them in (each after its length
//! in bytes, on a line of its own), while the statistics are counted; the report is then copied
//! from it, byte for byte the text `serde_json::to_string_pretty` gives for the whole report.
//! Memory holds one record at a time, whatever the campaign's size. A run that writes no report
//! keeps no text: its statistics need only the margins (`margin_spool.rs`).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::margin_spool::MarginSpool;
use super::record::CaseRecord;
use super::run::CampaignReport;
use super::statistics::{Statistics, StatisticsBuilder};

/// Records spooled to disk, with their statistics counted on the way.
pub struct ReportSpool {
    /// The records' texts, when a report is to be written.
    writer: Option<BufWriter<File>>,
    margins: MarginSpool,
    statistics: StatisticsBuilder,
}

/// The spooled records once complete, with their statistics.
pub struct SpooledRecords {
    file: Option<File>,
}

/// What a spool's file could not do, said as the campaign's error.
fn spool_error(e: &dyn std::fmt::Display) -> String {
    format!(
        "the records of the campaign could not be written to a temporary file beside the report ({e}); the run stopped. A run with --checkpoint resumes from its checkpoint once the cause is fixed"
    )
}

impl ReportSpool {
    /// A spool in unnamed temporary files in `folder`, which disappear with the process
    /// whatever happens to them (put them beside the report, on the same disk); the records'
    /// texts are kept when `keep_records` (a report is to be written).
    pub fn new(folder: &Path, keep_records: bool) -> Result<Self, String> {
        let cannot =
            |e: std::io::Error| format!("{}: cannot hold the records there: {e}", folder.display());
        let writer = match keep_records {
            true => Some(BufWriter::new(
                tempfile::tempfile_in(folder).map_err(cannot)?,
            )),
            false => None,
        };
        Ok(ReportSpool {
            writer,
            margins: MarginSpool::new(folder).map_err(cannot)?,
            statistics: StatisticsBuilder::default(),
        })
    }

    /// Adds the next record (in case order), spooled as the report will hold it.
    pub fn add(&mut self, record: CaseRecord) -> Result<(), String> {
        self.statistics.add(&record);
        self.margins.add(&record).map_err(|e| spool_error(&e))?;
        if let Some(writer) = &mut self.writer {
            let text = indented_record(&record);
            write!(writer, "{}\n{text}\n", text.len()).map_err(|e| spool_error(&e))?;
        }
        Ok(())
    }

    /// The statistics (the margin histograms counted in a second pass over the spooled
    /// margins) and the spooled records.
    pub fn finish(self) -> Result<(Statistics, SpooledRecords), String> {
        let failed = |e: &dyn std::fmt::Display| {
            format!("the records of the campaign could not be read back from disk: {e}")
        };
        let file = match self.writer {
            Some(writer) => Some(writer.into_inner().map_err(|e| failed(&e.error()))?),
            None => None,
        };
        let mut histograms = self.statistics.histograms();
        self.margins
            .count_into(&mut histograms)
            .map_err(|e| failed(&e))?;
        Ok((self.statistics.finish(histograms), SpooledRecords { file }))
    }
}

impl SpooledRecords {
    /// Calls `visit` with the text of every record as the report holds it, in case order.
    fn for_each(
        &mut self,
        mut visit: impl FnMut(&str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let file = (self.file.as_mut()).ok_or_else(|| {
            std::io::Error::other("the spool was made without the records' texts")
        })?;
        file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::new(&*file);
        let mut line = String::new();
        let mut text = Vec::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let length: usize = line.trim_end().parse().map_err(std::io::Error::other)?;
            // The text and the newline after it.
            text.resize(length + 1, 0);
            reader.read_exact(&mut text)?;
            let record = std::str::from_utf8(&text[..length]).map_err(std::io::Error::other)?;
            visit(record)?;
        }
    }

    /// Writes `report` (whose own `records` are ignored) with the spooled records, as
    /// `serde_json::to_string_pretty` writes a report holding them.
    pub fn write_report(
        &mut self,
        report: &CampaignReport,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        write_report_text(report, out, &mut |write| self.for_each(|text| write(text)))
    }
}

/// A record as `serde_json::to_string_pretty` writes it inside a report: its pretty text with
/// every line indented by four spaces (no newline at the end).
fn indented_record(record: &CaseRecord) -> String {
    let text = serde_json::to_string_pretty(record).expect("records serialise");
    let mut indented = String::with_capacity(text.len() + text.len() / 8);
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            indented.push('\n');
        }
        indented.push_str("    ");
        indented.push_str(line);
    }
    indented
}

/// A function called with each record in turn.
pub type RecordWriter<'a> = dyn FnMut(&CaseRecord) -> std::io::Result<()> + 'a;

/// Writes `report` (whose own `records` are ignored) with the records that `records` hands,
/// one at a time, to the function it is given, as `serde_json::to_string_pretty` writes a
/// report holding them.
pub fn write_report_with(
    report: &CampaignReport,
    out: &mut dyn Write,
    records: &mut dyn FnMut(&mut RecordWriter<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_report_text(report, out, &mut |write| {
        records(&mut |record| write(&indented_record(record)))
    })
}

/// A function called with the text of each record in turn ([`indented_record`]).
type TextWriter<'a> = dyn FnMut(&str) -> std::io::Result<()> + 'a;

/// [`write_report_with`] for records handed as their text in the report.
fn write_report_text(
    report: &CampaignReport,
    out: &mut dyn Write,
    records: &mut dyn FnMut(&mut TextWriter<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let head = CampaignReport {
        records: Vec::new(),
        ..report.clone()
    };
    let text = serde_json::to_string_pretty(&head).expect("reports serialise");
    let head = text
        .strip_suffix("[]\n}")
        .expect("a report ends with its records");
    let mut out = BufWriter::new(out);
    out.write_all(head.as_bytes())?;
    let mut first = true;
    records(&mut |record| {
        out.write_all(if first { b"[\n" } else { b",\n" })?;
        first = false;
        out.write_all(record.as_bytes())
    })?;
    out.write_all(if first { b"[]\n}" } else { b"\n  ]\n}" })?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::{Arithmetic, CampaignSettings, Shard, run_campaign};

    #[test]
    fn a_streamed_report_is_byte_for_byte_the_report_written_whole() {
        let folder = tempfile::tempdir().expect("folder");
        for (name, cases, shard) in [
            ("theorem2-soft", 60, Shard::WHOLE),
            ("welch-bound", 30, Shard::WHOLE),
            ("theorem2-soft", 3, Shard { index: 4, count: 5 }),
        ] {
            let conjecture = crate::conjecture::find(name).expect("registered");
            let settings = CampaignSettings {
                cases,
                seed: 11,
                shard,
                arithmetic: Arithmetic::Exact,
            };
            let whole = run_campaign(conjecture.as_ref(), settings, None, &|| {}).expect("runs");
            let mut spool = ReportSpool::new(folder.path(), true).expect("spool");
            for record in whole.records.clone() {
                spool.add(record).expect("spooled");
            }
            let (statistics, mut spooled) = spool.finish().expect("statistics");
            assert_eq!(statistics, whole.statistics, "{name}");
            let mut counted = ReportSpool::new(folder.path(), false).expect("spool");
            for record in whole.records.clone() {
                counted.add(record).expect("counted");
            }
            let (statistics, mut textless) = counted.finish().expect("statistics");
            assert_eq!(statistics, whole.statistics, "{name}: without the texts");
            assert!(textless.write_report(&whole, &mut Vec::new()).is_err());
            let mut streamed = Vec::new();
            spooled
                .write_report(&whole, &mut streamed)
                .expect("written");
            let expected = serde_json::to_string_pretty(&whole).expect("json");
            assert_eq!(
                String::from_utf8(streamed).expect("utf-8"),
                expected,
                "{name}"
            );
        }
    }
}
