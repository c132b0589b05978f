//! See `mem_full/common.rs`.
#[path = "../mem_full/common.rs"]
mod common;

fn main() {
    common::run(0);
}
