//! The margins of a campaign's met cases, spooled to an unnamed temporary file as the cases are
//! decided, for the second pass of the statistics: the margin histograms need every margin
//! once their ranges are known ([`super::statistics::StatisticsBuilder::histograms`]).
//!
//! Each finite margin of a met case is 10 bytes: the index of its name in the order the names
//! were first met (two bytes) and the `f64`'s bits (eight), little-endian. The values are the
//! records' own, so the histograms are those of [`super::statistics::Statistics::from_records`]
//! bit for bit, and memory holds no record, whatever the campaign's size.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::record::CaseRecord;
use super::statistics::HistogramBuilder;

/// Margins written so far, and the names their indices stand for.
pub struct MarginSpool {
    writer: BufWriter<File>,
    names: Vec<String>,
}

impl MarginSpool {
    /// A spool in an unnamed temporary file in `folder`, which disappears with the process.
    pub fn new(folder: &Path) -> std::io::Result<Self> {
        Ok(MarginSpool {
            writer: BufWriter::new(tempfile::tempfile_in(folder)?),
            names: Vec::new(),
        })
    }

    /// Adds the finite margins of `record` when its hypotheses are met (the margins the
    /// histograms count).
    pub fn add(&mut self, record: &CaseRecord) -> std::io::Result<()> {
        if !record.hypotheses_met() {
            return Ok(());
        }
        for (name, value) in record.margins.iter().filter(|(_, v)| v.is_finite()) {
            let index = match self.names.iter().position(|n| n == name) {
                Some(index) => index,
                None => {
                    self.names.push(name.clone());
                    self.names.len() - 1
                }
            };
            let index = u16::try_from(index).map_err(std::io::Error::other)?;
            self.writer.write_all(&index.to_le_bytes())?;
            self.writer.write_all(&value.to_bits().to_le_bytes())?;
        }
        Ok(())
    }

    /// Counts every spooled margin into `histograms`, in the order they were added.
    pub fn count_into(self, histograms: &mut HistogramBuilder) -> std::io::Result<()> {
        let mut file = self.writer.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::new(file);
        let mut entry = [0u8; 10];
        loop {
            match reader.read_exact(&mut entry) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
            let index = u16::from_le_bytes([entry[0], entry[1]]);
            let bits: [u8; 8] = entry[2..].try_into().expect("eight bytes");
            let name = (self.names.get(usize::from(index)))
                .ok_or_else(|| std::io::Error::other("a margin's name index is unknown"))?;
            histograms.add_margin(name, f64::from_bits(u64::from_le_bytes(bits)));
        }
    }
}
