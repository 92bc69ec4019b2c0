//! `forward`'s text: `pursuit: NAME`, then one line per layer with its nonzeros, written to
//! standard output as it is formatted.

use super::forward_decimals::{Decimal, six_digits_of_row, write_decimal};
use super::forward_number::Fixed;
use crate::cli::output::outln;
use crate::model::{Grid, LayerVector};

/// Writes the text report: the pursuit's name, then one line per layer.
pub(super) fn write_text(
    name: &str,
    layers: &[LayerVector<f64>],
    uncertified: &[Option<String>],
    grids: Option<&[Grid]>,
) {
    outln!("pursuit: {name}");
    for (i, estimate) in layers.iter().enumerate() {
        let mark = match uncertified.get(i) {
            Some(Some(why)) => format!(" (uncertified: {why})"),
            _ => String::new(),
        };
        let grid = grids.map(|g| g[i + 1]);
        write_layer_line(i + 1, &mark, estimate, grid);
    }
}

/// Writes one layer's line, `layer i: K nonzeros (position, channel)=value: (p,c)=v …` (on an
/// image's grid `(row, column, channel)=value: (r,c,k)=v …`, row-major), to standard output as
/// it is formatted, in pieces of about 1 MB (124 MB of text took 0.18 CPU-s in pieces of 64 kB,
/// 0.16 in these; 4 MB pieces no longer fit the cache). A position's ` (p,` is written once for
/// all of its channels, and each channel's `c)=` once for the line.
fn write_layer_line(layer: usize, mark: &str, estimate: &LayerVector<f64>, grid: Option<Grid>) {
    let nonzeros = estimate.entries().iter().filter(|v| **v != 0.0).count();
    let mut out = Piece::new(Unbuffered::stdout());
    let head = format!(
        "layer {layer}{mark}: {nonzeros} nonzeros {}=value:",
        match grid {
            Some(_) => "(row, column, channel)",
            None => "(position, channel)",
        }
    );
    out.write(head.as_bytes());
    let channels = estimate.channels().max(1);
    let channel_texts: Vec<Fixed<24>> = (0..channels).map(channel_text).collect();
    let mut decimals = vec![Decimal::default(); channels];
    for (position, values) in estimate.entries().chunks(channels).enumerate() {
        if values.iter().all(|v| *v == 0.0) {
            continue;
        }
        let prefix = position_text(position, grid);
        six_digits_of_row(values, &mut decimals);
        for ((v, decimal), channel) in values.iter().zip(&decimals).zip(&channel_texts) {
            if *v != 0.0 {
                out.put(&prefix);
                out.put(channel);
                out.put_decimal(*v, *decimal);
            }
        }
        out.flush_when_full();
    }
    if nonzeros == 0 {
        out.write(b" ");
    }
    out.write(b"\n");
    out.flush();
}

/// ` (p,` or, on a grid, ` (r,c,`.
fn position_text(position: usize, grid: Option<Grid>) -> Fixed<48> {
    let mut text = Fixed::new();
    text.push_slice(b" (");
    if let Some(grid) = grid {
        let (row, column) = grid.coordinates(position);
        text.push_integer(row as u64);
        text.push(b',');
        text.push_integer(column as u64);
    } else {
        text.push_integer(position as u64);
    }
    text.push(b',');
    text
}

/// `c)=`.
fn channel_text(channel: usize) -> Fixed<24> {
    let mut text = Fixed::new();
    text.push_integer(channel as u64);
    text.push_slice(b")=");
    text
}

/// Standard output's next piece: a buffer of [`Piece::SIZE`] bytes and room for one position's
/// entries past it, filled by fixed-width copies.
struct Piece<W: std::io::Write> {
    out: W,
    bytes: Vec<u8>,
    length: usize,
}

impl<W: std::io::Write> Piece<W> {
    const SIZE: usize = 1 << 20;

    fn new(out: W) -> Self {
        Piece {
            out,
            bytes: vec![0; Self::SIZE + 256],
            length: 0,
        }
    }

    /// Appends a short text: all `N` bytes are copied (room is kept for them), `length` count.
    fn put<const N: usize>(&mut self, text: &Fixed<N>) {
        if self.length + N > self.bytes.len() {
            self.bytes.resize(self.length + N, 0);
        }
        self.bytes[self.length..self.length + N].copy_from_slice(&text.bytes);
        self.length += text.length;
    }

    /// Appends `x` as [`crate::cli::readable::number`] writes it, formatted in place from its
    /// [`Decimal`].
    fn put_decimal(&mut self, x: f64, decimal: Decimal) {
        if self.length + 32 > self.bytes.len() {
            self.bytes.resize(self.length + 32, 0);
        }
        let room: &mut [u8; 32] = (&mut self.bytes[self.length..self.length + 32])
            .try_into()
            .expect("32 bytes");
        self.length += write_decimal(x, decimal, room);
    }

    /// Appends any bytes.
    fn write(&mut self, bytes: &[u8]) {
        self.bytes.truncate(self.length);
        self.bytes.extend_from_slice(bytes);
        self.length = self.bytes.len();
        let room = (Self::SIZE + 256).max(self.length + 256);
        self.bytes.resize(room, 0);
    }

    fn flush_when_full(&mut self) {
        if self.length >= Self::SIZE {
            self.flush();
        }
    }

    fn flush(&mut self) {
        write_or_exit(&mut self.out, &self.bytes[..self.length]);
        self.length = 0;
    }
}

/// Standard output without its line buffer (which searches every piece for a newline), kept
/// locked while the line is written. Whatever was printed before is flushed first.
struct Unbuffered {
    lock: std::io::StdoutLock<'static>,
    file: Option<std::fs::File>,
}

impl Unbuffered {
    fn stdout() -> Self {
        use std::io::Write;
        let mut lock = std::io::stdout().lock();
        let _ = lock.flush();
        // A second descriptor of standard output (elsewhere: the line buffer, as before).
        #[cfg(unix)]
        let file = {
            use std::os::fd::AsFd;
            (lock.as_fd().try_clone_to_owned().ok()).map(std::fs::File::from)
        };
        #[cfg(not(unix))]
        let file = None;
        Unbuffered { lock, file }
    }
}

impl std::io::Write for Unbuffered {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(file) => file.write(bytes),
            None => self.lock.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes bytes to standard output with [`crate::cli::output::write_line`]'s policy: a closed pipe
/// ends the process quietly (exit 0), any other write error exits 2.
fn write_or_exit(out: &mut impl std::io::Write, bytes: &[u8]) {
    if let Err(error) = out.write_all(bytes) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        crate::cli::output::write_error_line(&format!("mlcsc: standard output: {error}"));
        std::process::exit(2);
    }
}
