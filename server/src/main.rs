//! `aura`: the language server (`aura lsp`) and the command-line interface
//! (`aura check`, `aura config`). Only this crate knows LSP and the CLI.

mod cli;
mod doctor;
mod logging;
mod lsp;
mod settings;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    if !matches!(args.command, cli::Command::Lsp(_)) {
        restore_sigpipe();
    }
    let default_level = match args.command {
        cli::Command::Lsp(_) => "info",
        _ => "warn",
    };
    if let Err(err) = logging::init(args.log_file.as_deref(), default_level) {
        eprintln!("aura: cannot open log file: {err}");
        return ExitCode::from(2);
    }
    match args.command {
        cli::Command::Lsp(_) => run_lsp(),
        cli::Command::Check(check) => cli::check::run(check),
        cli::Command::Config(config) => cli::config::run(config),
        cli::Command::Metrics(metrics) => cli::metrics::run(metrics),
        cli::Command::Embed(args) => cli::embed::run(args),
        cli::Command::Tda(args) => cli::tda::run(args),
        cli::Command::Shape(args) => cli::shape::shape(args),
        cli::Command::Similar(args) => cli::shape::similar(args),
        cli::Command::Rules => cli::rules::list(),
        cli::Command::Rule(rule) => cli::rules::show(&rule.code),
        cli::Command::Programs(args) => cli::dispatch::programs(args.format),
        cli::Command::Tiers(args) => cli::dispatch::tiers(args.format),
        cli::Command::Modules(args) => cli::dispatch::modules(args),
        cli::Command::Route(args) => cli::dispatch::route(args),
        cli::Command::Prompt(args) => cli::dispatch::prompt(args),
        cli::Command::Ask(args) => cli::ai::ask(args),
        cli::Command::RunProgram(args) => cli::ai::run_program(args),
        cli::Command::Doctor(args) => cli::ai::doctor(args),
        cli::Command::Impact(args) => cli::git::impact_cmd(args),
        cli::Command::Hotspots(args) => cli::git::hotspots_cmd(args),
        cli::Command::CommitMsg(args) => cli::git::commit_msg_cmd(args),
        cli::Command::BranchName(args) => cli::git::branch_name_cmd(args),
        cli::Command::Eval(cli::EvalCommand::Routing(args)) => cli::dispatch::eval_routing(args),
        cli::Command::Feedback(cli::FeedbackCommand::Reset(args)) => cli::dispatch::feedback_reset(args),
    }
}

/// Rust ignores SIGPIPE, so `aura check | head` would make every later
/// `println!` panic. A command-line tool should end quietly instead, as
/// `cat` does. The language server keeps the default: a closed stdout there
/// is handled as the client going away.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread exists; SIG_DFL
    // is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run_lsp() -> ExitCode {
    // Few blocking threads: each one keeps a parser and a malloc arena, and
    // analysis is CPU-bound, so more threads than cores only cost memory.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.min(4))
        .max_blocking_threads(cores.clamp(2, 8))
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("aura: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let clean = runtime.block_on(lsp::serve());
    // Do not wait for lingering blocking tasks (a long parse) once the client said exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
