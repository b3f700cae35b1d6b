//! Test builds of the page's engine only (`--features test-trap`, built by
//! scripts/build-test-engine.mjs, never part of dist/ or the CLI): ways for
//! the browser tests to crash, exhaust or stall the engine for real and on
//! purpose. They answer to file names and a filter value the tests choose,
//! never to anything inside a profile.

use super::{err, Result};
use crate::report::Options;

/// A load of a file with one of these names fails the way its name says:
/// `profdrop-test-trap.txt` panics, `profdrop-test-oom.txt` allocates until
/// the allocator fails (Rust's wasm then aborts: a trap with no panic), and
/// `profdrop-test-grow.txt` grows the memory by 256 MiB and then fails with
/// an ordinary error.
pub(super) fn on_load(name: &str) -> Result<()> {
    match name {
        "profdrop-test-trap.txt" => panic!("deliberate panic for tests: {name}"),
        "profdrop-test-oom.txt" => {
            let mut held: Vec<Vec<u8>> = Vec::new();
            loop {
                held.push(std::hint::black_box(Vec::with_capacity(256 << 20)));
            }
        }
        "profdrop-test-grow.txt" => {
            let mut big: Vec<u8> = Vec::with_capacity(256 << 20);
            big.push(1);
            std::hint::black_box(&mut big);
            Err(err(format!("malformed: deliberate failure for tests after growing memory: {name}")))
        }
        _ => Ok(()),
    }
}

/// A query whose `focus` is `profdrop-test-panic` panics; one whose `focus`
/// is `profdrop-test-hang` never returns (the engine stays busy until the
/// page restarts it): the deterministic stand-in for a query that runs past
/// the page's deadline.
pub(super) fn on_query(o: &Options) {
    match o.focus.as_str() {
        "profdrop-test-panic" => panic!("deliberate panic for tests in a query"),
        "profdrop-test-hang" => loop {
            std::hint::spin_loop();
        },
        _ => {}
    }
}
