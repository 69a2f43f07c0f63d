//! A general search engine over the names medcoder indexes, for
//! bench/tantivy.sh: tantivy 0.22 with its default BM25 and tokenizer, one
//! document per title, inclusion term, "includes" note and index path of
//! the bundled ICD-10-CM release (read from `data/`), each query an OR of
//! its tokens, top 5 with the stored documents fetched.
//!
//! Usage: medcoder-tantivy-bench DATA_DIR QUERIES_FILE
//! Prints `key: value` lines (names, build ms, open ms, µs per query).

use std::error::Error;
use std::path::Path;
use std::time::Instant;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, Value, STORED, STRING, TEXT};
use tantivy::tokenizer::TokenStream;
use tantivy::{doc, Index, IndexWriter, Searcher, TantivyDocument, Term};

/// The ICD-10-CM release medcoder bundles, and the index-path files it
/// attaches to it (src/index_paths.rs).
const MANUAL: &str = "icd10cm-2026.csv";
const INDEX_PATHS: &[&str] = &[
    "icd10cm-eindex-2025.tsv",
    "icd10cm-drug-2025.tsv",
    "icd10cm-neoplasm-2025.tsv",
];
/// Best of this many passes over the queries, and of this many opens.
const PASSES: usize = 3;
const OPENS: usize = 10;

fn names(data: &Path) -> Result<Vec<(String, String)>, Box<dyn Error>> {
    let mut out = Vec::new();
    let mut rd = csv::Reader::from_path(data.join(MANUAL))?;
    let headers = rd.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{MANUAL}: no column {name}"))
    };
    let (code, title, synonyms, includes) = (
        col("code")?,
        col("title")?,
        col("synonyms")?,
        col("includes")?,
    );
    for row in rd.records() {
        let row = row?;
        out.push((row[code].to_string(), row[title].to_string()));
        for cell in [&row[synonyms], &row[includes]] {
            for s in cell.split(" | ").map(str::trim).filter(|s| !s.is_empty()) {
                out.push((row[code].to_string(), s.to_string()));
            }
        }
    }
    for file in INDEX_PATHS {
        let text = std::fs::read_to_string(data.join(file))?;
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            if let Some((c, p)) = line.split_once('\t') {
                out.push((c.trim().to_string(), p.trim().to_string()));
            }
        }
    }
    Ok(out)
}

/// The OR of the query's tokens, through the field's own tokenizer.
fn or_query(index: &Index, field: Field, text: &str) -> Result<Box<dyn Query>, Box<dyn Error>> {
    let mut analyzer = index.tokenizer_for_field(field)?;
    let mut stream = analyzer.token_stream(text);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    while let Some(tok) = stream.next() {
        let term = Term::from_field_text(field, &tok.text);
        clauses.push((
            Occur::Should,
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        ));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// CPU time of the calling thread, in seconds.
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn open(dir: &Path) -> Result<(Index, Searcher), Box<dyn Error>> {
    let index = Index::open_in_dir(dir)?;
    let searcher = index.reader()?.searcher();
    Ok((index, searcher))
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        return Err("usage: medcoder-tantivy-bench DATA_DIR QUERIES_FILE".into());
    }
    let names = names(Path::new(&args[1]))?;
    let queries: Vec<String> = std::fs::read_to_string(&args[2])?
        .lines()
        .map(str::to_string)
        .collect();
    let dir = tempfile::tempdir()?;

    let mut sb = Schema::builder();
    let code = sb.add_text_field("code", STRING | STORED);
    let name = sb.add_text_field("name", TEXT | STORED);
    let schema = sb.build();
    let t = Instant::now();
    {
        let index = Index::create_in_dir(dir.path(), schema)?;
        // One thread and a budget above the data: one segment, as medcoder's one file.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 1 << 30)?;
        for (c, n) in &names {
            writer.add_document(doc!(code => c.as_str(), name => n.as_str()))?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
    }
    let build_ms = t.elapsed().as_secs_f64() * 1e3;

    let (mut open_ms, mut open_cpu_ms) = (f64::MAX, f64::MAX);
    for _ in 0..OPENS {
        let (t, c) = (Instant::now(), thread_cpu());
        let opened = open(dir.path())?;
        open_ms = open_ms.min(t.elapsed().as_secs_f64() * 1e3);
        open_cpu_ms = open_cpu_ms.min((thread_cpu() - c) * 1e3);
        drop(opened);
    }
    let (index, searcher) = open(dir.path())?;

    let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
    let mut fetched = 0usize;
    for _ in 0..PASSES {
        fetched = 0;
        let (t, c) = (Instant::now(), thread_cpu());
        for q in &queries {
            let query = or_query(&index, name, q)?;
            for (_score, addr) in searcher.search(&query, &TopDocs::with_limit(5))? {
                let d: TantivyDocument = searcher.doc(addr)?;
                fetched += d.get_first(code).and_then(|v| v.as_str()).map_or(0, |_| 1);
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(thread_cpu() - c);
    }
    println!("names indexed: {}", names.len());
    println!("segments: {}", searcher.segment_readers().len());
    println!("build ms: {build_ms:.0}");
    println!("open ms (best of {OPENS}): {open_ms:.2} wall, {open_cpu_ms:.2} CPU");
    println!("queries: {}", queries.len());
    println!("documents fetched per pass: {fetched}");
    let per = |s: f64| s * 1e6 / queries.len().max(1) as f64;
    println!(
        "per query µs (best of {PASSES} passes, 1 thread): {:.1} wall, {:.1} CPU",
        per(best),
        per(best_cpu)
    );
    Ok(())
}
