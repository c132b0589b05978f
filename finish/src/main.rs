//! `finish [--version V] IN OUT`: rewrites a linked adapter module (see the
//! library) and, given a version, stamps it into the output (`version.rs`).

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let version = match args.iter().position(|a| a == "--version") {
        Some(i) if i + 1 < args.len() => Some(args.drain(i..i + 2).nth(1).unwrap()),
        Some(_) => anyhow::bail!("--version needs a value"),
        None => None,
    };
    let [input, output] = &args[..] else {
        anyhow::bail!("usage: finish [--version V] IN.wasm OUT.wasm");
    };
    let wasm = std::fs::read(input).with_context(|| format!("reading {input}"))?;
    let (mut out, stats) = finish::finish(&wasm).with_context(|| format!("rewriting {input}"))?;
    if let Some(version) = &version {
        out = finish::stamp_version(&out, version).with_context(|| format!("stamping version {version}"))?;
    }
    std::fs::write(output, &out).with_context(|| format!("writing {output}"))?;
    println!(
        "{output}: {} -> {} bytes ({} accessor calls inlined, {} accessors removed, {} linker globals removed{})",
        wasm.len(),
        out.len(),
        stats.calls_inlined,
        stats.accessors_removed,
        stats.linker_globals_removed,
        version.map(|v| format!(", version {v}")).unwrap_or_default()
    );
    Ok(())
}
