//! The release version, stamped into each artifact as a `version` custom
//! section: the section `wasm-tools metadata show` reads (wasm-metadata's
//! registry field), so a user can tell which adapter a downloaded file is.
//!
//! Why this section and not `producers` or a module name: wit-component's
//! adapter GC keeps only the `name` and `producers` custom sections of an
//! adapter, so `version` costs the artifact its few bytes and a fused
//! component none; a module name would need a `name` section, which `verify`
//! forbids (wit-component would find `__stack_pointer` in it).

use anyhow::{bail, Result};
use wasm_encoder::Encode;
use wasmparser::{Parser, Payload};

/// The custom section's name, as wasm-metadata spells it.
pub const SECTION: &str = "version";

/// Appends a `version` section holding `version` (UTF-8, no length prefix:
/// the section's payload is the string). A module that already has one is
/// refused rather than given two, which readers would disagree on.
pub fn stamp_version(wasm: &[u8], version: &str) -> Result<Vec<u8>> {
    if version.is_empty() {
        bail!("empty version");
    }
    if read_version(wasm)?.is_some() {
        bail!("the module already has a `{SECTION}` section");
    }
    let mut content = Vec::new();
    SECTION.encode(&mut content);
    content.extend_from_slice(version.as_bytes());
    let mut out = wasm.to_vec();
    out.push(0); // custom section id
    content.len().encode(&mut out);
    out.extend_from_slice(&content);
    wasmparser::validate(&out)?;
    Ok(out)
}

/// The module's `version` section as a string, if it has one.
pub fn read_version(wasm: &[u8]) -> Result<Option<String>> {
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CustomSection(c) = payload? {
            if c.name() == SECTION {
                return Ok(Some(String::from_utf8(c.data().to_vec())?));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_appended_and_read_back() {
        let module = wasm_encoder::Module::new().finish();
        let out = stamp_version(&module, "1.2.3").unwrap();
        assert_eq!(read_version(&out).unwrap().as_deref(), Some("1.2.3"));
        // id, size, name length, "version", "1.2.3": what the README quotes.
        assert_eq!(out.len() - module.len(), 1 + 1 + 1 + 7 + 5);
        assert_eq!(read_version(&module).unwrap(), None);
    }

    #[test]
    fn a_second_version_or_an_empty_one_is_refused() {
        let module = wasm_encoder::Module::new().finish();
        let once = stamp_version(&module, "1.0.0").unwrap();
        assert!(stamp_version(&once, "2.0.0").is_err());
        assert!(stamp_version(&module, "").is_err());
    }
}
