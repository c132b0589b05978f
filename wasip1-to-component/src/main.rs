//! The command line: `wasip1-to-component app.wasm -o app.component.wasm`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use wasip1_to_component::{plan, Adapter, Error, Options, Variant, PREVIEW1_MODULE};

const EXIT_CODES: &str = "\
Exit status:
  0  the component was written (or its WIT printed)
  1  bad input: the module (or an adapter given) cannot become a working component;
     the message names the import or export and what to do
  2  usage: unknown or conflicting options
  3  internal failure: wit-component failed on a module that passed every check,
     or a file could not be read or written";

/// Turns a wasm32-wasip1 core module into a WASI 0.2 component.
///
/// Fuses the module with a preview1 adapter embedded in this tool, chosen
/// from what the module exports: `_start` (a program) -> command;
/// `wasi:http/incoming-handler@0.2.x#handle` -> proxy; otherwise reactor (a
/// library). Checks the module first and says what is wrong with one that
/// would not make a working component.
#[derive(Parser)]
#[command(version, after_help = EXIT_CODES)]
struct Cli {
    /// The core module (a wasm32-wasip1 binary); `-` reads stdin.
    input: PathBuf,

    /// Where to write the component; `-` writes stdout. Default: the input's
    /// name with `.component.wasm` for `.wasm` (with --print-wit: no file).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Use this variant's adapter instead of the one the exports call for.
    #[arg(long, value_enum, conflicts_with_all = ["adapter", "exit_with_code"])]
    variant: Option<Variant>,

    /// Use the command adapter whose `proc_exit` keeps the exit code (0-125)
    /// rather than only success or failure; the component needs a WASI
    /// 0.2.12 host (wasmtime 48 or newer).
    #[arg(long, conflicts_with = "adapter")]
    exit_with_code: bool,

    /// Use this adapter module for `wasi_snapshot_preview1` instead of an
    /// embedded one (e.g. another release).
    #[arg(long, value_name = "FILE")]
    adapter: Option<PathBuf>,

    /// An adapter for another import module, as `wasm-tools component new
    /// --adapt` takes it (e.g. `--adapt env=host.wasm` for a module that
    /// imports functions of its own from `env`); may be repeated.
    #[arg(long, value_name = "NAME=FILE", value_parser = parse_adapt)]
    adapt: Vec<(String, PathBuf)>,

    /// Print the component's WIT world on stdout (writes the component too
    /// only with -o).
    #[arg(long)]
    print_wit: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
}

fn parse_adapt(value: &str) -> Result<(String, PathBuf), String> {
    let (name, file) = value.split_once('=').ok_or("expected NAME=FILE")?;
    if name.is_empty() || file.is_empty() {
        return Err("expected NAME=FILE".into());
    }
    if name == PREVIEW1_MODULE {
        return Err(format!("{PREVIEW1_MODULE} is the preview1 adapter: use --adapter FILE"));
    }
    Ok((name.to_string(), PathBuf::from(file)))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(e)) => e.exit(),
        Err(Failure::Conversion(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
        Err(Failure::Io(why)) => {
            eprintln!("error: {why}");
            ExitCode::from(3)
        }
    }
}

enum Failure {
    Usage(clap::Error),
    Conversion(Error),
    /// Reading or writing a file failed.
    Io(String),
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
    };
    bytes.map_err(|e| Failure::Io(format!("reading {}: {e}", path.display())))
}

fn run(cli: &Cli) -> Result<(), Failure> {
    let module = read(&cli.input)?;
    let adapter = match (&cli.variant, cli.exit_with_code, &cli.adapter) {
        (Some(variant), _, _) => Adapter::Embedded(*variant),
        (None, true, _) => Adapter::CommandExitWithCode,
        (None, false, Some(file)) => Adapter::File(read(file)?),
        (None, false, None) => Adapter::FromExports,
    };
    let mut extra_adapters = Vec::new();
    for (name, file) in &cli.adapt {
        extra_adapters.push((name.clone(), read(file)?));
    }
    let options = Options { adapter, extra_adapters };
    let plan = plan(&module, &options).map_err(Failure::Conversion)?;
    let component = plan.encode().map_err(Failure::Conversion)?;

    let output = match (&cli.output, cli.print_wit) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => Some(default_output(&cli.input)?),
    };
    if cli.print_wit {
        let wit = wasip1_to_component::component_wit(&component).map_err(Failure::Conversion)?;
        print!("{wit}");
    }
    if let Some(path) = output {
        let written = if path == Path::new("-") {
            std::io::stdout().write_all(&component).and_then(|()| std::io::stdout().flush())
        } else {
            std::fs::write(&path, &component)
        };
        written.map_err(|e| Failure::Io(format!("writing {}: {e}", path.display())))?;
        if !cli.quiet && path != Path::new("-") {
            eprintln!("{}: {} bytes, with the {}", path.display(), component.len(), plan.adapter_name);
        }
    }
    Ok(())
}

/// `app.wasm` -> `app.component.wasm` beside it.
fn default_output(input: &Path) -> Result<PathBuf, Failure> {
    if input == Path::new("-") {
        let why = "reading stdin, the component needs -o FILE (or -o - for stdout)";
        return Err(Failure::Usage(Cli::command().error(clap::error::ErrorKind::MissingRequiredArgument, why)));
    }
    let stem = input.file_stem().unwrap_or(input.as_os_str()).to_string_lossy();
    Ok(input.with_file_name(format!("{stem}.component.wasm")))
}
