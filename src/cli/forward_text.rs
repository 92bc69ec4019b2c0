//! `forward`'s text: `pursuit: NAME`, then one line per layer with its nonzeros, written to
//! standard output as it is formatted.

use super::forward_number::EntryText;
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
/// it is formatted, in pieces of about 64 kB.
fn write_layer_line(layer: usize, mark: &str, estimate: &LayerVector<f64>, grid: Option<Grid>) {
    const PIECE: usize = 1 << 16;
    let nonzeros = estimate.entries().iter().filter(|v| **v != 0.0).count();
    let mut out = std::io::stdout().lock();
    let mut piece: Vec<u8> = Vec::with_capacity(PIECE + 128);
    piece.extend_from_slice(
        format!(
            "layer {layer}{mark}: {nonzeros} nonzeros {}=value:",
            match grid {
                Some(_) => "(row, column, channel)",
                None => "(position, channel)",
            }
        )
        .as_bytes(),
    );
    let channels = estimate.channels().max(1);
    for (position, values) in estimate.entries().chunks(channels).enumerate() {
        for (channel, v) in values.iter().enumerate() {
            if *v == 0.0 {
                continue;
            }
            let text = match grid {
                Some(grid) => {
                    let (row, column) = grid.coordinates(position);
                    EntryText::on_grid(row, column, channel, *v)
                }
                None => EntryText::new(position, channel, *v),
            };
            piece.extend_from_slice(text.as_bytes());
        }
        if piece.len() >= PIECE {
            write_or_exit(&mut out, &piece);
            piece.clear();
        }
    }
    if nonzeros == 0 {
        piece.push(b' ');
    }
    piece.push(b'\n');
    write_or_exit(&mut out, &piece);
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
