//! A stable-Rust mutation fuzzer for wa-docs' input parsers (cargo-fuzz needs nightly, which
//! this project's machines do not have). Not coverage-guided: it mutates the seed corpus with
//! byte and token edits and splices, runs each input under catch_unwind, and saves any input
//! that panics to fuzz/crashes/ (they become regression tests in tests/fuzz_corpus.rs).
//!
//! usage: cargo run --release --example fuzz -- [TARGET|all] [SECONDS] [SEED]

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Fragments that matter to the parsers, spliced in as whole tokens.
const TOKENS: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "\n",
    "  ",
    "\"",
    "'",
    "&a ",
    "*a",
    "!!str ",
    "---\n",
    "|\n",
    ">-\n",
    "[[",
    "]]",
    "[[x|y]]",
    "](",
    "#",
    "```",
    "> ",
    "<script>",
    "<a href=\"javascript:x\">",
    "&&",
    "||",
    "!",
    "(",
    ")",
    "default",
    "id: ",
    "title: ",
    "pillars:",
    "questions:",
    "best-practices:",
    "risk-rules:",
    "condition: ",
    "\"choices\":",
    "\"riskRules\":",
    "\"pillars\":",
    "null",
    "1e999",
    "\u{1a}",
    "\u{feff}",
    "\u{0}",
    "é",
    "𝔘",
    "\r\n",
    "\t",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, input: &[u8], seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            2 if !v.is_empty() => {
                let end = (at + 1 + rng.below(32)).min(v.len());
                v.drain(at.min(end)..end);
            }
            3 if !v.is_empty() => {
                let start = rng.below(v.len());
                let end = (start + 1 + rng.below(64)).min(v.len());
                let chunk: Vec<u8> = v[start..end].to_vec();
                for _ in 0..1 + rng.below(8) {
                    v.splice(at..at, chunk.iter().copied());
                }
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let start = rng.below(other.len());
                let end = (start + rng.below(256)).min(other.len());
                v.splice(at..at, other[start..end].iter().copied());
            }
            5 => v.insert(at, rng.below(256) as u8),
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let n = 1 + rng.below(200);
                for _ in 0..n {
                    v.splice(at..at, t.iter().copied());
                }
            }
        }
    }
    v.truncate(256 * 1024);
    v
}

fn seeds(root: &Path, target: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut dirs = vec![root.join("fuzz/corpus").join(target)];
    if target == "aws" {
        dirs.push(root.join("tests/fixtures/wa-tool-lenses"));
        // The real-world corpus, where it is configured (CI).
        if let Some(corpus) = std::env::var_os("WA_DOCS_LENS_CORPUS") {
            dirs.push(PathBuf::from(corpus));
        }
    }
    if target == "lens" {
        dirs.push(root.join("lenses"));
    }
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        out.extend(files.iter().filter_map(|p| std::fs::read(p).ok()));
    }
    if out.is_empty() {
        out.push(Vec::new());
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map(String::as_str).unwrap_or("all");
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crashes = root.join("fuzz/crashes");
    let targets: Vec<&str> = if which == "all" {
        targets::TARGETS.to_vec()
    } else {
        vec![which]
    };
    std::panic::set_hook(Box::new(|_| {}));
    let mut total_crashes = 0;
    for target in targets {
        let seeds = seeds(root, target);
        let mut rng = Rng(seed ^ (target.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let (mut execs, mut found) = (0u64, 0);
        let started = Instant::now();
        while Instant::now() < deadline {
            let base = &seeds[rng.below(seeds.len())];
            let input = mutate(&mut rng, base, &seeds);
            let text = String::from_utf8_lossy(&input).into_owned();
            execs += 1;
            if std::panic::catch_unwind(|| targets::run(target, &text)).is_err() {
                found += 1;
                let _ = std::fs::create_dir_all(&crashes);
                let name = format!("{target}-{:016x}", fnv(&input));
                let _ = std::fs::write(crashes.join(&name), &input);
                eprintln!("{target}: panic, input saved as fuzz/crashes/{name}");
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "fuzz {target:<5} {execs:>9} executions in {secs:.0} s ({:.0}/s), {} seeds, {found} crashes",
            execs as f64 / secs,
            seeds.len()
        );
        total_crashes += found;
    }
    std::process::exit(if total_crashes > 0 { 1 } else { 0 });
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100_0000_01b3)
    })
}
