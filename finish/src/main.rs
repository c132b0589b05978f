//! `finish IN OUT`: rewrites a linked adapter module (see the library).

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = &args[..] else {
        anyhow::bail!("usage: finish IN.wasm OUT.wasm");
    };
    let wasm = std::fs::read(input).with_context(|| format!("reading {input}"))?;
    let (out, stats) = finish::finish(&wasm).with_context(|| format!("rewriting {input}"))?;
    std::fs::write(output, &out).with_context(|| format!("writing {output}"))?;
    println!(
        "{output}: {} -> {} bytes ({} accessor calls inlined, {} accessors removed, {} linker globals removed)",
        wasm.len(),
        out.len(),
        stats.calls_inlined,
        stats.accessors_removed,
        stats.linker_globals_removed
    );
    Ok(())
}
