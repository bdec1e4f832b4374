//! `pmlint stats` on the command line: its arguments and the run. The figures and their
//! outputs are the library's (`pmlint::stats`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use pmlint::Config;
use pmlint::discover::{self, Discovery};
use pmlint::runner::Input;

use crate::cli::{EXIT_TROUBLE, InputArgs, emit, open_output, output_error, persist_output};

#[derive(clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    input: InputArgs,
    /// How to group the incidents.
    #[arg(long, value_enum, default_value_t = ByArg::Month)]
    by: ByArg,
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    format: StatsFormat,
    /// Also write a self-contained HTML page with charts to this file (atomically).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Measure overdue action items against this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    today: Option<chrono::NaiveDate>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ByArg {
    Month,
    Quarter,
    Year,
    Severity,
    Service,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatsFormat {
    Table,
    Json,
    Csv,
}

/// `pmlint stats`: discover, collect, write the HTML page if asked, print the figures.
pub fn run(args: StatsArgs) -> ExitCode {
    use pmlint::stats::{self, By};
    let mut resolver = match args.input.config.resolver(Config::default(), |r| r) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Discovery { inputs, mut log } = match args.input.discover("stats", &mut resolver) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let by = match args.by {
        ByArg::Month => By::Month,
        ByArg::Quarter => By::Quarter,
        ByArg::Year => By::Year,
        ByArg::Severity => By::Severity,
        ByArg::Service => By::Service,
    };
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let names: Vec<String> = inputs.iter().map(Input::display).collect();
    let figures = stats::collect(inputs, &mut resolver, by, today);
    // What a walk skipped, for the notes at the end (as `check` reports them).
    let counted: std::collections::HashSet<&str> = figures
        .incidents
        .iter()
        .map(|i| i.path.as_str())
        .chain(figures.unusable.iter().map(|u| u.path.as_str()))
        .collect();
    for (i, name) in names.iter().enumerate() {
        let skipped = (!counted.contains(name.as_str())).then_some(discover::Skip::Content);
        log.saw(i, name, skipped.as_ref());
    }
    if let Some(path) = &args.html {
        let page = stats::html::render_with_base(&figures, link_base(path).as_deref());
        let written = open_output(path).and_then(|mut tmp| {
            tmp.write_all(page.as_bytes())?;
            // A page to share: readable as a file written by the user would be (a temporary
            // file is private), or as the one it replaces.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
                tmp.as_file()
                    .set_permissions(std::fs::Permissions::from_mode(mode))?;
            }
            persist_output(std::io::BufWriter::new(tmp), path)
        });
        if let Err(e) = written {
            eprintln!(
                "pmlint: cannot write {}: {}",
                path.display(),
                output_error(&e)
            );
            return ExitCode::from(EXIT_TROUBLE);
        }
    }
    for line in log.messages(args.input.verbose) {
        eprintln!("{line}");
    }
    let text = match args.format {
        StatsFormat::Table => stats::output::table(&figures),
        StatsFormat::Json => stats::output::json(&figures),
        StatsFormat::Csv => stats::output::csv(&figures),
    };
    emit(text)
}

/// The way from the directory an HTML report is written in back to the current directory
/// (which the report's file paths are relative to), as a relative URL path (`../`); None when
/// they are the same or either cannot be resolved.
fn link_base(page: &std::path::Path) -> Option<String> {
    let here = std::env::current_dir().ok()?.canonicalize().ok()?;
    let dir = match page.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.canonicalize().ok()?,
        _ => return None,
    };
    if dir == here {
        return None;
    }
    let common = dir
        .components()
        .zip(here.components())
        .take_while(|(a, b)| a == b)
        .count();
    let up = dir.components().count() - common;
    let down: Vec<String> = here
        .components()
        .skip(common)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let mut base = "../".repeat(up);
    for part in down {
        base.push_str(&part);
        base.push('/');
    }
    Some(base)
}
