//! The floor adapter of the benchmark (`tests/bench/floor.wat`): the
//! thinnest adapter that runs the `bench` workloads, a measuring stick for
//! ours, never shipped (see the file's header).

use std::sync::OnceLock;

use crate::{embed_wasi_world, root};

/// The world the floor imports from (every interface its WAT names) and
/// exports, over our `wit/deps` WASI 0.2.0 packages.
const FLOOR_WORLD: &str = "package test:floor;
world floor {
    import wasi:cli/environment@0.2.0;
    import wasi:cli/exit@0.2.0;
    import wasi:cli/stdout@0.2.0;
    import wasi:cli/stderr@0.2.0;
    import wasi:clocks/monotonic-clock@0.2.0;
    import wasi:clocks/wall-clock@0.2.0;
    import wasi:random/random@0.2.0;
    import wasi:io/streams@0.2.0;
    import wasi:filesystem/types@0.2.0;
    import wasi:filesystem/preopens@0.2.0;
    export wasi:cli/run@0.2.0;
}
";

/// The floor adapter, assembled from its WAT with its world embedded.
pub fn floor_adapter() -> &'static [u8] {
    static ADAPTER: OnceLock<Vec<u8>> = OnceLock::new();
    ADAPTER.get_or_init(|| {
        let path = root().join("tests/bench/floor.wat");
        let mut bytes = wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        embed_wasi_world(&mut bytes, "floor.wit", FLOOR_WORLD, "floor").expect("embedding the floor's world");
        bytes
    })
}
