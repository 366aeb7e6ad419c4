//! Progress of a long-running tool on stderr: indicatif bars (one per
//! segment and a total) when stderr is a terminal, a plain log line about
//! every two seconds otherwise.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use dynamo_objects::tools::{Progress, ProgressFn};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use parking_lot::Mutex;

/// How often a plain log line is written when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(2);

/// Each segment's last report: items, bytes, estimate.
type SegmentsSeen = BTreeMap<u32, (u64, u64, Option<u64>)>;

/// The whole job's progress from each segment's last report (items, bytes,
/// estimate), `elapsed` after the start; the estimate is known when every
/// segment's is (each is its share of the job).
fn summed(seen: &SegmentsSeen, elapsed: Duration) -> Progress {
    let items = seen.values().map(|s| s.0).sum::<u64>();
    let secs = elapsed.as_secs_f64();
    Progress {
        segment: None,
        items,
        bytes: seen.values().map(|s| s.1).sum(),
        items_per_sec: if secs > 0.0 { items as f64 / secs } else { 0.0 },
        estimated_total: seen.values().map(|s| s.2).sum(),
        done: false,
    }
}

/// Draws [`Progress`] reports for one job.
pub(crate) struct Reporter {
    label: &'static str,
    mode: Mode,
    started: Instant,
    /// Set once the tool reports the whole job itself (`segment: None`);
    /// until then the total is summed from the segments' last reports.
    tool_totals: AtomicBool,
    segments_seen: Mutex<SegmentsSeen>,
}

enum Mode {
    Bars {
        multi: MultiProgress,
        total: ProgressBar,
        segments: Mutex<BTreeMap<u32, ProgressBar>>,
    },
    Log {
        last: Mutex<Instant>,
    },
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix:>12} {bar:30} {human_pos}/{human_len} items {msg} ETA {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

impl Reporter {
    /// A reporter for the job named `label` (the subcommand).
    pub(crate) fn new(label: &'static str) -> Arc<Reporter> {
        let mode = if std::io::stderr().is_terminal() {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let total = multi.add(ProgressBar::new(0));
            total.set_style(bar_style());
            total.set_prefix("total");
            Mode::Bars {
                multi,
                total,
                segments: Mutex::new(BTreeMap::new()),
            }
        } else {
            Mode::Log {
                last: Mutex::new(Instant::now()),
            }
        };
        Arc::new(Reporter {
            label,
            mode,
            started: Instant::now(),
            tool_totals: AtomicBool::new(false),
            segments_seen: Mutex::new(BTreeMap::new()),
        })
    }

    /// The callback handed to the tool.
    pub(crate) fn callback(self: &Arc<Self>) -> ProgressFn {
        let me = Arc::clone(self);
        Arc::new(move |p: &Progress| me.report(p))
    }

    fn report(&self, p: &Progress) {
        match p.segment {
            None => self.tool_totals.store(true, Ordering::Relaxed),
            Some(segment) if !self.tool_totals.load(Ordering::Relaxed) => {
                let total = {
                    let mut seen = self.segments_seen.lock();
                    seen.insert(segment, (p.items, p.bytes, p.estimated_total));
                    summed(&seen, self.started.elapsed())
                };
                self.show(p);
                self.show(&total);
                return;
            }
            Some(_) => {}
        }
        self.show(p);
    }

    fn show(&self, p: &Progress) {
        match &self.mode {
            Mode::Bars { multi, total, segments } => {
                let bar = match p.segment {
                    None => total.clone(),
                    Some(s) => segments
                        .lock()
                        .entry(s)
                        .or_insert_with(|| {
                            let bar = multi.insert_before(total, ProgressBar::new(0));
                            bar.set_style(bar_style());
                            bar.set_prefix(format!("segment {s}"));
                            bar
                        })
                        .clone(),
                };
                if let Some(estimate) = p.estimated_total {
                    bar.set_length(estimate.max(p.items));
                } else {
                    bar.set_length(p.items);
                }
                bar.set_position(p.items);
                bar.set_message(format!("{:.0} items/s", p.items_per_sec));
                if p.done {
                    bar.finish();
                }
            }
            Mode::Log { last } => {
                // The whole job's reports only: one line, not one a segment.
                if p.segment.is_some() {
                    return;
                }
                let mut last = last.lock();
                if last.elapsed() < LOG_EVERY {
                    return;
                }
                *last = Instant::now();
                let estimate = match p.estimated_total {
                    Some(e) => format!(" of about {e}"),
                    None => String::new(),
                };
                eprintln!(
                    "{}: {} items{estimate}, {} bytes, {:.0} items/s",
                    self.label, p.items, p.bytes, p.items_per_sec
                );
            }
        }
    }

    /// Clears the bars, before the summary is written.
    pub(crate) fn finish(&self) {
        if let Mode::Bars { multi, total, segments } = &self.mode {
            for bar in segments.lock().values() {
                bar.finish_and_clear();
            }
            total.finish_and_clear();
            let _ = multi.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_is_the_sum_of_each_segment_s_last_report() {
        let seen = BTreeMap::from([(0, (30, 300, Some(50))), (2, (10, 100, Some(50)))]);
        let total = summed(&seen, Duration::from_secs(2));
        assert_eq!(
            total,
            Progress {
                segment: None,
                items: 40,
                bytes: 400,
                items_per_sec: 20.0,
                estimated_total: Some(100),
                done: false,
            }
        );
        let partly_known = BTreeMap::from([(0, (30, 300, Some(50))), (1, (1, 1, None))]);
        assert_eq!(summed(&partly_known, Duration::ZERO).estimated_total, None);
        assert_eq!(summed(&partly_known, Duration::ZERO).items_per_sec, 0.0);
    }
}
