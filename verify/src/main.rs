//! `verify --variant command dist/wasi_snapshot_preview1.command.wasm`:
//! exits non-zero, listing every violation, when the adapter breaks a rule.

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
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let wasm = std::fs::read(&args.module)?;
    let report = check(&wasm, args.variant)?;
    let violations = report.violations;
    if violations.is_empty() {
        println!("{}: ok ({} bytes, deepest stack {} bytes)", args.module.display(), wasm.len(), report.deepest_stack);
        return Ok(());
    }
    for v in &violations {
        eprintln!("{}: {v}", args.module.display());
    }
    anyhow::bail!("{} violation(s) in {}", violations.len(), args.module.display())
}
