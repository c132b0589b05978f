//! A host test of the adapter's own source: its modules import each other
//! without a cycle, so each can be read (and changed) knowing only what it
//! uses. Dependencies are read off the source text: every `super::NAME`,
//! `crate::NAME` and `crate::wasm::NAME` outside comments, and the names in
//! `super::{...}` lists. And `unsafe` stays at the edges: only the modules
//! that touch raw memory or declare imports and exports may say it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each module file (by its name, `mod.rs` as `wasm`) and the sibling or
/// crate modules it names.
fn module_graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    for dir in [root.to_path_buf(), root.join("wasm")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut graph = BTreeMap::new();
    for path in files {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let name = if stem == "mod" { "wasm".to_string() } else { stem };
        let text = code_of(&path);
        let mut deps = BTreeSet::new();
        for prefix in ["super::", "crate::wasm::", "crate::"] {
            for (at, _) in text.match_indices(prefix) {
                let rest = &text[at + prefix.len()..];
                if let Some(list) = rest.strip_prefix('{') {
                    let list = &list[..list.find('}').unwrap()];
                    deps.extend(list.split(',').map(|item| ident(item.trim())));
                } else {
                    deps.insert(ident(rest));
                }
            }
        }
        deps.retain(|d| !d.is_empty() && *d != name && d != "wasm" && d != "self");
        graph.insert(name, deps);
    }
    graph
}

/// The text of a source file without its comments.
fn code_of(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| line.split("//").next().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident(text: &str) -> String {
    text.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// A cycle in `graph` (as the path of names that closes it), if any.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for dep in graph.get(node).into_iter().flatten().filter(|d| graph.contains_key(*d)) {
            if let Some(cycle) = visit(dep, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_adapter_modules_import_each_other_without_a_cycle() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("adapter"));
    assert!(graph.len() > 20 && graph["fd"].contains("descriptors"), "the graph was not read: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_abi_module_is_a_leaf() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("adapter"));
    let crate_modules: Vec<_> = graph["abi"].iter().filter(|d| graph.contains_key(*d)).collect();
    assert!(crate_modules.is_empty(), "abi.rs uses {crate_modules:?}");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), BTreeSet::from([v.to_string()])))
        .collect();
    assert_eq!(find_cycle(&graph).unwrap().len(), 4);
}

/// The modules under `wasm/` that may use `unsafe`: the raw loads and
/// stores (`memory`), guest memory (`guest`), the adapter's own memory
/// (`scratch`, `globals`), the host's
/// imports (`host`) and the exports (`preview1`). Everything else (the
/// preview1 families, the descriptor table, the decoding of the host's
/// results in `fs_host`) goes through them.
const UNSAFE_EDGES: [&str; 6] = ["memory", "guest", "scratch", "globals", "host", "preview1"];

/// The modules under `wasm/` (by file name, `descriptors/` included) whose
/// code outside comments says `unsafe`.
fn modules_saying_unsafe(wasm: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for dir in [wasm.to_path_buf(), wasm.join("descriptors")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") && code_of(&path).contains("unsafe") {
                found.push(path.file_stem().unwrap().to_str().unwrap().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn unsafe_lives_in_the_edge_modules_only() {
    let wasm = Path::new(env!("CARGO_MANIFEST_DIR")).join("adapter/wasm");
    let found = modules_saying_unsafe(&wasm);
    // Read at all: the guest-memory edge is made of it.
    assert!(found.iter().any(|m| m == "guest"), "the sources were not read: {found:?}");
    let outside: Vec<_> = found.iter().filter(|m| !UNSAFE_EDGES.contains(&m.as_str())).collect();
    assert!(outside.is_empty(), "unsafe outside the edge modules, in {outside:?}: go through guest.rs, scratch.rs or host.rs");
}
