//! Phase-transition studies of Theorem 2 (docs/math.md §6): the grid's CSV is pinned by a snapshot,
//! the region where every case meets the hypotheses is the region above the boundary curve
//! `c = (2s − 1)μ + 2ε_0`, no case inside it fails, and the grid depends on the seed alone.

use std::path::PathBuf;

use mlcsc::campaign::phase::{
    PhaseReport, PhaseSettings, PhaseStudy, boundary_contrast, run_phase_study,
};
use mlcsc::scalar::Rational;

fn small_grid(study: PhaseStudy) -> PhaseSettings {
    let mut settings = PhaseSettings::new(study);
    settings.columns = 3;
    settings.rows = 4;
    settings.cases_per_cell = 4;
    settings.seed = 6;
    settings
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../../fixtures/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn phase_grid_csv_matches_its_snapshot() {
    for (study, name) in [
        (
            PhaseStudy::SparsityContrast,
            "phase__theorem2_sparsity_contrast_3x4",
        ),
        (
            PhaseStudy::NoiseContrast,
            "phase__theorem2_noise_contrast_3x4",
        ),
    ] {
        let report = run_phase_study(&small_grid(study)).expect("valid settings");
        snapshot(name, &report.to_csv());
    }
}

/// The boundary's smallest and largest value over a cell's horizontal range.
fn boundary_range(report: &PhaseReport, x_low: f64, x_high: f64) -> (f64, f64) {
    let mu = report.coherence;
    match report.settings.study {
        PhaseStudy::SparsityContrast => {
            let b = boundary_contrast(mu, x_low as usize, 0.0);
            (b, b)
        }
        PhaseStudy::NoiseContrast => {
            let s = report.settings.sparsity;
            (
                boundary_contrast(mu, s, x_low),
                boundary_contrast(mu, s, x_high),
            )
        }
    }
}

#[test]
fn theorem_region_is_the_region_above_the_boundary_curve() {
    let mut inside = 0;
    let mut outside = 0;
    for study in PhaseStudy::ALL {
        let mut settings = small_grid(study);
        settings.columns = 5;
        settings.rows = 6;
        settings.cases_per_cell = 3;
        let report = run_phase_study(&settings).expect("valid settings");
        for c in &report.cells {
            let (low, high) = boundary_range(&report, c.x_low, c.x_high);
            // Margins of 1e-9 keep the f64 boundary from deciding a cell it merely touches.
            if c.contrast_low > high + 1e-9 {
                assert_eq!(
                    c.hypotheses_met,
                    c.cases,
                    "{} cell {c:?} lies above the boundary",
                    study.name()
                );
                inside += 1;
            } else if c.contrast_high < low - 1e-9 {
                assert_eq!(
                    c.hypotheses_met,
                    0,
                    "{} cell {c:?} lies below the boundary",
                    study.name()
                );
                outside += 1;
            }
        }
    }
    println!("cells wholly above the boundary: {inside}, wholly below: {outside}");
    assert!(
        inside >= 10 && outside >= 10,
        "too few cells decided by the boundary"
    );
}

#[test]
fn every_case_meeting_the_hypotheses_recovers_the_support() {
    for study in PhaseStudy::ALL {
        let mut settings = small_grid(study);
        settings.columns = 4;
        settings.rows = 5;
        settings.cases_per_cell = 6;
        settings.largest_noise = Rational::new(1.into(), 4.into());
        let report = run_phase_study(&settings).expect("valid settings");
        println!(
            "{}: {} cases, hypotheses met in {}, support recovered in {}",
            study.name(),
            report.cases(),
            report.hypotheses_met(),
            report
                .cells
                .iter()
                .map(|c| c.support_recovered)
                .sum::<usize>()
        );
        assert!(
            report.hypotheses_met() * 3 >= report.cases(),
            "fewer than a third of the cases met the hypotheses"
        );
        assert_eq!(
            report.violated(),
            0,
            "a case inside the theorem's region failed"
        );
        assert_eq!(report.undecided(), 0);
        for c in &report.cells {
            assert!(c.support_recovered >= c.hypotheses_met, "cell {c:?}");
        }
        // Beyond the theorem the pursuit both succeeds and fails somewhere.
        let beyond_success = report
            .cells
            .iter()
            .any(|c| c.hypotheses_met == 0 && c.support_recovered > 0);
        let failure = report.cells.iter().any(|c| c.support_recovered < c.cases);
        assert!(
            beyond_success && failure,
            "{}: the grid shows no transition",
            study.name()
        );
    }
}

#[test]
fn phase_study_is_deterministic_for_a_seed() {
    let settings = small_grid(PhaseStudy::NoiseContrast);
    let parallel = run_phase_study(&settings).expect("valid settings").to_csv();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let sequential = pool.install(|| run_phase_study(&settings).expect("valid settings").to_csv());
    assert_eq!(parallel, sequential);
    let mut other = settings.clone();
    other.seed += 1;
    assert_ne!(
        parallel,
        run_phase_study(&other).expect("valid settings").to_csv()
    );
}

#[test]
fn phase_settings_reject_a_sparsity_the_layer_cannot_hold() {
    let mut settings = PhaseSettings::new(PhaseStudy::SparsityContrast);
    settings.columns = 14; // Barker-13: one cluster holds at most 13 atoms.
    assert!(run_phase_study(&settings).is_err());
    let mut settings = PhaseSettings::new(PhaseStudy::NoiseContrast);
    settings.largest_noise = Rational::from_integer(0.into());
    assert!(run_phase_study(&settings).is_err());
}

fn fresh_folder(tag: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("mlcsc-phase-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    path
}

fn mlcsc(args: &[&str]) -> std::process::Output {
    crate::common::cli::command()
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn phase_command_writes_csv_svg_and_json_into_a_fresh_folder_and_never_overwrites() {
    let folder = fresh_folder("cli");
    let out = folder.to_str().expect("utf-8 path");
    let args = [
        "phase",
        "theorem2-sparsity-contrast",
        "--grid-size",
        "3x4",
        "--cases-per-cell",
        "4",
        "--seed",
        "6",
        "--out",
        out,
    ];
    let first = mlcsc(&args);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let csv = std::fs::read_to_string(folder.join("theorem2-sparsity-contrast.csv"))
        .expect("csv written");
    let expected = run_phase_study(&small_grid(PhaseStudy::SparsityContrast))
        .expect("valid")
        .to_csv();
    assert_eq!(csv, expected, "the command and the library agree");
    let svg = std::fs::read_to_string(folder.join("theorem2-sparsity-contrast.svg"))
        .expect("svg written");
    assert!(svg.starts_with("<svg") && svg.contains("boundary of hypothesis (a)"));
    assert!(folder.join("theorem2-sparsity-contrast.json").exists());
    let second = mlcsc(&args);
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("not an empty folder"));
    for bad in [
        vec!["phase", "no-such-study"],
        vec!["phase", "theorem2-noise-contrast", "--grid-size", "3by4"],
        vec!["phase", "theorem2-sparsity-contrast", "--grid-size", "20x2"],
        vec![
            "phase",
            "theorem2-noise-contrast",
            "--design",
            "no-such-design",
        ],
    ] {
        let output = mlcsc(&bad);
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
        assert!(!String::from_utf8_lossy(&output.stderr).is_empty());
    }
    let _ = std::fs::remove_dir_all(&folder);
}
