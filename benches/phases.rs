//! Time per phase of `lint_source`, on postmortems of about 1 KB, 10 KB, 100 KB and 1 MB (and
//! 10 MB for the whole of `lint_source`), reported as throughput: a phase that stays linear
//! keeps a flat MB/s from the smallest document to the largest.
//!
//!   cargo bench --bench phases                    every phase, every size
//!   cargo bench --bench phases -- lint_source     one phase
//!   PMLINT_BENCH_DUMP=DIR cargo bench --bench phases -- --list
//!                                                 also writes the documents to DIR
//!
//! The documents are built here, the same bytes every run, shaped like real postmortems: a
//! bigger one is a longer incident (more timeline entries over more days, tables, more action
//! items, more analysis sections), not one padded with prose.

use std::fmt;
use std::fmt::Write as _;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use divan::Bencher;
use divan::counter::BytesCount;
use pmlint::{Config, actions, parse, rules, timeline};

fn main() {
    if let Some(dir) = std::env::var_os("PMLINT_BENCH_DUMP") {
        let dir = std::path::PathBuf::from(dir);
        for &size in LINT_SIZES {
            let path = dir.join(format!("{}.md", size.slug()));
            if let Err(e) = std::fs::write(&path, postmortem(size.bytes())) {
                eprintln!("{}: {e}", path.display());
                std::process::exit(2);
            }
        }
    }
    divan::main();
}

#[derive(Clone, Copy, Debug)]
enum Size {
    Kb1,
    Kb10,
    Kb100,
    Mb1,
    Mb10,
}

impl Size {
    fn bytes(self) -> usize {
        match self {
            Size::Kb1 => 1_000,
            Size::Kb10 => 10_000,
            Size::Kb100 => 100_000,
            Size::Mb1 => 1_000_000,
            Size::Mb10 => 10_000_000,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Size::Kb1 => "1kb",
            Size::Kb10 => "10kb",
            Size::Kb100 => "100kb",
            Size::Mb1 => "1mb",
            Size::Mb10 => "10mb",
        }
    }
}

// Divan orders arguments by name: zero-padded so 1 KB comes before 1 MB.
impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Size::Kb1 => "0001 KB",
            Size::Kb10 => "0010 KB",
            Size::Kb100 => "0100 KB",
            Size::Mb1 => "1000 KB",
            Size::Mb10 => "10000 KB",
        })
    }
}

const SIZES: &[Size] = &[Size::Kb1, Size::Kb10, Size::Kb100, Size::Mb1];

/// `lint_source` also runs at 10 MB: linear from 1 KB to 10 MB is the target.
const LINT_SIZES: &[Size] = &[Size::Kb1, Size::Kb10, Size::Kb100, Size::Mb1, Size::Mb10];

// Each benchmark stops after `max_time` seconds, so the 1 MB and 10 MB cases take a few
// samples instead of a hundred.

#[divan::bench(args = SIZES, max_time = 3)]
fn bare_pulldown_cmark(bencher: Bencher, size: Size) {
    let text = postmortem(size.bytes());
    bencher.counter(BytesCount::of_str(&text)).bench_local(|| {
        pulldown_cmark::Parser::new_ext(&text, parse::markdown_options())
            .into_offset_iter()
            .count()
    });
}

#[divan::bench(args = SIZES, max_time = 3)]
fn parse_model(bencher: Bencher, size: Size) {
    let text = postmortem(size.bytes());
    let config = Config::default();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench_local(|| parse::parse(&text, &config.kinds));
}

#[divan::bench(args = SIZES, max_time = 3)]
fn timeline_build(bencher: Bencher, size: Size) {
    let text = postmortem(size.bytes());
    let config = Config::default();
    let doc = parse::parse(&text, &config.kinds);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench_local(|| timeline::build(&doc, &config));
}

#[divan::bench(args = SIZES, max_time = 3)]
fn actions_extract(bencher: Bencher, size: Size) {
    let text = postmortem(size.bytes());
    let config = Config::default();
    let doc = parse::parse(&text, &config.kinds);
    let tl = timeline::build(&doc, &config);
    let incident = actions::incident_date(&tl);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench_local(|| actions::extract(&doc, incident));
}

#[divan::bench(args = SIZES, max_time = 3)]
fn rules_run(bencher: Bencher, size: Size) {
    let text = postmortem(size.bytes());
    let config = Config::default();
    let doc = parse::parse(&text, &config.kinds);
    let tl = timeline::build(&doc, &config);
    let items = actions::extract(&doc, actions::incident_date(&tl));
    bencher
        .counter(BytesCount::of_str(&text))
        .bench_local(|| rules::run(&doc, &tl, &items, &config));
}

#[divan::bench(args = LINT_SIZES, max_time = 5)]
fn lint_source(bencher: Bencher, size: Size) {
    let text = postmortem(size.bytes());
    let config = Config::default();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench_local(|| pmlint::lint_source(&text, &config));
}

/// A small deterministic generator (splitmix64): the same documents on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        // The lists are short: the index fits and the modulo bias does not matter here.
        from[(self.next() % from.len() as u64) as usize]
    }
}

const SERVICE: &str = "checkout";
const EVENTS: &[&str] = &[
    "On-call engineer acknowledged the page",
    "Dashboards show p99 latency above 4 s for checkout",
    "Rolled back the most recent deploy of checkout",
    "Customer support reports failed payments",
    "Mitigation applied: traffic shifted to the secondary region",
    "Error rate back under 1%",
    "Database failover started",
    "Replication lag recovered",
    "Status page updated",
    "Cache warmed and hit rate back to normal",
    "Errors rise again on the payment hosts; rollback paused",
    "Scaled the connection pool from 50 to 200",
];
const OWNERS: &[&str] = &[
    "@alice",
    "@bob",
    "@chen",
    "@dara",
    "SRE team",
    "Platform team",
];
const ACTIONS: &[&str] = &[
    "Add an alert on connection pool saturation",
    "Require canary deploys for config changes",
    "Document the rollback procedure in the runbook",
    "Load test the new limits before rollout",
    "Page the database on-call for replication lag",
];
const FACTORS: &[&str] = &[
    "The pool limit was lowered in a change reviewed as a no-op, and the canary ran for two \
     minutes, too short to see the queue build up.",
    "Retries from the mobile clients tripled the load once errors began, and the rate limiter \
     counted them as new sessions.",
    "The failover runbook named a host retired last year, which cost twenty minutes before \
     anyone found the current one.",
];
// Minutes between two entries: bursts of activity, then quieter stretches.
const STEPS: &[i64] = &[1, 2, 3, 4, 5, 7, 10, 12, 15, 20, 30, 45];

/// Writes timeline entries: a day heading when the date changes, and each day in turn a
/// list or a table, as long incidents are often written.
#[derive(Default)]
struct Entries {
    out: String,
    day: Option<NaiveDate>,
    days: usize,
    table: bool,
}

impl Entries {
    fn push(&mut self, at: NaiveDateTime, text: &str) {
        if self.day != Some(at.date()) {
            if self.table {
                self.out.push('\n');
            }
            if self.day.is_some() {
                let _ = write!(self.out, "\n### {}\n\n", at.format("%A, %B %-d, %Y"));
            }
            self.table = self.days % 2 == 1;
            if self.table {
                self.out.push_str("| Time | Event |\n|---|---|\n");
            }
            self.day = Some(at.date());
            self.days += 1;
        }
        if self.table {
            let _ = writeln!(self.out, "| {} | {text} |", at.format("%H:%M"));
        } else {
            let _ = writeln!(self.out, "- {} UTC — {text}", at.format("%H:%M"));
        }
    }
}

/// A postmortem of about `target` bytes (within a few hundred). One entry in eight brings an
/// action item and one in forty an analysis section, so every part grows with the incident.
fn postmortem(target: usize) -> String {
    let mut rng = Rng(12);
    let start = NaiveDate::from_ymd_opt(2019, 3, 4)
        .and_then(|d| d.and_hms_opt(9, 12, 0))
        .unwrap_or(NaiveDateTime::MIN);
    let mut at = start;
    let mut timeline = Entries::default();
    let mut actions = String::new();
    let mut analysis = String::new();
    let mut entries = 0usize;
    // The fixed parts (front matter, summary, impact, resolution, closing) come to ~800 bytes.
    while 800 + timeline.out.len() + actions.len() + analysis.len() < target || entries < 4 {
        let text = match entries {
            0 => "Deploy of checkout started; errors begin",
            1 => "Alert fired for elevated 5xx rate on checkout",
            _ => rng.pick(EVENTS),
        };
        timeline.push(at, text);
        entries += 1;
        if entries.is_multiple_of(8) {
            let due = at.date() + Duration::days(14 + (entries / 8 % 30) as i64);
            let _ = writeln!(
                actions,
                "| {} | {} | {} | OPS-{} |",
                rng.pick(ACTIONS),
                rng.pick(OWNERS),
                due.format("%Y-%m-%d"),
                1000 + rng.next() % 9000
            );
        }
        if entries.is_multiple_of(40) {
            let _ = write!(
                analysis,
                "\n### Contributing factor {}\n\n{}\n",
                entries / 40,
                rng.pick(FACTORS)
            );
        }
        at += Duration::minutes(STEPS[(rng.next() % STEPS.len() as u64) as usize]);
    }
    // The last entry closes the incident: the end of the window the summary states.
    let end = at;
    timeline.push(end, "Incident resolved; follow-ups filed");
    let timeline = timeline.out;
    let minutes = (end - start).num_minutes();
    let mut out = String::with_capacity(target + 1024);
    let _ = write!(
        out,
        "---\ntitle: Checkout outage\ndate: {date}\nseverity: SEV2\n---\n\n\
         # Checkout outage on {day}\n\n## Summary\n\n\
         From {from} to {to} UTC the {SERVICE} service failed {pct}% of payments. The trigger \
         was a configuration change that lowered the connection pool limit.\n\n\
         **Duration:** {length}\n\n## Impact\n\n\
         Customers saw errors at checkout; 412 support tickets were opened.\n\n\
         ## Timeline (all times UTC)\n\n{timeline}\n\
         ## Root cause\n\nA configuration change lowered the connection pool limit from 200 \
         to 50.\n{analysis}\n\
         ## Action items\n\n| Action | Owner | Due | Ticket |\n|---|---|---|---|\n\
         | Add an alert on connection pool saturation | @alice | {due} | OPS-1042 |\n{actions}\n\
         ## What went well\n\n- Alerting paged within minutes.\n",
        date = start.format("%Y-%m-%d"),
        day = start.format("%B %-d, %Y"),
        from = start.format("%B %-d, %Y %H:%M"),
        to = end.format("%B %-d, %Y %H:%M"),
        pct = 5 + rng.next() % 50,
        length = match minutes / 60 {
            0 => format!("{} minutes", minutes % 60),
            h => format!("{h} hours {} minutes", minutes % 60),
        },
        due = (end.date() + Duration::days(14)).format("%Y-%m-%d"),
    );
    out
}
