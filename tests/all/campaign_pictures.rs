//! `mlcsc campaign NAME --out DIR`: an SVG histogram per target and a bar chart of the events'
//! rates, named in the summary, each a valid SVG naming what it shows.

use mlcsc::cli::run_with_args_captured;
use mlcsc::conjecture::prelude::*;

/// A conjecture with two targets and two events (one with a name no file may hold).
fn with_targets_and_events() -> Stated {
    conjecture("pictures-of-a-conjecture")
        .family(Family::theorem2(Thresholding::Soft).noisy())
        .assume("theorem2", |v| v.theorem2_hypotheses())
        .claim("recovers", |v| v.recovers(Pursuit::Soft))
        .event("deep", |v| v.depth() >= 2)
        .event("three layers/or more", |v| v.depth() >= 3)
        .target("contrast", |v| v.contrast().to_f64())
        .target("depth", |v| v.depth() as f64)
}

/// The text of an SVG file, checked to be one: an XML `<svg>` document, closed, with drawn
/// rectangles.
fn svg_text(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).expect("a written picture");
    let body = text.trim_start_matches(|c| c != '<');
    assert!(
        body.starts_with("<svg") || body.starts_with("<?xml"),
        "{}",
        path.display()
    );
    assert!(
        text.contains("xmlns=\"http://www.w3.org/2000/svg\""),
        "{}",
        path.display()
    );
    assert!(
        text.trim_end().ends_with("</svg>"),
        "{}: not closed",
        path.display()
    );
    assert!(text.contains("<rect"), "{}: no bars", path.display());
    text
}

#[test]
fn a_campaign_with_out_draws_each_target_and_the_events() {
    let scratch = tempfile::tempdir().expect("a folder");
    let folder = scratch.path().join("pictures");
    let out = folder.to_str().expect("UTF-8");
    let stated = with_targets_and_events();
    let args = [
        "mlcsc",
        "campaign",
        stated.name(),
        "--cases",
        "40",
        "--seed",
        "7",
        "--out",
        out,
    ];
    let run = run_with_args_captured(args, &[&stated]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let names = [
        "histogram-contrast.svg",
        "histogram-depth.svg",
        "events.svg",
    ];
    for name in names {
        assert!(
            run.stdout.contains(&format!("{out}/{name}")),
            "{name}: {}",
            run.stdout
        );
    }
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("the folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "events.svg",
            "histogram-contrast.svg",
            "histogram-depth.svg"
        ]
    );
    assert!(svg_text(&folder.join("histogram-contrast.svg")).contains("contrast"));
    assert!(svg_text(&folder.join("histogram-depth.svg")).contains("depth"));
    let events = svg_text(&folder.join("events.svg"));
    assert!(
        events.contains("deep: ") && events.contains("three layers/or more: "),
        "{events}"
    );
    assert!(events.contains("of 40 cases"), "{events}");
    // JSON names the same files; a second run into the same folder is refused before any case.
    let again = run_with_args_captured(
        [
            "mlcsc",
            "campaign",
            stated.name(),
            "--cases",
            "4",
            "--out",
            out,
        ],
        &[&stated],
    );
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("--out") && again.stderr.contains("not an empty folder"));
}

#[test]
fn the_json_summary_names_the_pictures_and_none_are_drawn_without_out() {
    let scratch = tempfile::tempdir().expect("a folder");
    let out = scratch.path().join("p");
    let out = out.to_str().expect("UTF-8");
    let stated = with_targets_and_events();
    let args = [
        "mlcsc",
        "campaign",
        stated.name(),
        "--cases",
        "6",
        "--out",
        out,
        "--json",
    ];
    let run = run_with_args_captured(args, &[&stated]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let pictures = json["pictures"].as_array().expect("pictures");
    assert_eq!(pictures.len(), 3, "{json}");
    let plain = run_with_args_captured(
        ["mlcsc", "campaign", stated.name(), "--cases", "6"],
        &[&stated],
    );
    assert!(!plain.stdout.contains("  pictures:"), "{}", plain.stdout);
}
