//! A host test of `canonical.rs`: every return-area size and offset the
//! adapter uses, computed again from the vendored WIT (`wit/`) with
//! wit-parser's `SizeAlign` for wasm32, the layout `wit-component` lowers
//! the results with. A number written wrong there would make the adapter
//! read the wrong bytes of a host's answer; here it fails by name.

use std::path::Path;

use wit_parser::{Int, Resolve, SizeAlign, Type, TypeDefKind};

use crate::canonical::{cli, clocks, filesystem as fs, io, random, LIST_LEN, STRING_SIZE};

const ENVIRONMENT: &str = "wasi:cli/environment@0.2.0";
const WALL_CLOCK: &str = "wasi:clocks/wall-clock@0.2.0";
const RANDOM: &str = "wasi:random/random@0.2.0";
const POLL: &str = "wasi:io/poll@0.2.0";
const STREAMS: &str = "wasi:io/streams@0.2.0";
const PREOPENS: &str = "wasi:filesystem/preopens@0.2.0";
const TYPES: &str = "wasi:filesystem/types@0.2.0";

/// The vendored WIT, resolved, with the sizes and alignments of its types.
struct Wit {
    resolve: Resolve,
    sizes: SizeAlign,
}

impl Wit {
    fn load() -> Wit {
        let mut resolve = Resolve::default();
        resolve.push_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("wit")).expect("the vendored WIT resolves");
        let mut sizes = SizeAlign::default();
        sizes.fill(&resolve).unwrap();
        Wit { resolve, sizes }
    }

    /// The result type of `function` of `interface` (`wasi:pkg/name@version`).
    fn result(&self, interface: &str, function: &str) -> Type {
        let (_, iface) = self
            .resolve
            .interfaces
            .iter()
            .find(|(id, _)| self.resolve.id_of(*id).as_deref() == Some(interface))
            .unwrap_or_else(|| panic!("no interface {interface} in wit/"));
        let f = iface.functions.get(function).unwrap_or_else(|| panic!("no function {function} in {interface}"));
        f.result.unwrap_or_else(|| panic!("{interface} {function} returns nothing"))
    }

    /// Bytes of `function`'s return area: its result's size. The adapter
    /// allocates every area 8-aligned, so no result may need more.
    fn area(&self, interface: &str, function: &str) -> u32 {
        let ty = self.result(interface, function);
        assert!(self.sizes.align(&ty).align_wasm32() <= 8, "{interface} {function} needs more than 8-byte alignment");
        self.sizes.size(&ty).size_wasm32() as u32
    }

    /// Where the part `path` of `function`'s result lies in its return area,
    /// and its type. `path` is dot-separated: `ok`/`err` of a `result`,
    /// `some` of an `option`, a record's field, a tuple's index, a variant's
    /// case; `[]` steps into a list's element (offsets start again at 0 in
    /// the element) and `len` is where a list's or string's length lies.
    fn part(&self, interface: &str, function: &str, path: &str) -> (u32, Type) {
        let mut ty = self.result(interface, function);
        let mut offset = 0;
        for step in path.split('.').filter(|s| !s.is_empty()) {
            let (at, next) = self.step(ty, step).unwrap_or_else(|| panic!("{interface} {function}: no `{step}` in `{path}`"));
            offset = if step == "[]" { 0 } else { offset + at };
            ty = next;
        }
        (offset, ty)
    }

    fn offset(&self, interface: &str, function: &str, path: &str) -> u32 {
        self.part(interface, function, path).0
    }

    /// Bytes of the part `path` of `function`'s result.
    fn size(&self, interface: &str, function: &str, path: &str) -> u32 {
        self.sizes.size(&self.part(interface, function, path).1).size_wasm32() as u32
    }

    /// One step into `ty`: the offset of the part named `step` and its type.
    fn step(&self, ty: Type, step: &str) -> Option<(u32, Type)> {
        let bytes = |size: wit_parser::ArchitectureSize| size.size_wasm32() as u32;
        if step == "len" && ty == Type::String {
            return Some((bytes(self.sizes.size(&ty)) / 2, Type::U32));
        }
        let Type::Id(id) = ty else { return None };
        match &self.resolve.types[id].kind {
            TypeDefKind::Type(alias) => self.step(*alias, step),
            TypeDefKind::Result(r) => {
                let payload = bytes(self.sizes.payload_offset(Int::U8, [r.ok.as_ref(), r.err.as_ref()]));
                match step {
                    "ok" => r.ok.map(|t| (payload, t)),
                    "err" => r.err.map(|t| (payload, t)),
                    _ => None,
                }
            }
            TypeDefKind::Option(t) if step == "some" => Some((bytes(self.sizes.payload_offset(Int::U8, [Some(t)])), *t)),
            TypeDefKind::Variant(v) => {
                let case = v.cases.iter().find(|c| c.name == step)?;
                let payload = bytes(self.sizes.payload_offset(v.tag(), v.cases.iter().map(|c| c.ty.as_ref())));
                Some((payload, case.ty?))
            }
            TypeDefKind::Record(r) => {
                let at = r.fields.iter().position(|f| f.name == step)?;
                let offsets = self.sizes.field_offsets(r.fields.iter().map(|f| &f.ty));
                Some((bytes(offsets[at].0), r.fields[at].ty))
            }
            TypeDefKind::Tuple(t) => {
                let at: usize = step.parse().ok()?;
                let offsets = self.sizes.field_offsets(t.types.iter());
                offsets.get(at).map(|(o, ty)| (bytes(*o), **ty))
            }
            TypeDefKind::List(element) => match step {
                "[]" => Some((0, *element)),
                "len" => Some((bytes(self.sizes.size(&ty)) / 2, Type::U32)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The tag of case `case` of the variant `name` defined in `interface`.
    fn case_tag(&self, interface: &str, name: &str, case: &str) -> u8 {
        let (_, iface) = self.resolve.interfaces.iter().find(|(id, _)| self.resolve.id_of(*id).as_deref() == Some(interface)).unwrap();
        let TypeDefKind::Variant(v) = &self.resolve.types[iface.types[name]].kind else { panic!("{name} is not a variant") };
        v.cases.iter().position(|c| c.name == case).unwrap_or_else(|| panic!("{name} has no case {case}")) as u8
    }
}

/// Collects every number that differs from the WIT's, so that one run
/// names them all.
#[derive(Default)]
struct Differences(Vec<String>);

impl Differences {
    fn check(&mut self, what: &str, ours: u32, wit: u32) {
        if ours != wit {
            self.0.push(format!("{what}: canonical.rs says {ours}, the WIT {wit}"));
        }
    }
}

#[test]
fn the_return_areas_are_the_sizes_of_the_wit_results() {
    let wit = Wit::load();
    let mut d = Differences::default();
    let mut area = |interface: &str, function: &str, ours: u32| {
        d.check(&format!("{interface} {function}: return area"), ours, wit.area(interface, function))
    };
    area(ENVIRONMENT, "get-arguments", cli::GET_ARGUMENTS_AREA);
    area(ENVIRONMENT, "get-environment", cli::GET_ENVIRONMENT_AREA);
    for stdio in ["stdin", "stdout", "stderr"] {
        area(&format!("wasi:cli/terminal-{stdio}@0.2.0"), &format!("get-terminal-{stdio}"), cli::GET_TERMINAL_AREA);
    }
    area(WALL_CLOCK, "now", clocks::DATETIME_AREA);
    area(WALL_CLOCK, "resolution", clocks::DATETIME_AREA);
    area(RANDOM, "get-random-bytes", random::GET_RANDOM_BYTES_AREA);
    area(POLL, "poll", io::POLL_AREA);
    area(STREAMS, "[method]input-stream.blocking-read", io::BLOCKING_READ_AREA);
    area(STREAMS, "[method]output-stream.blocking-write-and-flush", io::BLOCKING_WRITE_AND_FLUSH_AREA);
    area(PREOPENS, "get-directories", fs::GET_DIRECTORIES_AREA);
    area(TYPES, "filesystem-error-code", fs::FILESYSTEM_ERROR_CODE_AREA);
    for method in UNIT_RESULT_METHODS {
        area(TYPES, &format!("[method]descriptor.{method}"), fs::UNIT_RESULT_AREA);
    }
    area(TYPES, "[method]descriptor.stat", fs::STAT_AREA);
    area(TYPES, "[method]descriptor.stat-at", fs::STAT_AREA);
    area(TYPES, "[method]descriptor.metadata-hash", fs::METADATA_HASH_AREA);
    area(TYPES, "[method]descriptor.metadata-hash-at", fs::METADATA_HASH_AREA);
    area(TYPES, "[method]descriptor.get-flags", fs::GET_FLAGS_AREA);
    area(TYPES, "[method]descriptor.open-at", fs::OPEN_AT_AREA);
    area(TYPES, "[method]descriptor.read", fs::READ_AREA);
    area(TYPES, "[method]descriptor.write", fs::WRITE_AREA);
    area(TYPES, "[method]descriptor.readlink-at", fs::READLINK_AT_AREA);
    area(TYPES, "[method]descriptor.read-directory", fs::READ_DIRECTORY_AREA);
    area(TYPES, "[method]directory-entry-stream.read-directory-entry", fs::READ_DIRECTORY_ENTRY_AREA);
    for method in ["read-via-stream", "write-via-stream", "append-via-stream"] {
        area(TYPES, &format!("[method]descriptor.{method}"), fs::VIA_STREAM_AREA);
    }
    assert!(d.0.is_empty(), "return areas that differ from the WIT:\n{}", d.0.join("\n"));
}

/// The `descriptor` methods the adapter reads as `result<_, error-code>`.
const UNIT_RESULT_METHODS: [&str; 12] = [
    "advise",
    "sync",
    "sync-data",
    "set-size",
    "set-times",
    "set-times-at",
    "link-at",
    "rename-at",
    "symlink-at",
    "create-directory-at",
    "remove-directory-at",
    "unlink-file-at",
];

#[test]
fn the_offsets_are_where_the_wit_puts_each_part() {
    let wit = Wit::load();
    let mut d = Differences::default();
    let mut at = |interface: &str, function: &str, path: &str, ours: u32| {
        d.check(&format!("{interface} {function}: `{path}`"), ours, wit.offset(interface, function, path))
    };
    // Lists and strings: the length after the pointer.
    at(RANDOM, "get-random-bytes", "len", LIST_LEN);
    at(POLL, "poll", "len", LIST_LEN);
    at(ENVIRONMENT, "get-arguments", "len", LIST_LEN);
    at(ENVIRONMENT, "get-arguments", "[].len", LIST_LEN);
    at(PREOPENS, "get-directories", "len", LIST_LEN);
    at(TYPES, "[method]descriptor.read", "ok.0.len", fs::READ_BYTES + LIST_LEN);
    at(STREAMS, "[method]input-stream.blocking-read", "ok.len", io::BLOCKING_READ_BYTES + LIST_LEN);

    at(ENVIRONMENT, "get-environment", "[].1", STRING_SIZE);
    for stdio in ["stdin", "stdout", "stderr"] {
        at(&format!("wasi:cli/terminal-{stdio}@0.2.0"), &format!("get-terminal-{stdio}"), "some", cli::GET_TERMINAL_HANDLE);
    }
    for function in ["now", "resolution"] {
        at(WALL_CLOCK, function, "seconds", clocks::DATETIME_SECONDS);
        at(WALL_CLOCK, function, "nanoseconds", clocks::DATETIME_NANOSECONDS);
    }

    const READ: &str = "[method]input-stream.blocking-read";
    const WRITE: &str = "[method]output-stream.blocking-write-and-flush";
    at(STREAMS, READ, "ok", io::BLOCKING_READ_BYTES);
    at(STREAMS, READ, "err", io::BLOCKING_READ_ERROR);
    at(STREAMS, WRITE, "err", io::BLOCKING_WRITE_AND_FLUSH_ERROR);
    at(STREAMS, READ, "err.last-operation-failed", io::BLOCKING_READ_ERROR + io::STREAM_ERROR_LAST_OPERATION_FAILED);
    at(STREAMS, WRITE, "err.last-operation-failed", io::BLOCKING_WRITE_AND_FLUSH_ERROR + io::STREAM_ERROR_LAST_OPERATION_FAILED);

    at(PREOPENS, "get-directories", "[].1", fs::PREOPEN_PATH);
    at(TYPES, "filesystem-error-code", "some", fs::FILESYSTEM_ERROR_CODE_CODE);
    for method in UNIT_RESULT_METHODS {
        at(TYPES, &format!("[method]descriptor.{method}"), "err", fs::UNIT_RESULT_ERROR);
    }
    for function in ["[method]descriptor.stat", "[method]descriptor.stat-at"] {
        at(TYPES, function, "err", fs::STAT_ERROR);
        at(TYPES, function, "ok.type", fs::STAT_TYPE);
        at(TYPES, function, "ok.link-count", fs::STAT_LINK_COUNT);
        at(TYPES, function, "ok.size", fs::STAT_SIZE);
        for (timestamp, ours) in [
            ("data-access-timestamp", fs::STAT_DATA_ACCESS_TIMESTAMP),
            ("data-modification-timestamp", fs::STAT_DATA_MODIFICATION_TIMESTAMP),
            ("status-change-timestamp", fs::STAT_STATUS_CHANGE_TIMESTAMP),
        ] {
            at(TYPES, function, &format!("ok.{timestamp}"), ours);
            at(TYPES, function, &format!("ok.{timestamp}.some.seconds"), ours + fs::TIMESTAMP_SECONDS);
            at(TYPES, function, &format!("ok.{timestamp}.some.nanoseconds"), ours + fs::TIMESTAMP_NANOSECONDS);
        }
    }
    for function in ["[method]descriptor.metadata-hash", "[method]descriptor.metadata-hash-at"] {
        at(TYPES, function, "err", fs::METADATA_HASH_ERROR);
        at(TYPES, function, "ok.lower", fs::METADATA_HASH_LOWER);
    }
    at(TYPES, "[method]descriptor.get-flags", "ok", fs::GET_FLAGS_FLAGS);
    at(TYPES, "[method]descriptor.get-flags", "err", fs::GET_FLAGS_ERROR);
    at(TYPES, "[method]descriptor.open-at", "ok", fs::OPEN_AT_DESCRIPTOR);
    at(TYPES, "[method]descriptor.open-at", "err", fs::OPEN_AT_ERROR);
    at(TYPES, "[method]descriptor.read", "ok.0", fs::READ_BYTES);
    at(TYPES, "[method]descriptor.read", "err", fs::READ_ERROR);
    at(TYPES, "[method]descriptor.write", "ok", fs::WRITE_WRITTEN);
    at(TYPES, "[method]descriptor.write", "err", fs::WRITE_ERROR);
    at(TYPES, "[method]descriptor.readlink-at", "ok", fs::READLINK_AT_TARGET);
    at(TYPES, "[method]descriptor.readlink-at", "err", fs::READLINK_AT_ERROR);
    at(TYPES, "[method]descriptor.read-directory", "ok", fs::READ_DIRECTORY_STREAM);
    at(TYPES, "[method]descriptor.read-directory", "err", fs::READ_DIRECTORY_ERROR);
    const ENTRY: &str = "[method]directory-entry-stream.read-directory-entry";
    at(TYPES, ENTRY, "err", fs::READ_DIRECTORY_ENTRY_ERROR);
    at(TYPES, ENTRY, "ok", fs::READ_DIRECTORY_ENTRY_OPTION);
    at(TYPES, ENTRY, "ok.some.type", fs::READ_DIRECTORY_ENTRY_TYPE);
    at(TYPES, ENTRY, "ok.some.name", fs::READ_DIRECTORY_ENTRY_NAME);
    for method in ["read-via-stream", "write-via-stream", "append-via-stream"] {
        at(TYPES, &format!("[method]descriptor.{method}"), "ok", fs::VIA_STREAM_STREAM);
        at(TYPES, &format!("[method]descriptor.{method}"), "err", fs::VIA_STREAM_ERROR);
    }
    assert!(d.0.is_empty(), "offsets that differ from the WIT:\n{}", d.0.join("\n"));
}

#[test]
fn the_element_sizes_and_tags_are_the_wits() {
    let wit = Wit::load();
    let mut d = Differences::default();
    d.check("a string", STRING_SIZE, wit.size(ENVIRONMENT, "get-arguments", "[]"));
    d.check("an environment variable", 2 * STRING_SIZE, wit.size(ENVIRONMENT, "get-environment", "[]"));
    d.check("a preopen", fs::PREOPEN_SIZE, wit.size(PREOPENS, "get-directories", "[]"));
    d.check("a ready index", io::POLL_INDEX_SIZE, wit.size(POLL, "poll", "[]"));
    d.check("stream-error closed", io::STREAM_ERROR_CLOSED as u32, wit.case_tag(STREAMS, "stream-error", "closed") as u32);
    assert!(d.0.is_empty(), "sizes and tags that differ from the WIT:\n{}", d.0.join("\n"));
}

/// The walker itself: a path that names no part is refused, not read as 0.
#[test]
#[should_panic(expected = "no `nope`")]
fn a_part_the_wit_does_not_have_is_an_error() {
    Wit::load().offset(TYPES, "[method]descriptor.stat", "ok.nope");
}
