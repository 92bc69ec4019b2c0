//! Candidate 2: `inari` (IEEE 1788 intervals, directed rounding by the MXCSR or AVX-512's
//! embedded rounding) against the `f64` intervals of `mlcsc_engines::theorem2_f64`
//! (round-to-nearest with the exact error of TwoSum and fused multiply-add deciding each end).

use std::hint::black_box;

use inari::Interval as Inari;
use mlcsc_engines::theorem2_f64::Interval;

use crate::kernels::entries;
use crate::measure::{Contender, interleaved, print_table};

fn inputs(count: usize) -> (Vec<Interval>, Vec<Inari>) {
    let ours: Vec<Interval> = entries(count, 7)
        .iter()
        .map(|x| Interval::around(*x, x.abs() * f64::EPSILON))
        .collect();
    let theirs = ours
        .iter()
        .map(|i| Inari::try_from((i.lo, i.hi)).expect("ordered ends"))
        .collect();
    (ours, theirs)
}

fn ours_dot(v: &[Interval]) -> Interval {
    v.chunks_exact(2)
        .fold(Interval::point(0.0), |acc, p| acc + p[0] * p[1])
}

fn inari_dot(v: &[Inari]) -> Inari {
    v.chunks_exact(2)
        .fold(Inari::try_from((0.0, 0.0)).expect("zero"), |acc, p| {
            acc + p[0] * p[1]
        })
}

fn ours_norm(v: &[Interval]) -> Interval {
    v.iter()
        .fold(Interval::point(0.0), |acc, x| acc + *x * *x)
        .sqrt()
}

fn inari_norm(v: &[Inari]) -> Inari {
    v.iter()
        .fold(Inari::try_from((0.0, 0.0)).expect("zero"), |acc, x| {
            acc + x.sqr()
        })
        .sqrt()
}

/// Both workloads on 1024 intervals.
pub fn run(rounds: usize) {
    let (ours, theirs) = inputs(1024);
    let (a, b) = (ours_dot(&ours), inari_dot(&theirs));
    println!(
        "dot: mlcsc [{:e}, {:e}], inari [{:e}, {:e}]",
        a.lo,
        a.hi,
        b.inf(),
        b.sup()
    );
    let (c, d) = (ours_norm(&ours), inari_norm(&theirs));
    println!(
        "norm: mlcsc [{:e}, {:e}], inari [{:e}, {:e}]",
        c.lo,
        c.hi,
        d.inf(),
        d.sup()
    );
    let mut contenders = vec![
        Contender::new(
            "hand-written `theorem2_f64::Interval` (TwoSum / FMA error)",
            || {
                black_box(ours_dot(black_box(&ours)));
            },
        ),
        Contender::new("`inari` 2.0 `Interval`", || {
            black_box(inari_dot(black_box(&theirs)));
        }),
    ];
    let summaries = interleaved(rounds, &mut contenders);
    print_table(
        "interval dot product, 512 products of intervals of any sign",
        &summaries,
        None,
    );
    let mut contenders = vec![
        Contender::new(
            "hand-written `theorem2_f64::Interval` (TwoSum / FMA error)",
            || {
                black_box(ours_norm(black_box(&ours)));
            },
        ),
        Contender::new("`inari` 2.0 `Interval` (`sqr`, `sqrt`)", || {
            black_box(inari_norm(black_box(&theirs)));
        }),
    ];
    let summaries = interleaved(rounds, &mut contenders);
    print_table(
        "interval 2-norm: sqrt of the sum of 1024 squares",
        &summaries,
        None,
    );
}
