//! `aura config`: the effective configuration, one setting per line, with its origin.

use std::process::ExitCode;

use super::ConfigArgs;
use crate::settings;

pub fn run(args: ConfigArgs) -> ExitCode {
    if args.schema {
        print!("{}", aura_config::json_schema());
        return ExitCode::SUCCESS;
    }
    let root = std::env::current_dir().unwrap_or_else(|_| ".".into());
    match settings::resolve_with(&root, Vec::new()) {
        Ok(resolved) => {
            let width = resolved.values.keys().map(String::len).max().unwrap_or(0);
            for (key, value) in &resolved.values {
                let origin = resolved.origins.get(key).map(ToString::to_string).unwrap_or_default();
                println!("{key:width$} = {value:<12} # {origin}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
