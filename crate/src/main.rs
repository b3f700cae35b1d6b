//! `profdrop`: pprof-compatible reports from the command line.

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
        print!("{}", profdrop::cli::USAGE);
        std::process::exit(if args.is_empty() { 2 } else { 0 });
    }
    let out = profdrop::cli::run(&args);
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}
