//! Micro-benchmarks of each stage of a search, on the real bundled index
//! (built once into a temp dir at start-up) and real dev queries (the first
//! column of eval/dev/*.tsv, the first QUERIES_PER_SET of each set):
//!
//! - `index/open`: `index::open` of the bundled index file (read, checksum,
//!   structural validation), as every process does;
//! - `index/from_bytes`: the same on bytes already in memory;
//! - `matcher/new`: `Matcher::new` (vocabulary, weights, word lists);
//! - `query/analyze`: `Matcher::analyze` of every query;
//! - `query/candidates`: candidate generation for every analyzed query, in
//!   the manuals `Matcher::route` picks for it;
//! - `query/score`: `score_name` of every candidate of every query;
//! - `query/search`: a whole `Matcher::search` (top 5) of every query.
//!
//! Times are CPU time of the benchmark thread ([`ThreadCpu`]), not wall
//! time: on a shared machine a busy neighbour stretches wall time but not
//! this. The `query/*` groups iterate over the same queries and report,
//! beside the time of one pass, the CPU µs per query ("thrpt" line), so
//! their figures add up (roughly) to `query/search`'s, whose remainder is
//! header → child inheritance, ranking, confidence and the coding.
//! Run: `cargo bench --bench stages` (add `-- query/` to run one group).

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use medcoder::index::{self, Index, TitleWeights};
use medcoder::search::candidates::candidates;
use medcoder::search::score::score_name;
use medcoder::search::{Matcher, Query, Scratch, SearchOptions};
use std::hint::black_box;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Queries taken from each dev set.
const QUERIES_PER_SET: usize = 40;

/// The bundled index, built into a temp dir that lives as long as it.
struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    index: Index<Vec<u8>>,
    queries: Vec<String>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bundled.mcx");
    let sources = medcoder::store::bundled_sources().expect("bundled manuals");
    index::build_to(&path, &sources, &medcoder::vocab::bundled()).expect("build the index");
    let index = index::open(&path).expect("open the index");
    Fixture {
        _dir: dir,
        path,
        index,
        queries: dev_queries(),
    }
}

/// The first column of the first rows of every eval/dev/*.tsv.
fn dev_queries() -> Vec<String> {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/dev");
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&dev)
        .expect("eval/dev")
        .map(|e| e.expect("eval/dev entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    sets.sort();
    let mut out = Vec::new();
    for set in sets {
        let text = std::fs::read_to_string(&set).expect("a dev set");
        out.extend(
            text.lines()
                .skip(1)
                .filter_map(|l| l.split('\t').next())
                .filter(|q| !q.trim().is_empty())
                .take(QUERIES_PER_SET)
                .map(str::to_string),
        );
    }
    assert!(out.len() > 100, "too few dev queries: {}", out.len());
    out
}

/// The name ids of each manual, by system (`Index::manual_name_ranges`, as `Matcher::new` uses them).
fn manual_names(index: &Index<Vec<u8>>) -> Vec<(String, Range<u32>)> {
    let systems = index.meta().manuals.iter().map(|m| m.system.clone());
    systems.zip(index.manual_name_ranges()).collect()
}

/// The title weights (`Index::title_weights`, as `Matcher::new` builds them).
fn title_weights(index: &Index<Vec<u8>>, matcher: &Matcher<'_, Vec<u8>>) -> TitleWeights {
    index.title_weights(matcher.analyzer())
}

/// CPU time of the calling thread, in ns (criterion measures on the
/// thread that runs the routine).
struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID
    // is supported on Linux, and a failure leaves `ts` zeroed.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

/// Shows ns as CPU time, and a throughput as CPU time per element.
struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (div, unit) = match typical {
            t if t < 1e3 => (1.0, "ns CPU"),
            t if t < 1e6 => (1e3, "µs CPU"),
            t if t < 1e9 => (1e6, "ms CPU"),
            _ => (1e9, "s CPU"),
        };
        values.iter_mut().for_each(|v| *v /= div);
        unit
    }
    fn scale_throughputs(&self, _typical: f64, t: &Throughput, values: &mut [f64]) -> &'static str {
        let n = match *t {
            Throughput::Elements(n) => n,
            _ => 1,
        };
        values.iter_mut().for_each(|v| *v /= n as f64 * 1e3);
        "µs CPU/query"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn config() -> Criterion<ThreadCpu> {
    // A shared 2-core machine: few samples, short runs.
    Criterion::default()
        .with_measurement(ThreadCpu)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

fn stages(c: &mut Criterion<ThreadCpu>) {
    let f = fixture();
    let index = &f.index;
    let matcher = Matcher::new(index).expect("matcher");
    let opts = SearchOptions {
        limit: 5,
        ..SearchOptions::default()
    };
    let n = f.queries.len() as u64;
    println!(
        "bundled index: {} docs, {} names, {} terms; {} dev queries",
        index.doc_count(),
        index.name_count(),
        index.term_count(),
        n
    );

    let mut g = c.benchmark_group("index");
    g.bench_function("open", |b| {
        b.iter(|| black_box(index::open(&f.path).expect("open")))
    });
    let bytes = std::fs::read(&f.path).expect("index bytes");
    g.bench_function("from_bytes", |b| {
        b.iter_batched(
            || bytes.clone(),
            |data| black_box(Index::from_bytes(data, &f.path).expect("open")),
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("matcher");
    g.bench_function("new", |b| {
        b.iter(|| black_box(Matcher::new(index).expect("matcher")))
    });
    g.finish();

    let queries: Vec<Query> = f.queries.iter().map(|q| matcher.analyze(q)).collect();
    let manuals = manual_names(index);
    let allowed: Vec<Vec<Range<u32>>> = queries
        .iter()
        .map(|q| {
            let route = matcher.route(q, &opts);
            manuals
                .iter()
                .filter(|(system, _)| route.systems.contains(system))
                .map(|(_, r)| r.clone())
                .collect()
        })
        .collect();
    let mut scratch = Scratch::default();
    let names: Vec<Vec<u32>> = queries
        .iter()
        .zip(&allowed)
        .map(|(q, a)| candidates(index, q, a, &mut scratch))
        .collect();
    let weights = title_weights(index, &matcher);
    println!(
        "candidates per query: {:.1} (mean)",
        names.iter().map(Vec::len).sum::<usize>() as f64 / n as f64
    );

    let mut g = c.benchmark_group("query");
    g.throughput(Throughput::Elements(n));
    g.bench_function("analyze", |b| {
        b.iter(|| {
            for q in &f.queries {
                black_box(matcher.analyze(q));
            }
        })
    });
    g.bench_function("candidates", |b| {
        b.iter(|| {
            for (q, a) in queries.iter().zip(&allowed) {
                black_box(candidates(index, q, a, &mut scratch));
            }
        })
    });
    g.bench_function("score", |b| {
        b.iter(|| {
            for (q, ns) in queries.iter().zip(&names) {
                for name in ns {
                    black_box(score_name(index, q, *name, &weights));
                }
            }
        })
    });
    g.bench_function("search", |b| {
        b.iter(|| {
            for q in &f.queries {
                black_box(matcher.search(q, &opts, &mut scratch));
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = stages
}
criterion_main!(benches);
