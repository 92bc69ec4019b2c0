//! Campaigns: many generated cases of one conjecture, with statistics, shrinking of
//! counterexamples, checkpoints and shards (README.md, "The command line").

pub mod counterexamples;
pub mod depth_study;
pub mod entry_search;
mod export;
pub mod head_to_head;
mod margin_spool;
pub mod named_values;
pub mod phase;
mod phase_settings;
mod record;
pub mod report_reader;
pub mod report_stream;
mod run;
pub mod search;
mod statistics;

pub use crate::conjecture::shrink::{
    SHRINK_CHECK_BUDGET, SimplificationWalk, shrink_counterexample,
};
pub use crate::conjecture::simplify::simplifications;
pub use crate::io::{save_counterexample, save_counterexample_once};
pub use export::export_cases;
pub use record::{CaseRecord, CaseVerdict, round_for_report};
pub use run::recheck::{self, Recheck};
pub use run::{
    Arithmetic, CAMPAIGN_FORMAT, CampaignReport, CampaignSettings, MergedFiles, RecordSink, Shard,
    merge_report_files, merge_reports, merge_reports_of, run_campaign, run_campaign_streamed,
    run_case,
};
pub use statistics::{
    EVENT_PREFIX, EventCount, HISTOGRAM_BINS, Histogram, HistogramBuilder, Statistics,
    StatisticsBuilder,
};
