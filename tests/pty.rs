//! A pseudo-terminal for the shell tests: the real binary run under
//! util-linux `script`, so that it sees a terminal (prompt, colour, line
//! editing, history) and is driven as a person would drive it.

use crate::util::cache_dir;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A session through a real pseudo-terminal (util-linux `script`), each
/// line typed only once the prompt is back, as a person would.
pub struct Pty {
    /// The `script` process running the shell.
    pub child: std::process::Child,
    output: mpsc::Receiver<Vec<u8>>,
    /// Everything shown so far.
    pub screen: String,
    seen: usize,
}

impl Pty {
    /// Starts `medcoder shell ARGS` with `data` as its data directory.
    /// Panics where there is no `script` (util-linux) to make the
    /// pseudo-terminal: `.ci/run` installs it.
    pub fn start(args: &str, data: &Path) -> Pty {
        assert!(
            Command::new("script").arg("--version").output().is_ok(),
            "no `script` to make a pseudo-terminal: install util-linux (apt-get install bsdutils), as .ci/run does"
        );
        let cmdline = format!("{} shell {args}", env!("CARGO_BIN_EXE_medcoder"));
        let mut child = Command::new("script")
            .args(["-qfec", &cmdline, "/dev/null"])
            .env("MEDCODER_CACHE_DIR", cache_dir())
            .env("MEDCODER_DATE", crate::util::TEST_DATE)
            .env("MEDCODER_DATA_DIR", data)
            .env("TERM", "xterm")
            .env("COLUMNS", "80")
            .env_remove("NO_COLOR")
            .env_remove("MEDCODER_NO_HISTORY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script starts");
        let mut stdout = child.stdout.take().expect("piped stdout");
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Pty {
            child,
            output,
            screen: String::new(),
            seen: 0,
        }
    }

    /// Waits until `needle` shows after what was already seen.
    pub fn expect(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(i) = self.screen[self.seen..].find(needle) {
                self.seen += i + needle.len();
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(b) => self.screen.push_str(&String::from_utf8_lossy(&b)),
                Err(_) => panic!("waited for {needle:?}; the screen shows:\n{}", self.screen),
            }
        }
    }

    /// Types `keys` and waits for the next prompt.
    pub fn type_line(&mut self, keys: &str) {
        self.send(keys);
        self.expect("medcoder");
        self.expect("> ");
    }

    /// Types `keys` without waiting.
    pub fn send(&mut self, keys: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
}

/// A shell session in a detached tmux window of a fixed size, read back
/// with `capture-pane` as the screen a person sees.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `medcoder shell --no-history` in a `cols`×`rows` window with
    /// `env` set; fails when tmux is missing (`.ci/run` installs it).
    pub fn start(cols: u16, rows: u16, env: &[(&str, &str)]) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let socket = format!(
            "medcoder-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let mut cmdline = format!(
            "env -u NO_COLOR MEDCODER_CACHE_DIR='{}' TERM=xterm",
            cache_dir().display()
        );
        for (k, v) in env {
            cmdline.push_str(&format!(" {k}='{v}'"));
        }
        cmdline.push_str(&format!(
            " {} shell --no-history",
            env!("CARGO_BIN_EXE_medcoder")
        ));
        let t = Tmux { socket };
        let status = t
            .tmux(&[
                "new-session",
                "-d",
                "-x",
                &cols.to_string(),
                "-y",
                &rows.to_string(),
                &cmdline,
            ])
            .unwrap_or_else(|e| panic!("tmux is needed for this test (.ci/run installs it): {e}"));
        assert!(status.status.success(), "tmux: {:?}", status);
        t
    }

    fn tmux(&self, args: &[&str]) -> std::io::Result<std::process::Output> {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .stdin(Stdio::null())
            .output()
    }

    /// The screen as text, one line per row, trailing blanks dropped.
    pub fn screen(&self) -> String {
        let o = self.tmux(&["capture-pane", "-p"]).unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Waits until `pred` holds for the screen; returns that screen.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("waited for {what}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Types `keys` then Enter once the prompt is back (keys typed ahead
    /// of the line editor may be lost).
    pub fn type_line(&self, keys: &str) {
        self.wait_for("the prompt", |s| {
            s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_end() == "medcoder>")
        });
        self.send(&["-l", keys]);
        self.wait_for("the typed keys", |s| s.contains(keys));
        self.send(&["Enter"]);
    }

    /// Sends tmux key names or, after `-l`, literal text.
    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).unwrap().status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}
