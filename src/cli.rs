//! Command-line interface: argument definitions and the commands they run.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use pmlint::Config;
use pmlint::config_file::Resolver;
use pmlint::discover::{self, Discovery};
use pmlint::report::{self, Reporter};
use pmlint::rules::{self, RULES};
use pmlint::runner::{self, Input};

#[derive(Parser)]
#[command(
    name = "pmlint",
    version,
    about = "Validates incident postmortems and checks their timelines",
    after_long_help = "Each command has its own manual page: `pmlint man check` prints one, \
                       `pmlint man --out-dir DIR` writes them all."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check postmortems (files, directories, or `-` for stdin) and report problems.
    Check(CheckArgs),
    /// Explain one rule: what it catches, why, an example and the fix.
    Rule {
        /// Rule code (`PM001`) or name (`missing-section`).
        rule: String,
    },
    /// List the action items of postmortems (files or directories) with owner, due date and ticket.
    Actions {
        #[command(flatten)]
        input: InputArgs,
        #[arg(long, value_enum, default_value_t = ActionsFormat::Table)]
        format: ActionsFormat,
    },
    /// Start a postmortem from a template that already passes the structure checks.
    New(NewArgs),
    /// Configuration tools: `--schema` prints the JSON Schema of pmlint.toml.
    Config {
        #[arg(long)]
        schema: bool,
    },
    /// Write a commented starter pmlint.toml in the current directory (never overwrites).
    Init,
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    Completions { shell: clap_complete::Shell },
    /// Print a manual page (roff): pmlint(1), or one command's page, or write them all.
    Man {
        /// The command whose page to print (`check`, `new`, ...); none for pmlint(1).
        command: Option<String>,
        /// Write pmlint.1 and every pmlint-COMMAND.1 into this directory instead.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        out_dir: Option<PathBuf>,
    },
    /// Print the resolved timeline of a postmortem: entries, offsets, window and metrics.
    Timeline {
        /// The postmortem (`-` for standard input).
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = TimelineFormat::Table)]
        format: TimelineFormat,
        /// With `--format mermaid`: wrap the diagram in a ```mermaid fence, to paste into
        /// markdown.
        #[arg(long)]
        fence: bool,
        /// Name of standard input (with `-`); its pmlint.toml is looked up from there.
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<String>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Run a language server (LSP) over stdin/stdout, for editors: diagnostics as you type,
    /// quick fixes, hover on timestamps, the section outline.
    Server,
    /// Figures over a folder of postmortems: time to detect, mitigate and resolve per month,
    /// quarter, year, severity or service; action items; a table, JSON, CSV or an HTML page.
    Stats(crate::stats_cli::StatsArgs),
    /// Print the document model pmlint builds from a file (for debugging rules).
    #[command(hide = true)]
    Model { path: PathBuf },
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
}

#[derive(clap::Args)]
struct NewArgs {
    /// The file to write (default: `YYYY-MM-DD-slug.md` in the configured directory, else here).
    output: Option<PathBuf>,
    /// The incident's title.
    #[arg(long)]
    title: Option<String>,
    /// When it started (anything the timeline scanner reads: `2026-11-20 14:02 UTC`);
    /// without it the draft has a `YYYY-MM-DD HH:MM` prompt.
    #[arg(long)]
    start: Option<String>,
    /// When it ended (not before --start; a time alone is on the start's day).
    #[arg(long)]
    end: Option<String>,
    /// Severity (`SEV-1` ...).
    #[arg(long)]
    severity: Option<String>,
    /// The zone the draft is written in: `PST`, `Europe/Berlin`, `UTC-8` (default: the one in
    /// --start, else UTC).
    #[arg(long)]
    timezone: Option<String>,
    /// Extra front matter or summary values, repeated: `--set owner="storefront on-call"`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Template name (`pmlint new --list`).
    #[arg(long, default_value = "default")]
    template: String,
    /// List the templates.
    #[arg(long)]
    list: bool,
    /// Print the draft instead of writing it.
    #[arg(long)]
    stdout: bool,
    /// Replace an existing file.
    #[arg(long)]
    force: bool,
}

/// Which pmlint.toml applies, for every command that reads postmortems.
#[derive(clap::Args)]
pub(crate) struct ConfigArgs {
    /// Use this configuration file for every file (instead of the nearest pmlint.toml).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore every pmlint.toml.
    #[arg(long)]
    no_config: bool,
}

/// What to read, for the commands that take many files.
#[derive(clap::Args)]
pub(crate) struct InputArgs {
    /// Files or directories; `-` reads standard input. Default: the current directory.
    /// Directories are walked for postmortems (README, CHANGELOG and documents with no
    /// timeline and no required section are skipped); a file named here is always read.
    paths: Vec<PathBuf>,
    /// Name of standard input (with `-`), for the report and to find its pmlint.toml.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Treat files named on the command line as a directory walk does: apply pmlint.toml's
    /// `include`/`exclude` and skip files that are not postmortems (for pre-commit hooks).
    #[arg(long)]
    force_exclude: bool,
    /// List every skipped file, with the reason, on standard error.
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to use colour (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// Write the report to this file instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Report but never fail (exit 0 even with errors): for gradual adoption.
    #[arg(long)]
    exit_zero: bool,
    /// Only these rules (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Not these rules (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Review profile: `strict` requires an owner and a due date on every action item and
    /// raises vague actions and blaming language to warnings.
    #[arg(long, value_enum, default_value_t = ProfileArg::Default)]
    profile: ProfileArg,
    /// Findings listed per rule and file; the rest become one "and N more" finding, still
    /// counted in the totals and the exit code. 0 lists them all.
    #[arg(long, value_name = "N", default_value_t = rules::MAX_PER_RULE)]
    max_per_rule: usize,
    /// Apply the safe fixes (`pmlint rule CODE` says which rules have them) and report what
    /// is left. Each file is rewritten atomically, only if unchanged since it was read;
    /// standard input's fixed text goes to standard output (the report to standard error).
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: apply the unsafe fixes too (guesses such as a date or AM/PM).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change and write nothing; exit 1 when there
    /// is something to fix.
    #[arg(long)]
    diff: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Default,
    Strict,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
    /// The full reference, as `docs/rules.md`.
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum TimelineFormat {
    Table,
    Json,
    Csv,
    Mermaid,
}

#[derive(Clone, Copy, ValueEnum)]
enum ActionsFormat {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Exit codes: 0 clean, 1 findings that fail the check, 2 pmlint could not do its job.
const EXIT_FINDINGS: u8 = 1;
pub(crate) const EXIT_TROUBLE: u8 = 2;

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rule { rule } => explain(&rule),
        Command::Rules { format } => list(format),
        Command::Model { path } => model(&path),
        Command::Timeline {
            path,
            format,
            fence,
            stdin_filename,
            config,
        } => timeline(&path, stdin_filename, &config, format, fence),
        Command::Actions { input, format } => actions(input, format),
        Command::Stats(args) => crate::stats_cli::run(args),
        Command::Config { schema } => {
            if schema {
                emit(format!("{:#}\n", pmlint::config_file::schema()))
            } else {
                eprintln!("pmlint: `pmlint config --schema` prints the JSON Schema of pmlint.toml");
                ExitCode::from(EXIT_TROUBLE)
            }
        }
        Command::Init => init(),
        Command::Server => pmlint::server::run(),
        Command::New(args) => new(args),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "pmlint",
                &mut buf,
            );
            emit(String::from_utf8_lossy(&buf).into_owned())
        }
        Command::Man { command, out_dir } => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let done = match out_dir {
                Some(dir) => crate::man::write_all(cmd, &dir).map(|n| {
                    eprintln!("wrote {n} manual pages into {}", dir.display());
                    ExitCode::SUCCESS
                }),
                None => crate::man::page(cmd, command.as_deref())
                    .map(|roff| emit(String::from_utf8_lossy(&roff).into_owned())),
            };
            done.unwrap_or_else(|e| {
                eprintln!("pmlint: {e}");
                ExitCode::from(EXIT_TROUBLE)
            })
        }
    }
}

impl ConfigArgs {
    /// The configuration every command uses: the nearest pmlint.toml above each file,
    /// `--config FILE` for all, or none. A `--config` that cannot be used is one error up
    /// front, naming it.
    pub(crate) fn resolver(
        &self,
        base: Config,
        overrides: impl FnOnce(Resolver) -> Resolver,
    ) -> Result<Resolver, ExitCode> {
        let resolver = Resolver::new(base, self.config.clone(), self.no_config);
        let mut resolver = overrides(resolver);
        match resolver.explicit_error() {
            Some(e) => {
                eprintln!("pmlint: --config {e}");
                Err(ExitCode::from(EXIT_TROUBLE))
            }
            None => Ok(resolver),
        }
    }
}

impl InputArgs {
    /// The paths to read (default: the current directory), and how, or a usage error.
    pub(crate) fn discover(
        &self,
        sub: &str,
        resolver: &mut Resolver,
    ) -> Result<Discovery, ExitCode> {
        let stdin = self.paths.iter().any(|p| p.as_os_str() == "-");
        if self.stdin_filename.is_some() && !stdin {
            return Err(stdin_name_without_dash(sub));
        }
        let paths = if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        };
        let options = discover::Options {
            stdin_name: self.stdin_filename.as_deref(),
            force_exclude: self.force_exclude,
        };
        Ok(discover::discover(&paths, &options, resolver))
    }
}

/// `--stdin-filename` without `-` would silently check the current directory instead.
fn stdin_name_without_dash(sub: &str) -> ExitCode {
    let mut cli = <Cli as clap::CommandFactory>::command();
    // Built, so the usage line says `pmlint check`.
    cli.build();
    let message = format!(
        "--stdin-filename names standard input, which is read only when `-` is given: `pmlint {sub} - --stdin-filename NAME`"
    );
    let err = match cli.find_subcommand_mut(sub) {
        Some(cmd) => cmd.error(clap::error::ErrorKind::ArgumentConflict, message),
        None => cli.error(clap::error::ErrorKind::ArgumentConflict, message),
    };
    let _ = err.print();
    ExitCode::from(EXIT_TROUBLE)
}

fn check(mut args: CheckArgs) -> ExitCode {
    let mut config = Config {
        profile: match args.profile {
            ProfileArg::Default => pmlint::Profile::Default,
            ProfileArg::Strict => pmlint::Profile::Strict,
        },
        max_per_rule: args.max_per_rule,
        ..Config::default()
    };
    // `--select "PM201, PM202"`: the space after a comma is not part of a name.
    let trim = |names: &mut Vec<String>| {
        names.iter_mut().for_each(|n| *n = n.trim().to_string());
        names.retain(|n| !n.is_empty());
    };
    trim(&mut args.select);
    trim(&mut args.ignore);
    if args.unsafe_fixes && !(args.fix || args.diff) {
        eprintln!("pmlint: --unsafe-fixes applies with --fix or --diff");
        return ExitCode::from(EXIT_TROUBLE);
    }
    let mode = match (args.diff, args.fix) {
        (true, _) => runner::Mode::Fix {
            unsafe_fixes: args.unsafe_fixes,
            write: false,
        },
        (false, true) => runner::Mode::Fix {
            unsafe_fixes: args.unsafe_fixes,
            write: true,
        },
        (false, false) => runner::Mode::Check,
    };
    // `--fix -`: the fixed text is standard output, so the report goes to standard error.
    let fix_stdin = args.fix && !args.diff && args.input.paths.iter().any(|p| p.as_os_str() == "-");
    for name in args.select.iter().chain(&args.ignore) {
        if rules::find(name).is_none() {
            let names = RULES.iter().flat_map(|r| [r.code, r.name]);
            let hint = pmlint::config_file::did_you_mean(name, names)
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            eprintln!("pmlint: no rule `{name}`; {hint}`pmlint rules` lists them");
            return ExitCode::from(EXIT_TROUBLE);
        }
    }
    if !args.select.is_empty() {
        for r in RULES {
            if !args
                .select
                .iter()
                .any(|n| rules::find(n).is_some_and(|f| f.code == r.code))
            {
                config.severity.insert(r.code, pmlint::Severity::Off);
            } else if rules::severity_in_profile(r, config.profile) == pmlint::Severity::Off {
                // Selecting a rule that is off by default turns it on as a warning.
                config.severity.insert(r.code, pmlint::Severity::Warning);
            }
        }
    }
    for name in &args.ignore {
        if let Some(r) = rules::find(name) {
            config.severity.insert(r.code, pmlint::Severity::Off);
        }
    }
    // Decide colour once (NO_COLOR, CLICOLOR_FORCE and the terminal are honoured by anstream);
    // plain output is then written without any escape codes to strip.
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let styled = match args.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if fix_stdin => {
            anstream::AutoStream::choice(&stderr) != anstream::ColorChoice::Never
        }
        ColorWhen::Auto => anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never,
    };
    let styled = styled && args.output.is_none();
    // `--output`: the report streams into a temporary file beside it, renamed over it once
    // complete, so it is never held in memory and a reader never sees half of it.
    let mut file_out = match args.output.as_deref().map(open_output).transpose() {
        Ok(f) => f.map(std::io::BufWriter::new),
        Err(e) => {
            let path = args.output.as_deref().unwrap_or(std::path::Path::new("-"));
            eprintln!(
                "pmlint: cannot write {}: {}",
                path.display(),
                output_error(&e)
            );
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let mut out: Box<dyn Write> = match &mut file_out {
        Some(f) => Box::new(f),
        None if fix_stdin => Box::new(std::io::BufWriter::new(stderr.lock())),
        None => Box::new(std::io::BufWriter::new(stdout.lock())),
    };
    let terminal = std::io::IsTerminal::is_terminal(&stdout) && args.output.is_none();
    let mut reporter: Box<dyn Reporter> = match (args.format, styled) {
        _ if args.diff => Box::new(report::Diff { visible: terminal }),
        (Format::Human, true) => Box::new(report::Human::default()),
        (Format::Human, false) => Box::new(report::Human::plain()),
        (Format::Json, _) => Box::new(report::Json::default()),
        (Format::Sarif, _) => Box::new(report::Sarif::default()),
        (Format::Github, _) => Box::new(report::Github),
        (Format::Junit, _) => Box::new(report::Junit::new(args.deny_warnings)),
    };
    // Command-line choices override the files: they are the base every file starts from, and
    // are applied again after it (flags win).
    let overrides = config.severity.clone();
    let cli_profile = matches!(args.profile, ProfileArg::Strict);
    let mut resolver = match args
        .input
        .config
        .resolver(config, |r| r.with_overrides(overrides, cli_profile))
    {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Discovery { inputs, mut log } = match args.input.discover("check", &mut resolver) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut index = 0;
    let mut fixed_stdin = None;
    let mut fix_errors = Vec::new();
    let mut observe = |r: &runner::FileReport| {
        log.saw(index, &r.path, r.skipped.as_ref());
        index += 1;
        if let Some(f) = &r.fixed {
            if let Some(text) = &f.output {
                fixed_stdin = Some(text.clone());
            }
            if let Some(e) = &f.error {
                fix_errors.push(format!("pmlint: {}: not fixed: {e}", r.path));
            }
        }
        // A diff has no room for a file's error: it goes to standard error.
        if let (true, Some(e)) = (args.diff, &r.error) {
            fix_errors.push(format!("pmlint: {}: {e}", r.path));
        }
    };
    let result = report::run_observed(
        inputs,
        &mut resolver,
        mode,
        reporter.as_mut(),
        &mut out,
        &mut observe,
    )
    .and_then(|s| {
        out.flush()?;
        Ok(s)
    });
    drop(out);
    if let (Some(path), Some(file)) = (&args.output, file_out)
        && result.is_ok()
        && let Err(e) = persist_output(file, path)
    {
        eprintln!(
            "pmlint: cannot write {}: {}",
            path.display(),
            output_error(&e)
        );
        return ExitCode::from(EXIT_TROUBLE);
    }
    for line in log.messages(args.input.verbose) {
        eprintln!("{line}");
    }
    for line in &fix_errors {
        eprintln!("{}", report::visible_line(line));
    }
    if let Some(text) = fixed_stdin
        && let Err(e) = std::io::stdout().lock().write_all(text.as_bytes())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("pmlint: cannot write output: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    let summary = match result {
        Ok(s) => s,
        // A closed pipe (`pmlint check | head`) is the reader's choice, not a failure to report.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pmlint: cannot write output: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    if let runner::Mode::Fix { unsafe_fixes, .. } = mode {
        eprintln!("{}", fix_summary(&summary, args.diff, unsafe_fixes));
    }
    if summary.unreadable > 0 || summary.fix_failures > 0 {
        ExitCode::from(EXIT_TROUBLE)
    } else if args.diff {
        ExitCode::from(if summary.fixes > 0 { EXIT_FINDINGS } else { 0 })
    } else if args.exit_zero {
        ExitCode::SUCCESS
    } else if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The line `--fix` and `--diff` end with: what was (or would be) fixed, and what is left.
fn fix_summary(s: &report::Summary, diff: bool, unsafe_fixes: bool) -> String {
    let files = |n: usize| {
        if n == 1 {
            "1 file".to_string()
        } else {
            format!("{n} files")
        }
    };
    let fixes = |n: usize| {
        if n == 1 {
            "1 fix".to_string()
        } else {
            format!("{n} fixes")
        }
    };
    let hint = match s.unsafe_fixable {
        0 => String::new(),
        _ if unsafe_fixes => String::new(),
        1 => " (1 unsafe fix: add --unsafe-fixes)".to_string(),
        n => format!(" ({n} unsafe fixes: add --unsafe-fixes)"),
    };
    if diff {
        return match s.fixes {
            0 => format!("pmlint: nothing to fix{hint}"),
            n => format!(
                "pmlint: would apply {} to {}{hint}",
                fixes(n),
                files(s.files_fixed)
            ),
        };
    }
    let left = s.errors + s.warnings + s.infos;
    let left = match left {
        0 => "no findings left".to_string(),
        1 => "1 finding left".to_string(),
        n => format!("{n} findings left"),
    };
    match s.fixes {
        0 => format!("pmlint: nothing fixed{hint}; {left}"),
        n => format!(
            "pmlint: applied {} to {}; {left}{hint}",
            fixes(n),
            files(s.files_fixed)
        ),
    }
}

fn new(args: NewArgs) -> ExitCode {
    let mut resolver = pmlint::config_file::Resolver::new(Config::default(), None, false);
    let config = match resolver.for_file(Some(std::path::Path::new("./new.md"))) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pmlint: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let all = pmlint::new::templates(config.templates_dir.as_deref());
    if args.list {
        let width = all.iter().map(|t| t.name.len()).max().unwrap_or(0);
        return emit(
            all.iter()
                .map(|t| format!("{:<width$}  {}\n", t.name, t.description))
                .collect(),
        );
    }
    let values = pmlint::new::Values {
        title: args.title,
        start: args.start,
        end: args.end,
        severity: args.severity,
        timezone: args.timezone,
        set: args.set,
    };
    let rendered = pmlint::new::find(&all, &args.template)
        .and_then(|t| pmlint::new::render(t, &values, chrono::Utc::now()));
    let (text, name) = match rendered {
        Ok(r) => r,
        Err(e) => {
            eprintln!("pmlint: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    if args.stdout {
        return emit(text);
    }
    let path = args.output.unwrap_or_else(|| {
        config
            .postmortems_dir
            .clone()
            .unwrap_or_default()
            .join(&name)
    });
    match pmlint::new::write(&path, &text, args.force) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pmlint: {e}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

fn init() -> ExitCode {
    let path = std::path::Path::new(pmlint::config_file::FILE_NAMES[0]);
    if path.exists() {
        eprintln!(
            "pmlint: {} already exists; not overwriting it",
            path.display()
        );
        return ExitCode::from(EXIT_TROUBLE);
    }
    // create_new: never replace a file that appeared since the check.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(pmlint::config_file::STARTER.as_bytes()));
    match written {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pmlint: cannot write {}: {e}", path.display());
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

/// A temporary file in the directory of `path`, to write a report into (the name is ours,
/// so errors name the kind of failure, never it).
pub(crate) fn open_output(path: &std::path::Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    tempfile::NamedTempFile::new_in(dir)
}

pub(crate) fn output_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "its directory does not exist".into(),
        kind => kind.to_string(),
    }
}

/// Flushes and syncs the finished report and renames it over `path`.
pub(crate) fn persist_output(
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    path: &std::path::Path,
) -> std::io::Result<()> {
    let tmp = file.into_inner().map_err(|e| e.into_error())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn explain(key: &str) -> ExitCode {
    let Some(rule) = rules::find(key) else {
        eprintln!("pmlint: no rule `{key}`; `pmlint rules` lists them");
        return ExitCode::from(EXIT_TROUBLE);
    };
    let fix = match rule.fix {
        Some(a) => format!(
            "Fix: {} (`pmlint check --fix{}` applies it)",
            a.as_str(),
            if a == pmlint::fix::Applicability::Unsafe {
                " --unsafe-fixes"
            } else {
                ""
            }
        ),
        None => "Fix: none (the suggestion is advice)".to_string(),
    };
    emit(format!(
        "# {} {}\n\nDefault severity: {}\n{fix}\n\n{}\n",
        rule.code,
        rule.name,
        rule.default_severity,
        rule.docs.trim_end()
    ))
}

fn list(format: ListFormat) -> ExitCode {
    let text = match format {
        ListFormat::Human => RULES
            .iter()
            .map(|r| {
                format!(
                    "{}  {:<20} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.default_severity.as_str(),
                    r.summary
                )
            })
            .collect(),
        ListFormat::Json => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name,
                        "severity": r.default_severity, "summary": r.summary,
                        "fix": r.fix,
                    })
                })
                .collect();
            format!("{}\n", serde_json::json!({ "rules": rules }))
        }
        ListFormat::Markdown => rules::reference_markdown(),
    };
    emit(text)
}

fn model(path: &std::path::Path) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("pmlint: {}: {e}", path.display());
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let config = Config::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let doc = pmlint::parse::parse(text, &config.kinds);
    let line = |o: usize| doc.lines.line_of(o) + 1;
    let mut out = format!("title: {:?}\n", doc.title.as_ref().map(|t| &t.text));
    for s in &doc.sections {
        let kinds: Vec<&str> = s.kinds.iter().map(|k| config.kinds.name(k)).collect();
        out.push_str(&format!(
            "{:>4} {}{} [{:?}] {:?}{}\n",
            line(s.heading_span.start),
            "  ".repeat(s.level as usize),
            s.title,
            s.form,
            kinds,
            if s.qualified { " qualified" } else { "" }
        ));
    }
    for f in &doc.fields {
        out.push_str(&format!(
            "{:>4} field {} = {:?}\n",
            line(f.span.start),
            f.name.as_str(),
            f.value
        ));
    }
    emit(out)
}

fn timeline(
    path: &std::path::Path,
    stdin_filename: Option<String>,
    config: &ConfigArgs,
    format: TimelineFormat,
    fence: bool,
) -> ExitCode {
    let input = if path.as_os_str() == "-" {
        Input::Stdin(stdin_filename.unwrap_or_else(|| runner::STDIN_NAME.into()))
    } else if stdin_filename.is_some() {
        return stdin_name_without_dash("timeline");
    } else {
        Input::File(path.to_path_buf())
    };
    let mut resolver = match config.resolver(Config::default(), |r| r) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let (text, config) = match runner::read_configured(&input, &mut resolver) {
        Ok(read) => read,
        Err(e) => {
            eprintln!("pmlint: {}: {e}", input.display());
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let doc = pmlint::parse::parse(text, &config.kinds);
    let tl = pmlint::timeline::build(&doc, &config);
    let report = report::timeline::build(&doc, &tl);
    let out = match format {
        TimelineFormat::Table => report::timeline::table(&report),
        TimelineFormat::Csv => report::timeline::csv(&report),
        TimelineFormat::Mermaid if fence => {
            format!("```mermaid\n{}```\n", report::timeline::mermaid(&report))
        }
        TimelineFormat::Mermaid => report::timeline::mermaid(&report),
        TimelineFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!("pmlint: {e}");
                return ExitCode::from(EXIT_TROUBLE);
            }
        },
    };
    emit(out)
}

fn actions(args: InputArgs, format: ActionsFormat) -> ExitCode {
    let mut resolver = match args.config.resolver(Config::default(), |r| r) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Discovery { inputs, mut log } = match args.discover("actions", &mut resolver) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let (rows, failed) = report::actions::collect(&inputs, &mut resolver, &mut log);
    for (path, e) in &failed {
        eprintln!("pmlint: {path}: {e}");
    }
    for line in log.messages(args.verbose) {
        eprintln!("{line}");
    }
    let out = match format {
        ActionsFormat::Json => format!("{}\n", serde_json::json!({ "actions": rows })),
        ActionsFormat::Csv => report::actions::csv(&rows),
        ActionsFormat::Table => report::actions::table(&rows),
    };
    let code = emit(out);
    if !failed.is_empty() {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        code
    }
}

/// Writes to stdout; a reader that closed the pipe early (`| head`) is not an error.
pub(crate) fn emit(text: String) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("pmlint: cannot write output: {e}");
            ExitCode::from(EXIT_TROUBLE)
        }
        _ => ExitCode::SUCCESS,
    }
}
