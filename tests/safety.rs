//! Output files, interrupted runs, hostile CSV and text, option and manual
//! checks: each case here once destroyed a file, lost rows or printed a
//! patient's data (issue 11).

use crate::util::*;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ENCOUNTERS: &str = "id,dx\n1,chest pain\n2,htn\n3,asthma\n";

/// A temp dir holding `in.csv`.
fn workdir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, ENCOUNTERS).unwrap();
    (dir, input)
}

fn batch_to(input: &Path, out: &Path) -> std::process::Output {
    run(&[
        "batch",
        input.to_str().unwrap(),
        "-c",
        "dx",
        "-o",
        out.to_str().unwrap(),
    ])
}

/// The files of `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {} failed", path.display());
}

/// Waits up to `secs` for the child; kills it and fails if it hangs.
fn wait_or_fail(mut child: std::process::Child, secs: u64, what: &str) -> std::process::Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("{what}: still running after {secs} s (it hangs)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let (dir, input) = workdir();
    let target = dir.path().join("real.csv");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let o = batch_to(&input, &link);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.contains("R07.9"), "{written}");
    assert_eq!(files(dir.path()), ["in.csv", "link.csv", "real.csv"]);
}

#[test]
fn output_to_a_fifo_is_streamed_not_replaced() {
    let (dir, input) = workdir();
    let fifo = dir.path().join("out.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = batch_to(&input, &fifo);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(reader.join().unwrap().contains("I10"));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn output_to_a_link_to_dev_null_leaves_the_device_alone() {
    let (dir, input) = workdir();
    let link = dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let o = batch_to(&input, &link);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn output_that_is_the_input_is_refused_before_reading() {
    let (dir, input) = workdir();
    let o = batch_to(&input, &input);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the output is the input"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), ENCOUNTERS);
    let link = dir.path().join("alias.csv");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    assert_eq!(batch_to(&input, &link).status.code(), Some(2));
    let o = medcoder()
        .args(["batch", "-", "-c", "dx", "-o", input.to_str().unwrap()])
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), ENCOUNTERS);
    assert_eq!(files(dir.path()), ["alias.csv", "in.csv"]);
}

#[test]
fn an_existing_output_keeps_its_mode_and_a_new_one_gets_the_umask_default() {
    let (dir, input) = workdir();
    let private = dir.path().join("private.csv");
    std::fs::write(&private, "x").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(batch_to(&input, &private).status.code(), Some(0));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&private), 0o600);
    let fresh = dir.path().join("fresh.csv");
    assert_eq!(batch_to(&input, &fresh).status.code(), Some(0));
    let probe = dir.path().join("probe");
    std::fs::File::create(&probe).unwrap();
    assert_eq!(
        mode(&fresh),
        mode(&probe),
        "a new output is created as any new file"
    );
}

/// A batch input big enough that a run takes a while.
fn big_input(dir: &Path) -> PathBuf {
    let dx = [
        "chest pain",
        "htn",
        "type 2 diabetes with neuropathy",
        "asthma",
        "copd exacerbation",
    ];
    let mut text = String::from("id,dx\n");
    for i in 0..150_000 {
        text.push_str(&format!("{i},{} {}\n", dx[i % dx.len()], i % 97));
    }
    let p = dir.join("big.csv");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn interrupted_runs_leave_nothing_behind_and_a_rerun_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path());
    let out = dir.path().join("coded.csv");
    let complete = batch_to(&input, &out);
    assert_eq!(complete.status.code(), Some(0), "{}", stderr(&complete));
    let expected = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    let signals = [
        (libc::SIGINT, 130),
        (libc::SIGTERM, 143),
        (libc::SIGHUP, 129),
    ];
    for (k, delay) in [30u64, 120, 250, 400, 600, 900, 1300, 1800, 60]
        .iter()
        .enumerate()
    {
        let (sig, code) = signals[k % signals.len()];
        let child = medcoder()
            .args([
                "batch",
                input.to_str().unwrap(),
                "-c",
                "dx",
                "-o",
                out.to_str().unwrap(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(*delay));
        // SAFETY: signals a child process of this test, by its id.
        unsafe { libc::kill(child.id() as i32, sig) };
        let o = wait_or_fail(child, 60, "an interrupted batch");
        match o.status.code() {
            Some(0) => assert_eq!(
                std::fs::read(&out).unwrap(),
                expected,
                "finished before the signal"
            ),
            Some(c) => {
                assert_eq!(c, code, "signal {sig} after {delay} ms");
                // A signal that lands after the finished output was renamed
                // into place (the run was done, the exit not yet) leaves
                // that output, whole; anything else leaves none.
                if out.exists() {
                    assert_eq!(
                        std::fs::read(&out).unwrap(),
                        expected,
                        "an interrupted run left a partial {}",
                        out.display()
                    );
                }
            }
            // Killed before the process set its handler up (the first thing
            // it does, before any file is opened): acceptable on a slow
            // runner, and the directory check below still applies.
            None => assert_eq!(
                o.status.signal(),
                Some(sig),
                "killed after {delay} ms by another signal than {sig}, not exiting {code}"
            ),
        }
        assert_eq!(
            files(dir.path()),
            files_expected(&out),
            "after signal {sig} at {delay} ms"
        );
        let _ = std::fs::remove_file(&out);
    }
    assert_eq!(batch_to(&input, &out).status.code(), Some(0));
    assert_eq!(std::fs::read(&out).unwrap(), expected);
}

/// What a directory may hold after a run: the input, and the output only
/// if the run finished.
fn files_expected(out: &Path) -> Vec<String> {
    let mut v = vec!["big.csv".to_string()];
    if out.exists() {
        v.push("coded.csv".into());
    }
    v
}

#[test]
fn an_unclosed_quote_is_an_error_naming_its_line_in_batch_import_and_build() {
    let (dir, _) = workdir();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "id,dx\n1,chest pain\n2,\"htn\n3,asthma\n").unwrap();
    let out = dir.path().join("out.csv");
    let o = batch_to(&bad, &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 3: a quoted field opens here and is never closed"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    let o = import(
        "csv",
        &bad,
        &out,
        &[
            "--code-column",
            "id",
            "--title-column",
            "dx",
            "--system",
            "x",
            "--version",
            "1",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 3: a quoted field"),
        "{}",
        stderr(&o)
    );
    let manual = dir.path().join("m.csv");
    std::fs::write(&manual, "code,title\nX1,one\nX2,\"two\nX3,three\n").unwrap();
    let o = build(
        &["--no-bundled"],
        &format!("cpt={}", manual.display()),
        &dir.path().join("i.mcx"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 3: a quoted field"),
        "{}",
        stderr(&o)
    );
    let long = format!("id,dx\n1,\"{}\"\n", "a\n".repeat(30));
    std::fs::write(&bad, long).unwrap();
    let o = run(&[
        "batch",
        bad.to_str().unwrap(),
        "-c",
        "dx",
        "--max-quoted-lines",
        "10",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2: a quoted field opens here and runs over more than 10 lines"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_column_error_never_prints_a_row() {
    let (dir, _) = workdir();
    let headerless = dir.path().join("rows.csv");
    std::fs::write(&headerless, "1,Jane Roe,chest pain\n2,John Doe,htn\n").unwrap();
    let o = run(&["batch", headerless.to_str().unwrap(), "-c", "diagnosis"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(!err.contains("Jane") && !err.contains("chest"), "{err}");
    assert!(err.contains("--no-header"), "the fix is named: {err}");
}

#[test]
fn out_of_range_options_are_usage_errors() {
    for args in [
        &["suggest", "-n", "1000000000", "x"][..],
        &["suggest", "-n", "0", "x"],
        &["suggest", "--max-cell", "0", "x"],
        &["batch", "-", "-c", "1", "--min-score", "NaN"],
        &["batch", "-", "-c", "1", "--min-score", "1.5"],
        &["batch", "-", "-c", "1", "--max-cell", "0"],
        &["batch", "-", "-c", "1", "-n", "1000000000"],
        &["shell", "-n", "0"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("invalid value"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn manuals_with_repeated_codes_control_bytes_or_empty_codes_are_refused_by_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    for (text, expected) in [
        (
            "code,title\nX1,one\nX1,two\n",
            "line 3, field 'code': cpt X1 is already the code of line 2",
        ),
        (
            "code,title\nX1,o\u{0}ne\n",
            "line 2, field 'title': holds a NUL or control character",
        ),
        (
            "code,title\nX1,one\n,two\n",
            "line 3, field 'code': the code is empty",
        ),
    ] {
        let m = dir.path().join("m.csv");
        std::fs::write(&m, text).unwrap();
        let o = build(
            &["--no-bundled"],
            &format!("cpt={}", m.display()),
            &dir.path().join("i.mcx"),
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(expected), "{}", stderr(&o));
    }
}

#[test]
fn a_fifo_as_index_or_manual_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    for args in [
        vec![
            "--index".to_string(),
            fifo.display().to_string(),
            "suggest".into(),
            "x".into(),
        ],
        vec![
            "build".into(),
            "--manual".into(),
            format!("cpt={}", fifo.display()),
        ],
    ] {
        let child = medcoder()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let o = wait_or_fail(child, 30, "a FIFO argument");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("is a FIFO (named pipe), not a regular file"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn an_os_error_is_printed_once_with_the_path_and_a_fix() {
    let o = run(&["batch", "/nonexistent/in.csv", "-c", "dx"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(
        err.contains("/nonexistent/in.csv") && err.contains("check the path"),
        "{err}"
    );
}

#[test]
fn a_huge_word_is_answered_and_a_line_over_max_cell_is_an_error_line() {
    let word = "a".repeat(1 << 20);
    let mut cmd = medcoder();
    cmd.args(["suggest", "--format", "jsonl", "--max-cell", "2000000"]);
    let o = run_with_stdin(&mut cmd, format!("{word}\nchest pain\n").as_bytes());
    assert_eq!(jsonl_codes(&stdout(&o)).len(), 2, "{}", stderr(&o));
    let mut cmd = medcoder();
    cmd.args(["suggest", "--format", "jsonl"]);
    let o = run_with_stdin(
        &mut cmd,
        format!("chest pain\n{}\nhtn\n", "x".repeat(20_000)).as_bytes(),
    );
    assert_eq!(o.status.code(), Some(2));
    let codes = jsonl_codes(&stdout(&o));
    assert_eq!(codes.len(), 3, "one line per input line");
    assert!(codes[1].is_empty() && codes[2].contains(&"I10".to_string()));
    assert!(
        stderr(&o).contains("line 2: 20000 bytes, more than the 10000 allowed"),
        "{}",
        stderr(&o)
    );
    let mut cmd = medcoder();
    cmd.args(["shell", "--no-history"]);
    let o = run_with_stdin(
        &mut cmd,
        format!("{}\nhtn\n", "x".repeat(20_000)).as_bytes(),
    );
    assert!(
        stdout(&o).contains("20000 bytes, more than the 10000 allowed"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("I10"));
}
