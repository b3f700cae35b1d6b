//! Decoding speed of one file (a benchmark, run by scripts/bench.mjs):
//! `cargo run --release --example decode_bench -- FILE [REPS]` prints one JSON
//! line with the size, the best wall time of REPS decodes and MB/s.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(file) = args.get(1) else {
        eprintln!("usage: decode_bench FILE [REPS]");
        std::process::exit(2);
    };
    let reps: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let data = std::fs::read(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(1);
    });
    let limits = profdrop::decode::Limits::default();
    let mut best = f64::INFINITY;
    let mut summary = (0usize, 0usize, 0usize);
    for _ in 0..reps {
        let t = Instant::now();
        let p = match profdrop::decode::decode(&data, &limits) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(1);
            }
        };
        best = best.min(t.elapsed().as_secs_f64());
        summary = (p.samples.len(), p.goroutines.as_ref().map_or(0, |t| t.goroutines.len()), p.warnings.len());
        drop(p);
    }
    let mb = data.len() as f64 / 1e6;
    println!(
        "{{\"bytes\":{},\"secs\":{:.6},\"mb_per_s\":{:.1},\"samples\":{},\"goroutines\":{},\"warnings\":{}}}",
        data.len(),
        best,
        mb / best,
        summary.0,
        summary.1,
        summary.2
    );
}
