//! Helpers: run the real `medcoder` binary with a shared cache directory,
//! so the bundled index is built once per test run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::thread::JoinHandle;

/// The cache directory shared by all tests (under target/).
pub fn cache_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("medcoder-test-cache");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The date of service of every test that gives none: in FY2026, the
/// release most tests were written for (a test never depends on the clock;
/// `--date` overrides it).
pub const TEST_DATE: &str = "2026-06-01";

/// A command for the real binary, with the shared cache and the date of
/// service [`TEST_DATE`].
pub fn medcoder() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_medcoder"));
    c.env("MEDCODER_CACHE_DIR", cache_dir());
    c.env("MEDCODER_DATE", TEST_DATE);
    c.env_remove("MEDCODER_INDEX");
    c.env("NO_COLOR", "1");
    c
}

/// A running binary whose stdin a thread is writing, so that the test can
/// read its stdout meanwhile.
pub struct Feeding {
    child: Child,
    writer: JoinHandle<()>,
}

/// Spawns `cmd` with piped stdin, stdout and stderr; `feed` writes stdin on
/// its own thread (closing it when done).
pub fn spawn_feeding(cmd: &mut Command, feed: impl FnOnce(ChildStdin) + Send + 'static) -> Feeding {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || feed(input));
    Feeding { child, writer }
}

impl Feeding {
    /// Takes the binary's stdout to read it while it runs; dropping it
    /// closes the pipe.
    pub fn stdout(&mut self) -> ChildStdout {
        self.child.stdout.take().unwrap()
    }

    /// Waits for the binary and for the writer; returns what it printed.
    pub fn finish(self) -> Output {
        let out = self.child.wait_with_output().unwrap();
        self.writer.join().unwrap();
        out
    }
}

/// Runs with `args`, feeding `stdin`.
pub fn run_with_stdin(cmd: &mut Command, stdin: &[u8]) -> Output {
    let data = stdin.to_vec();
    spawn_feeding(cmd, move |mut input| {
        let _ = input.write_all(&data);
    })
    .finish()
}

/// Runs with `args`, no stdin, and a cache directory of its own.
pub fn run_with_cache(cache: &std::path::Path, args: &[&str]) -> Output {
    medcoder()
        .env("MEDCODER_CACHE_DIR", cache)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs with `args` and no stdin.
pub fn run(args: &[&str]) -> Output {
    medcoder().args(args).stdin(Stdio::null()).output().unwrap()
}

/// Runs `medcoder import KIND INPUT -o OUTPUT EXTRA...`.
pub fn import(kind: &str, input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "import",
        kind,
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Runs `medcoder build FLAGS... --manual MANUAL -o INDEX`.
pub fn build(flags: &[&str], manual: &str, index: &Path) -> Output {
    let mut args = vec!["build"];
    args.extend_from_slice(flags);
    args.extend(["--manual", manual, "-o", index.to_str().unwrap()]);
    run(&args)
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The codes of `suggest --format jsonl` output, one Vec per line.
pub fn jsonl_codes(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["code"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

/// The top codes for one phrase (jsonl, top 5). Panics when the binary
/// fails (exit 2, a signal) or prints no result line, so that a check that
/// a code is absent cannot pass on a crash; exit 1 (nothing found) is an
/// empty list.
pub fn top_codes(args: &[&str], phrase: &str) -> Vec<String> {
    let mut a = vec!["suggest", "--format", "jsonl", "-n", "5"];
    a.extend_from_slice(args);
    a.push(phrase);
    let o = run(&a);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "medcoder {a:?} failed ({}): {}",
        o.status,
        stderr(&o)
    );
    let mut lines = jsonl_codes(&stdout(&o));
    assert_eq!(
        lines.len(),
        1,
        "one result line for {phrase:?}: {}",
        stdout(&o)
    );
    lines.pop().unwrap_or_default()
}

/// The CMS reference files: `$MEDCODER_REFERENCE_DIR`, else the first
/// `shared/reference` beside the project or one of its parent folders
/// (`../shared/reference` from the repository; a worktree is one level
/// deeper). Tests that need a file fail when it is absent.
pub fn reference_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("MEDCODER_REFERENCE_DIR") {
        return PathBuf::from(d);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    root.ancestors()
        .skip(1)
        .map(|a| a.join("shared/reference"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| root.join("../shared/reference"))
}

/// Asserts that a run succeeded, showing its exit code and both streams.
pub fn ok(o: &std::process::Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}
