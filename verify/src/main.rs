//! `verify --variant command dist/wasi_snapshot_preview1.command.wasm`:
//! exits non-zero, listing every violation, when the adapter breaks a rule.

use std::process::ExitCode;

use clap::Parser;
use verify::{check, Variant};

#[derive(Parser)]
#[command(about = "Checks a built WASI preview1 adapter module")]
struct Args {
    /// Which variant the module is.
    #[arg(long, value_enum)]
    variant: Variant,
    /// The adapter module.
    module: std::path::PathBuf,
    /// Also list each export's stack need.
    #[arg(long)]
    stack: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let path = args.module.display();
    let wasm = match std::fs::read(&args.module) {
        Ok(wasm) => wasm,
        Err(e) => {
            eprintln!("{path}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let report = check(&wasm, args.variant);
    if args.stack {
        for (name, need) in &report.stack_needs {
            println!("{need:5} {name}");
        }
    }
    if report.is_ok() {
        println!("{path}: ok ({} bytes, deepest stack {} bytes)", wasm.len(), report.deepest_stack);
        return ExitCode::SUCCESS;
    }
    for v in &report.violations {
        eprintln!("{path}: {v}");
    }
    eprintln!("{path}: {} violation(s)", report.violations.len());
    ExitCode::FAILURE
}
