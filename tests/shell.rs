//! The interactive shell, driven as a coder would drive it: scripted
//! sessions on stdin, and one session through a real pseudo-terminal.

use crate::pty::Pty;
use crate::util::*;
use std::path::Path;

/// Runs `medcoder shell ARGS` with `input` on stdin and a fresh data
/// directory; returns stdout and the data directory.
fn session_in(args: &[&str], input: &str) -> (String, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let mut cmd = medcoder();
    cmd.arg("shell")
        .args(args)
        .env("MEDCODER_DATA_DIR", data.path())
        .env_remove("MEDCODER_NO_HISTORY");
    let out = run_with_stdin(&mut cmd, input.as_bytes());
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        stderr(&out)
    );
    (stdout(&out), data)
}

fn session(input: &str) -> String {
    session_in(&[], input).0
}

/// The numbered rows on screen: (number, code, billable mark).
fn rows(screen: &str) -> Vec<(usize, String, String)> {
    screen
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let n = f.next()?.parse().ok()?;
            Some((n, f.next()?.to_string(), f.next()?.to_string()))
        })
        .collect()
}

fn has_row(screen: &str, code: &str, mark: &str) -> bool {
    rows(screen).iter().any(|(_, c, m)| c == code && m == mark)
}

#[test]
fn phrase_shows_e11_40_among_numbered_suggestions() {
    let screen = session("type 2 diabetes with neuropathy\n");
    let r = rows(&screen);
    assert!(
        r.iter().any(|(_, c, m)| c == "E11.40" && m == "Y"),
        "{screen}"
    );
    let numbers: Vec<usize> = r.iter().map(|x| x.0).collect();
    assert_eq!(
        numbers,
        (1..=numbers.len()).collect::<Vec<_>>(),
        "numbered 1..N: {screen}"
    );
    assert!(screen.contains("icd10cm 2026"), "release shown: {screen}");
    assert!(
        screen.lines().all(|l| l.chars().count() < 80),
        "fits 80 columns: {screen}"
    );
    assert!(
        !screen.contains("medcoder>"),
        "no prompt in a scripted session"
    );
    assert!(
        !screen.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn opening_e11_shows_its_billable_children() {
    for open in ["E11", "e11", ":open E11"] {
        let screen = session(&format!("{open}\n"));
        assert!(
            screen.contains("E11  Type 2 diabetes mellitus"),
            "{open}: {screen}"
        );
        assert!(screen.contains("NOT billable"), "{screen}");
        assert!(
            has_row(&screen, "E11.9", "Y"),
            "direct billable child: {screen}"
        );
        assert!(has_row(&screen, "E11.4", "-"), "header child: {screen}");
        assert!(
            has_row(&screen, "E11.40", "Y"),
            "billable code further down: {screen}"
        );
        assert!(screen.contains("Excludes1"), "notes shown: {screen}");
    }
}

#[test]
fn a_suggestion_number_opens_it_and_children_open_by_number() {
    let screen = session("E11\n5\n1\n");
    assert!(
        screen.contains("E11.4  Type 2 diabetes mellitus with neurological complications"),
        "{screen}"
    );
    assert!(
        screen.contains("E11.40  Type 2 diabetes mellitus with diabetic neuropathy, unspecified\n  icd10cm 2026 · billable"),
        "{screen}"
    );
}

#[test]
fn back_returns_to_the_previous_list() {
    let screen = session("type 2 diabetes with neuropathy\n1\nb\n:back\n");
    assert_eq!(
        screen.matches("searched icd10cm").count(),
        2,
        "list drawn again: {screen}"
    );
    assert!(screen.contains("nothing to go back to"), "{screen}");
}

#[test]
fn picking_two_codes_prints_both_in_order() {
    let screen = session("type 2 diabetes with neuropathy\n+1\nE11\n:pick 9\n+9\nI10\n+\n:print\n");
    assert!(screen.contains("picked E11.40 (1 in worklist)"), "{screen}");
    assert!(screen.contains("E11.9 is already number 2"), "{screen}");
    assert_eq!(
        screen.lines().last(),
        Some("E11.40, E11.9, I10"),
        "{screen}"
    );
}

#[test]
fn worklist_lists_removes_and_clears() {
    let screen = session(":print\nE11.40\n+\nI10\n+\n:list\n:rm 1\n:print\n:rm 7\n:clear\n:list\n");
    assert!(screen.contains("(worklist is empty)"), "{screen}");
    let list: Vec<String> = rows(&screen)
        .into_iter()
        .filter(|r| r.0 <= 2)
        .map(|r| r.1)
        .collect();
    assert!(
        list.ends_with(&["E11.40".to_string(), "I10".to_string()]),
        "{screen}"
    );
    assert!(
        screen.contains("removed E11.40 (1 in worklist)"),
        "{screen}"
    );
    assert!(screen.lines().any(|l| l == "I10"), "{screen}");
    assert!(screen.contains("usage: :rm N"), "{screen}");
    assert!(
        screen.contains("worklist cleared (1 code removed)"),
        "{screen}"
    );
    assert!(
        screen.trim_end().ends_with("(worklist is empty)"),
        "{screen}"
    );
}

#[test]
fn csv_has_a_header_and_one_row_per_code() {
    let screen = session("E11.40\n+\nI10\n+\n:csv\n");
    let csv = &screen[screen.find("code,title,system,version").expect(&screen)..];
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert_eq!(rows[0][0], "E11.40");
    assert_eq!(
        rows[0][1],
        "Type 2 diabetes mellitus with diabetic neuropathy, unspecified"
    );
    assert_eq!(
        &rows[1][..],
        ["I10", "Essential (primary) hypertension", "icd10cm", "2026"]
    );
}

#[test]
fn system_n_and_explain_change_the_search() {
    let screen = session(
        ":system\n:system bogus\n:system icd10cm\n:n 3\n:explain on\nhypertension\n:system auto\n",
    );
    assert!(screen.contains("system: auto"), "{screen}");
    assert!(
        screen.contains("unknown system 'bogus'; this index has: "),
        "{screen}"
    );
    assert!(screen.contains("system: icd10cm"), "{screen}");
    assert_eq!(rows(&screen).len(), 3, "{screen}");
    assert!(
        screen.contains("matched title"),
        "explanations shown: {screen}"
    );
}

#[test]
fn help_lists_the_commands_and_warns_about_history() {
    let screen = session(":help\n");
    for word in [
        ":pick", ":list", ":rm", ":clear", ":print", ":csv", ":system", ":n", ":explain", ":quit",
        "Ctrl-C", "Ctrl-D", "Tab",
    ] {
        assert!(screen.contains(word), "{word}: {screen}");
    }
    assert!(
        screen.contains("patient details") && screen.contains("MEDCODER_NO_HISTORY"),
        "{screen}"
    );
}

#[test]
fn unknown_commands_and_bad_numbers_say_what_to_do() {
    let screen = session("3\n:frobnicate\nhypertension\n99\n");
    assert!(screen.contains("type a phrase first"), "{screen}");
    assert!(
        screen.contains("unknown command ':frobnicate'; type :help"),
        "{screen}"
    );
    assert!(screen.contains("no number 99 on screen (1-10)"), "{screen}");
}

#[test]
fn quit_stops_reading() {
    let screen = session(":q\nhypertension\n");
    assert!(screen.is_empty(), "{screen}");
}

fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn scripted_sessions_write_no_history() {
    for args in [&[][..], &["--no-history"][..]] {
        let (_, data) = session_in(args, "type 2 diabetes\n:q\n");
        assert!(
            files_in(data.path()).is_empty(),
            "{args:?}: {:?}",
            files_in(data.path())
        );
    }
}

#[test]
fn no_command_without_a_terminal_is_still_an_error() {
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no command given"));
}

#[test]
fn a_terminal_session_completes_colours_and_keeps_private_history() {
    let data = tempfile::tempdir().unwrap();
    let mut pty = Pty::start("", data.path());
    pty.expect("medcoder> ");
    pty.type_line("type 2 diabetes with neuropathy\r");
    assert!(
        pty.screen.contains("\x1b[1;36mE11.40"),
        "coloured codes: {}",
        pty.screen
    );
    pty.type_line("+1\r");
    pty.type_line("E11\r");
    pty.type_line("+9\r");
    pty.type_line(":print\r");
    assert!(pty.screen.contains("E11.40, E11.9"), "{}", pty.screen);
    // Tab completes from the words of the titles.
    pty.send("neuropa\t\t");
    pty.expect("neuropathy");
    pty.send("\x03"); // Ctrl-C clears the line
    pty.expect("> ");
    pty.send(" secret phrase\r"); // a leading space keeps a line out of history
    pty.expect("> ");
    pty.send("\x04"); // Ctrl-D quits
    let status = pty.child.wait().unwrap();
    assert!(status.success());
    let history = std::fs::read_to_string(data.path().join("history")).unwrap();
    assert!(
        history.contains("type 2 diabetes with neuropathy") && history.contains(":print"),
        "{history}"
    );
    assert!(!history.contains("secret"), "{history}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.path().join("history"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "history readable only by its owner: {mode:o}"
        );
    }
}

#[test]
fn no_history_flag_keeps_nothing_at_a_terminal() {
    let data = tempfile::tempdir().unwrap();
    let mut pty = Pty::start("--no-history", data.path());
    pty.expect("medcoder> ");
    pty.type_line("hypertension\r");
    pty.send("\x04");
    assert!(pty.child.wait().unwrap().success());
    assert!(
        files_in(data.path()).is_empty(),
        "{:?}",
        files_in(data.path())
    );
}

#[test]
fn suggestions_show_score_and_billable_mark_and_whole_titles() {
    let screen = session("type 2 diabetes with neuropathy\nE11\n");
    let scored: Vec<f32> = screen
        .lines()
        .filter(|l| l.contains("E11.40 "))
        .filter_map(|l| l.split_whitespace().nth(3)?.parse().ok())
        .collect();
    assert!(
        scored.first().is_some_and(|s| (0.9..=1.0).contains(s)),
        "a score after the billable mark: {screen}"
    );
    assert!(!screen.contains('…'), "no title is cut: {screen}");
    let joined = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        joined.contains(
            "Type 2 diabetes mellitus with diabetic peripheral angiopathy without gangrene"
        ),
        "a long sibling title is shown whole (wrapped): {screen}"
    );
}

#[test]
fn a_mistyped_command_or_code_gets_the_closest() {
    let screen = session(":lsit\n:explian on\n:open E11.99\n");
    assert!(screen.contains("did you mean :list?"), "{screen}");
    assert!(screen.contains("did you mean :explain?"), "{screen}");
    assert!(
        screen.contains("E11.99: no such code in icd10cm, icd10pcs, hcpcs; closest: E11.9,"),
        "{screen}"
    );
}

/// The words of `title` appear on `screen` in order and whole: every line
/// break fell between two words.
fn shown_whole(screen: &str, title: &str) -> bool {
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.contains(&title.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn at_60_and_200_columns_rows_fit_and_no_title_is_cut_mid_word() {
    let q = "type 2 diabetes with neuropathy";
    let jsonl = stdout(&run(&["suggest", "-f", "jsonl", "-n", "5", q]));
    let v: serde_json::Value = serde_json::from_str(jsonl.trim()).unwrap();
    let titles: Vec<String> = v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_string())
        .collect();
    for cols in [60u16, 200] {
        let t = crate::pty::Tmux::start(cols, 50, &[]);
        let banner = t.wait_for("the prompt", |s| s.contains("medcoder>"));
        assert!(
            banner.contains("Ctrl-D quits"),
            "the banner wraps between words: {banner}"
        );
        t.type_line(":n 5");
        t.type_line(q);
        let screen = t.wait_for("5 suggestions", |s| s.contains("N opens code N"));
        for line in screen.lines() {
            assert!(line.chars().count() <= usize::from(cols), "{cols}: {line}");
        }
        assert!(!screen.contains('…'), "{cols}: {screen}");
        for title in &titles {
            assert!(shown_whole(&screen, title), "{cols}: {title} in\n{screen}");
        }
        let wrapped = screen.lines().filter(|l| l.starts_with("        ")).count();
        assert_eq!(
            wrapped > 0,
            cols == 60,
            "{cols}: titles wrap only when narrow:\n{screen}"
        );
        let e1140 = screen.lines().find(|l| l.contains("E11.40")).unwrap();
        assert!(
            e1140.split_whitespace().nth(2) == Some("Y")
                && e1140
                    .split_whitespace()
                    .nth(3)
                    .is_some_and(|s| s.parse::<f32>().is_ok()),
            "billable mark and score: {e1140}"
        );
    }
}

#[test]
fn long_detail_goes_through_the_pager_and_short_answers_do_not() {
    let t = crate::pty::Tmux::start(80, 24, &[]);
    t.wait_for("the prompt", |s| s.contains("medcoder>"));
    t.type_line(":n 3");
    t.wait_for("a short answer, no pager", |s| {
        s.contains("showing 3 suggestions") && s.lines().any(|l| l.trim_end() == "medcoder>")
    });
    t.type_line("E11");
    // less -FRX: the first screen of the detail, and its ':' prompt.
    let screen = t.wait_for("the pager's prompt", |s| {
        s.lines().rev().find(|l| !l.trim().is_empty()) == Some(":")
    });
    assert!(screen.contains("E11  Type 2 diabetes mellitus"), "{screen}");
    assert!(
        !screen.contains("b goes back"),
        "the rest waits in the pager: {screen}"
    );
    t.send(&["G"]);
    t.wait_for("the end of the detail", |s| s.contains("b goes back"));
    t.send(&["q"]);
    t.wait_for("the prompt again", |s| {
        s.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_end() == "medcoder>")
    });
    // $PAGER is used when set.
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("paged");
    let pager = format!("cat > {}", mark.display());
    let t = crate::pty::Tmux::start(80, 24, &[("PAGER", &pager)]);
    t.wait_for("the prompt", |s| s.contains("medcoder>"));
    t.type_line("E11");
    t.wait_for("the prompt after paging", |_| {
        std::fs::read_to_string(&mark).is_ok_and(|s| s.contains("b goes back"))
    });
    let paged = std::fs::read_to_string(&mark).unwrap();
    assert!(
        paged.contains("E11\x1b[0m  \x1b[1mType 2 diabetes mellitus"),
        "the detail, with its colours for less -R: {paged}"
    );
}
