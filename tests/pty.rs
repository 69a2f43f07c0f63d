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
