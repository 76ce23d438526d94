//! The dashboard's state and how events change it: panes, selection, sort, pause, help,
//! the source view, the program's output and its exit.
//!
//! [`App::update`] is a pure function of the state and one [`Event`] (it reads source files
//! the first time a profile names them, nothing else), so every key is unit-testable; what
//! it asks of the outside world (stop the program, quit) comes back as a [`Command`].

use crate::hot::{Digest, HotOp, JitSort, LinesSort, OpsSort};
use jitlens_profiler::{FileId, FunctionId, Profile, hash_source};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// What identifies a hot op across snapshots ([`HotOp::key`]).
type OpKey = (String, FunctionId, u32, u8, jitlens_profiler::Category);

/// The panes `Tab` cycles through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pane {
    /// The hot ops table.
    #[default]
    Ops,
    /// Hot lines with their source text.
    Lines,
    /// The JIT events log.
    Jit,
    /// The program's output.
    Output,
}

impl Pane {
    /// Every pane, in `Tab` order.
    pub const ALL: [Pane; 4] = [Pane::Ops, Pane::Lines, Pane::Jit, Pane::Output];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Ops => "Hot ops",
            Pane::Lines => "Hot lines",
            Pane::Jit => "JIT events",
            Pane::Output => "Output",
        }
    }

    fn index(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }
}

/// How the program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// It was killed by this signal.
    Signal(i32),
}

impl Exit {
    /// The exit code `jitlens top` returns for it (128 + signal, as a shell reports it).
    pub fn code(self) -> i32 {
        match self {
            Exit::Code(c) => c,
            Exit::Signal(s) => 128 + s,
        }
    }
}

/// Where the run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The program was started; no snapshot yet.
    Starting,
    /// The program runs.
    Running,
    /// The program ended; the final state stays on screen until `q`.
    Finished(Exit),
    /// A saved profile (`--profile FILE`).
    Browsing,
}

/// Which of the program's streams a piece of output came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Something that happened: a key, a snapshot, output, the program's exit, time passing.
#[derive(Debug)]
pub enum Event {
    /// A key was pressed.
    Key(KeyEvent),
    /// A new profile snapshot was read; `at` is the time since the dashboard started.
    Snapshot {
        /// The profile.
        profile: Box<Profile>,
        /// When it was read, since the start.
        at: Duration,
    },
    /// The live file could not be read; the message says why.
    SnapshotError(String),
    /// The program wrote this.
    Output(Stream, Vec<u8>),
    /// The program ended.
    Exited(Exit),
    /// The refresh tick, with the time since the start.
    Tick(Duration),
}

/// What [`App::update`] asks the outside world to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Send the program an interrupt (SIGINT), as Ctrl-C would.
    Interrupt,
    /// Kill the program now.
    Kill,
    /// Stop the program if it still runs, and close the dashboard.
    Quit,
}

/// A source file's text, read when a profile first names it.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceText {
    /// Its lines, without line ends.
    pub lines: Vec<String>,
    /// Whether the file changed since the run (its hash differs from the profile's).
    pub stale: bool,
}

/// The open source view (`Enter`).
#[derive(Clone, Debug, PartialEq)]
pub struct SourceView {
    /// The file shown.
    pub file: FileId,
    /// The function it was opened for.
    pub function: FunctionId,
    /// The selected line (1-based).
    pub cursor: u32,
}

/// The lines of the program's output the output pane keeps (the full output is kept on
/// disk and printed when the dashboard closes).
pub const OUTPUT_LINES: usize = 2000;

/// The longest unfinished line the output pane holds before it shows it as a line of its
/// own (a program that never prints a newline must not grow the pane without bound).
pub const PARTIAL_MAX: usize = 64 * 1024;

/// The tail of the program's output, as lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// Complete lines, oldest first, at most [`OUTPUT_LINES`].
    pub lines: VecDeque<(Stream, String)>,
    /// Lines dropped from the front to stay within the bound.
    pub dropped: u64,
    /// The unfinished last line of each stream, as bytes (a UTF-8 character may be split
    /// between two reads).
    partial: [Vec<u8>; 2],
}

impl Output {
    /// Adds bytes of one stream, splitting them into lines (in one pass: a flood of short
    /// lines costs linear time).
    pub fn push(&mut self, stream: Stream, bytes: &[u8]) {
        let i = stream as usize;
        let mut rest = bytes;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            let mut line = std::mem::take(&mut self.partial[i]);
            line.extend_from_slice(&rest[..nl]);
            rest = &rest[nl + 1..];
            self.push_line(stream, &line);
        }
        self.partial[i].extend_from_slice(rest);
        if self.partial[i].len() > PARTIAL_MAX {
            let line = std::mem::take(&mut self.partial[i]);
            self.push_line(stream, &line);
        }
    }

    fn push_line(&mut self, stream: Stream, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let text = text.trim_end_matches('\r').replace('\t', "    ");
        self.lines.push_back((stream, text));
        if self.lines.len() > OUTPUT_LINES {
            self.lines.pop_front();
            self.dropped += 1;
        }
    }

    /// The lines to show: the complete ones, then any unfinished last line of each stream.
    pub fn view(&self) -> impl Iterator<Item = (Stream, Cow<'_, str>)> {
        let partial = [Stream::Stdout, Stream::Stderr]
            .into_iter()
            .filter(|&s| !self.partial[s as usize].is_empty())
            .map(|s| (s, String::from_utf8_lossy(&self.partial[s as usize])));
        self.lines
            .iter()
            .map(|(s, l)| (*s, Cow::Borrowed(l.as_str())))
            .chain(partial)
    }

    /// How many lines [`Output::view`] yields.
    pub fn len(&self) -> usize {
        self.lines.len() + self.partial.iter().filter(|p| !p.is_empty()).count()
    }

    /// Whether there is no output at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The whole state of the dashboard.
#[derive(Debug)]
pub struct App {
    /// The program (or the saved profile's program) the header names.
    pub title: String,
    /// Where the run is.
    pub status: Status,
    /// Time since the dashboard started.
    pub elapsed: Duration,
    /// The profile shown (none before the first snapshot).
    pub profile: Option<Profile>,
    /// Its lists, sorted.
    pub digest: Digest,
    /// Samples per second, over the last second of snapshots.
    pub rate: f64,
    /// The focused pane.
    pub pane: Pane,
    /// The selected row of each pane (for the output pane: lines scrolled up from the end).
    pub selected: [usize; 4],
    /// The hot ops' order.
    pub ops_sort: OpsSort,
    /// The hot lines' order.
    pub lines_sort: LinesSort,
    /// The JIT log's order.
    pub jit_sort: JitSort,
    /// Whether the display is frozen (`p`); snapshots wait in `pending`.
    pub paused: bool,
    /// The newest snapshot that came in while paused.
    pub pending: Option<(Box<Profile>, Duration)>,
    /// Whether the help overlay is shown.
    pub help: bool,
    /// The open source view.
    pub source: Option<SourceView>,
    /// A message for the status line (an unreadable snapshot, an interrupt sent).
    pub message: Option<String>,
    /// The program's output.
    pub output: Output,
    /// Source files by path (`None`: not readable).
    pub sources: HashMap<String, Option<SourceText>>,
    /// Set when the dashboard should close.
    pub quit: bool,
    /// Whether the user moved the selection of a pane: from then on it follows its row
    /// across snapshots; until then it stays on the top row, like `top`'s.
    pub pinned: [bool; 4],
    interrupts: u32,
    rate_window: VecDeque<(Duration, u64)>,
}

impl App {
    /// A dashboard for a program about to run under `jitlens record --live`.
    pub fn live(program: &str) -> App {
        App::new(program.to_string(), Status::Starting)
    }

    /// A dashboard over a saved profile.
    pub fn browse(profile: Profile) -> App {
        let mut app = App::new(profile.run.program.clone(), Status::Browsing);
        app.apply(Box::new(profile), Duration::ZERO);
        app
    }

    fn new(title: String, status: Status) -> App {
        App {
            title,
            status,
            elapsed: Duration::ZERO,
            profile: None,
            digest: Digest::default(),
            rate: 0.0,
            pane: Pane::Ops,
            selected: [0; 4],
            ops_sort: OpsSort::default(),
            lines_sort: LinesSort::default(),
            jit_sort: JitSort::default(),
            paused: false,
            pending: None,
            help: false,
            source: None,
            message: None,
            output: Output::default(),
            sources: HashMap::new(),
            quit: false,
            pinned: [false; 4],
            interrupts: 0,
            rate_window: VecDeque::new(),
        }
    }

    /// Whether the program still runs.
    pub fn running(&self) -> bool {
        matches!(self.status, Status::Starting | Status::Running)
    }

    /// Gives the source text of a file, instead of reading it from disk (for tests, and
    /// for files the dashboard cannot read).
    pub fn set_source(&mut self, path: &str, text: &str) {
        let lines = text.lines().map(|l| l.replace('\t', "    ")).collect();
        self.sources.insert(
            path.to_string(),
            Some(SourceText {
                lines,
                stale: false,
            }),
        );
    }

    /// The source text of a file of the profile, if it could be read.
    pub fn source_of(&self, file: FileId) -> Option<&SourceText> {
        let p = self.profile.as_ref()?;
        let path = &p.files.get(file as usize)?.path;
        self.sources.get(path)?.as_ref()
    }

    /// One line of a file's source text, if known.
    pub fn source_line(&self, file: FileId, line: u32) -> Option<&str> {
        let text = self.source_of(file)?;
        text.lines
            .get((line as usize).checked_sub(1)?)
            .map(|s| s.as_str())
    }

    /// The hot op selected in the ops pane.
    pub fn selected_op(&self) -> Option<&HotOp> {
        self.digest.ops.get(self.selected[Pane::Ops.index()])
    }

    /// Applies one event; returns what the outside world must do.
    pub fn update(&mut self, event: Event) -> Option<Command> {
        match event {
            Event::Key(key) => return self.key(key),
            Event::Snapshot { profile, at } => {
                if self.status == Status::Starting {
                    self.status = Status::Running;
                }
                if self.paused {
                    self.pending = Some((profile, at));
                } else {
                    self.apply(profile, at);
                }
            }
            Event::SnapshotError(e) => {
                self.message = Some(format!("showing the last good snapshot: {e}"));
            }
            Event::Output(stream, bytes) => self.output.push(stream, &bytes),
            Event::Exited(exit) => {
                self.status = Status::Finished(exit);
                if self.interrupts > 0 {
                    self.message = None;
                }
                // No profile at all: the program's output (an error, most likely) is the
                // only thing to see.
                if self.profile.is_none() {
                    self.pane = Pane::Output;
                }
            }
            Event::Tick(t) => {
                if self.running() {
                    self.elapsed = t;
                }
            }
        }
        None
    }

    fn apply(&mut self, profile: Box<Profile>, at: Duration) {
        let ops_key = self
            .selected_op()
            .filter(|_| self.pinned[Pane::Ops.index()])
            .map(HotOp::key);
        let line_key = self
            .selected_line_key()
            .filter(|_| self.pinned[Pane::Lines.index()]);
        self.digest = Digest::new(&profile, self.ops_sort, self.lines_sort, self.jit_sort);
        // Sampling rate over the last second of snapshots; the run's average otherwise.
        let samples = profile.run.samples;
        self.rate_window.push_back((at, samples));
        while self
            .rate_window
            .front()
            .is_some_and(|&(t, _)| at.saturating_sub(t) > Duration::from_millis(1100))
        {
            self.rate_window.pop_front();
        }
        let (t0, s0) = self.rate_window.front().copied().unwrap_or((at, samples));
        let secs = at.saturating_sub(t0).as_secs_f64();
        self.rate = if profile.run.running && secs >= 0.15 {
            samples.saturating_sub(s0) as f64 / secs
        } else if profile.run.duration_ms > 0.0 {
            samples as f64 / (profile.run.duration_ms / 1000.0)
        } else {
            0.0
        };
        for f in &profile.files {
            if !self.sources.contains_key(&f.path) {
                let text = std::fs::read(&f.path).ok().map(|bytes| SourceText {
                    stale: !f.sha256.is_empty() && hash_source(&bytes) != f.sha256,
                    lines: String::from_utf8_lossy(&bytes)
                        .lines()
                        .map(|l| l.replace('\t', "    "))
                        .collect(),
                });
                self.sources.insert(f.path.clone(), text);
            }
        }
        if self.title.is_empty() {
            self.title = profile.run.program.clone();
        }
        self.profile = Some(*profile);
        self.message = None;
        self.reselect(ops_key, line_key);
    }

    fn selected_line_key(&self) -> Option<(FileId, u32)> {
        let p = self.profile.as_ref()?;
        let &i = self.digest.lines.get(self.selected[Pane::Lines.index()])?;
        p.lines.get(i).map(|l| (l.file, l.line))
    }

    /// Keeps the same op and line selected across a new snapshot or a new order.
    fn reselect(&mut self, ops_key: Option<OpKey>, line_key: Option<(FileId, u32)>) {
        if let Some(k) = ops_key
            && let Some(i) = self.digest.ops.iter().position(|o| o.key() == k)
        {
            self.selected[Pane::Ops.index()] = i;
        }
        if let (Some(k), Some(p)) = (line_key, self.profile.as_ref())
            && let Some(i) = self
                .digest
                .lines
                .iter()
                .position(|&i| p.lines.get(i).map(|l| (l.file, l.line)) == Some(k))
        {
            self.selected[Pane::Lines.index()] = i;
        }
        for pane in [Pane::Ops, Pane::Lines, Pane::Jit] {
            let n = self.rows(pane);
            let s = &mut self.selected[pane.index()];
            *s = (*s).min(n.saturating_sub(1));
        }
    }

    /// How many rows a pane has.
    pub fn rows(&self, pane: Pane) -> usize {
        match pane {
            Pane::Ops => self.digest.ops.len(),
            Pane::Lines => self.digest.lines.len(),
            Pane::Jit => self.digest.jit.len(),
            Pane::Output => self.output.len(),
        }
    }

    fn key(&mut self, key: KeyEvent) -> Option<Command> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c')) {
            return self.interrupt();
        }
        if self.help {
            match key.code {
                KeyCode::Char('q') => return self.close(),
                _ => self.help = false,
            }
            return None;
        }
        match key.code {
            KeyCode::Char('q') => return self.close(),
            KeyCode::Char('?') => self.help = true,
            KeyCode::Char('p') => {
                self.paused = !self.paused;
                if !self.paused
                    && let Some((p, at)) = self.pending.take()
                {
                    self.apply(p, at);
                }
            }
            KeyCode::Tab => {
                self.source = None;
                self.pane = Pane::ALL[(self.pane.index() + 1) % Pane::ALL.len()];
            }
            KeyCode::BackTab => {
                self.source = None;
                self.pane = Pane::ALL[(self.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()];
            }
            KeyCode::Esc => self.source = None,
            KeyCode::Enter => {
                if self.source.is_some() {
                    self.source = None;
                } else {
                    self.open_source();
                }
            }
            KeyCode::Char('s') if self.source.is_none() => self.next_sort(),
            KeyCode::Up | KeyCode::Char('k') => self.move_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.move_by(1),
            KeyCode::PageUp => self.move_by(-10),
            KeyCode::PageDown => self.move_by(10),
            KeyCode::Home | KeyCode::Char('g') => self.move_by(i64::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => self.move_by(i64::MAX / 2),
            _ => {}
        }
        None
    }

    /// `q`: close the dashboard (stopping the program if it still runs).
    fn close(&mut self) -> Option<Command> {
        self.quit = true;
        Some(Command::Quit)
    }

    /// Ctrl-C: interrupt the program (kill it on the second); close once it has ended.
    fn interrupt(&mut self) -> Option<Command> {
        if !self.running() {
            return self.close();
        }
        self.interrupts += 1;
        if self.interrupts == 1 {
            self.message = Some("interrupt sent to the program (Ctrl-C again kills it)".into());
            Some(Command::Interrupt)
        } else {
            self.message = Some("program killed".into());
            Some(Command::Kill)
        }
    }

    fn next_sort(&mut self) {
        let ops_key = self
            .selected_op()
            .filter(|_| self.pinned[Pane::Ops.index()])
            .map(HotOp::key);
        let line_key = self
            .selected_line_key()
            .filter(|_| self.pinned[Pane::Lines.index()]);
        match self.pane {
            Pane::Ops => self.ops_sort = self.ops_sort.next(),
            Pane::Lines => self.lines_sort = self.lines_sort.next(),
            Pane::Jit => self.jit_sort = self.jit_sort.next(),
            Pane::Output => return,
        }
        if let Some(p) = &self.profile {
            self.digest
                .sort(p, self.ops_sort, self.lines_sort, self.jit_sort);
        }
        self.reselect(ops_key, line_key);
    }

    fn move_by(&mut self, delta: i64) {
        if let Some(view) = &self.source {
            let in_profile = self
                .profile
                .as_ref()
                .and_then(|p| p.files.get(view.file as usize))
                .map(|f| f.line_count)
                .unwrap_or(0);
            let count = self.sources_len(view.file).unwrap_or(0).max(in_profile);
            let next = (view.cursor as i64)
                .saturating_add(delta)
                .clamp(1, count.max(1) as i64) as u32;
            if let Some(view) = &mut self.source {
                view.cursor = next;
            }
            return;
        }
        let n = self.rows(self.pane) as i64;
        self.pinned[self.pane.index()] = true;
        let s = &mut self.selected[self.pane.index()];
        // The output pane counts up from its last line.
        let delta = if self.pane == Pane::Output {
            -delta
        } else {
            delta
        };
        *s = (*s as i64).saturating_add(delta).clamp(0, (n - 1).max(0)) as usize;
    }

    fn sources_len(&self, file: FileId) -> Option<u32> {
        self.source_of(file).map(|t| t.lines.len() as u32)
    }

    /// `Enter`: open the source of the selected row's function, at its line.
    fn open_source(&mut self) {
        let Some(p) = &self.profile else { return };
        let at = match self.pane {
            Pane::Ops => self.selected_op().map(|o| (o.file, o.function, o.line)),
            Pane::Lines => self
                .digest
                .lines
                .get(self.selected[Pane::Lines.index()])
                .and_then(|&i| p.lines.get(i))
                .map(|l| (l.file, l.function, l.line)),
            Pane::Jit => self
                .digest
                .jit
                .get(self.selected[Pane::Jit.index()])
                .and_then(|&i| p.jit_events.get(i))
                .map(|e| {
                    let f = p.function(e.function);
                    (f.file, e.function, f.line)
                }),
            Pane::Output => None,
        };
        if let Some((file, function, line)) = at {
            self.source = Some(SourceView {
                file,
                function,
                cursor: line.max(1),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn ctrl_c() -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
    }

    fn snapshot(scale: f64, ms: u64) -> Event {
        Event::Snapshot {
            profile: Box::new(fixture::profile_at(scale)),
            at: Duration::from_millis(ms),
        }
    }

    fn live() -> App {
        let mut app = App::live("hot.py");
        app.set_source(fixture::PATH, fixture::SOURCE);
        app.update(snapshot(0.5, 500));
        app
    }

    #[test]
    fn tab_cycles_the_panes_both_ways() {
        let mut app = live();
        let mut seen = vec![app.pane];
        for _ in 0..4 {
            app.update(key(KeyCode::Tab));
            seen.push(app.pane);
        }
        assert_eq!(
            seen,
            [Pane::Ops, Pane::Lines, Pane::Jit, Pane::Output, Pane::Ops]
        );
        app.update(key(KeyCode::BackTab));
        assert_eq!(app.pane, Pane::Output);
    }

    #[test]
    fn arrows_move_the_selection_within_the_rows() {
        let mut app = live();
        assert_eq!(app.selected_op().unwrap().op, "BINARY_OP_MULTIPLY_FLOAT");
        app.update(key(KeyCode::Up));
        assert_eq!(app.selected[0], 0);
        app.update(key(KeyCode::Down));
        assert_eq!(app.selected_op().unwrap().op, "FOR_ITER_RANGE");
        app.update(key(KeyCode::End));
        assert_eq!(app.selected[0], app.digest.ops.len() - 1);
        app.update(key(KeyCode::Down));
        assert_eq!(app.selected[0], app.digest.ops.len() - 1);
        app.update(key(KeyCode::Home));
        assert_eq!(app.selected[0], 0);
    }

    #[test]
    fn s_changes_the_sort_and_keeps_the_selected_op() {
        let mut app = live();
        app.update(key(KeyCode::Down));
        let chosen = app.selected_op().unwrap().key();
        app.update(key(KeyCode::Char('s')));
        assert_eq!(app.ops_sort, OpsSort::Op);
        let names: Vec<&str> = app.digest.ops.iter().map(|o| o.op.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(app.selected_op().unwrap().key(), chosen);
        for _ in 0..3 {
            app.update(key(KeyCode::Char('s')));
        }
        assert_eq!(app.ops_sort, OpsSort::Share);
        // In the lines pane, `s` sorts the lines, not the ops.
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Char('s')));
        assert_eq!(
            (app.ops_sort, app.lines_sort),
            (OpsSort::Share, LinesSort::Location)
        );
        let p = app.profile.as_ref().unwrap();
        let order: Vec<u32> = app.digest.lines.iter().map(|&i| p.lines[i].line).collect();
        assert_eq!(order, [2, 3, 4, 5, 9, 11]);
    }

    #[test]
    fn the_selection_follows_its_op_across_snapshots() {
        let mut app = live();
        app.update(key(KeyCode::Down));
        app.update(key(KeyCode::Down));
        let chosen = app.selected_op().unwrap().key();
        // A snapshot in which the interpreter's multiply overtakes everything.
        let mut p = fixture::profile();
        p.lines[0].ops[1].samples = 5000;
        app.update(Event::Snapshot {
            profile: Box::new(p),
            at: Duration::from_secs(1),
        });
        assert_eq!(app.selected[0], 0);
        assert_eq!(app.selected_op().unwrap().key(), chosen);
    }

    #[test]
    fn an_untouched_selection_stays_on_the_top_row() {
        let mut app = live();
        let mut p = fixture::profile();
        p.lines[0].ops[1].samples = 5000;
        app.update(Event::Snapshot {
            profile: Box::new(p),
            at: Duration::from_secs(1),
        });
        assert_eq!(app.selected[0], 0);
        assert_eq!(
            app.selected_op().unwrap().category,
            jitlens_profiler::Category::Interpreter
        );
    }

    #[test]
    fn pause_holds_snapshots_until_resumed() {
        let mut app = live();
        let before = app.profile.as_ref().unwrap().run.samples;
        app.update(key(KeyCode::Char('p')));
        assert!(app.paused);
        app.update(snapshot(1.0, 1600));
        assert_eq!(app.profile.as_ref().unwrap().run.samples, before);
        app.update(key(KeyCode::Char('p')));
        assert!(!app.paused);
        assert_eq!(app.profile.as_ref().unwrap().run.samples, 1000);
        assert!(app.pending.is_none());
    }

    #[test]
    fn help_opens_and_any_key_closes_it_but_q_still_quits() {
        let mut app = live();
        app.update(key(KeyCode::Char('?')));
        assert!(app.help);
        assert_eq!(app.update(key(KeyCode::Tab)), None);
        assert!(!app.help);
        assert_eq!(
            app.pane,
            Pane::Ops,
            "the key that closes help does nothing else"
        );
        app.update(key(KeyCode::Char('?')));
        assert_eq!(app.update(key(KeyCode::Char('q'))), Some(Command::Quit));
        assert!(app.quit);
    }

    #[test]
    fn enter_opens_the_source_at_the_selected_line_and_esc_closes_it() {
        let mut app = live();
        app.update(key(KeyCode::Down));
        app.update(key(KeyCode::Enter));
        let view = app.source.clone().expect("source view");
        assert_eq!((view.function, view.cursor), (1, 3));
        app.update(key(KeyCode::Down));
        assert_eq!(app.source.as_ref().unwrap().cursor, 4);
        app.update(key(KeyCode::End));
        assert_eq!(app.source.as_ref().unwrap().cursor, 11);
        app.update(key(KeyCode::Esc));
        assert!(app.source.is_none());
        // From the JIT log: the function's `def` line.
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Tab));
        app.update(key(KeyCode::Down));
        app.update(key(KeyCode::Enter));
        let view = app.source.clone().expect("source view");
        assert_eq!((view.function, view.cursor), (2, 7));
        // Tab leaves the source view for the next pane.
        app.update(key(KeyCode::Tab));
        assert!(app.source.is_none());
        assert_eq!(app.pane, Pane::Output);
    }

    #[test]
    fn ctrl_c_interrupts_then_kills_then_quits_once_ended() {
        let mut app = live();
        assert_eq!(app.update(ctrl_c()), Some(Command::Interrupt));
        assert!(!app.quit, "the final state stays on screen");
        assert_eq!(app.update(ctrl_c()), Some(Command::Kill));
        app.update(Event::Exited(Exit::Signal(9)));
        assert_eq!(app.status, Status::Finished(Exit::Signal(9)));
        assert_eq!(Exit::Signal(9).code(), 137);
        assert_eq!(app.update(ctrl_c()), Some(Command::Quit));
    }

    #[test]
    fn a_bad_snapshot_keeps_the_last_good_one() {
        let mut app = live();
        let good = app.profile.clone();
        app.update(Event::SnapshotError(
            "live snapshot unreadable: truncated".into(),
        ));
        assert_eq!(app.profile, good);
        assert!(app.message.as_deref().unwrap().contains("truncated"));
        app.update(snapshot(0.6, 700));
        assert!(app.message.is_none());
    }

    #[test]
    fn the_rate_is_measured_over_recent_snapshots() {
        let mut app = App::live("hot.py");
        app.update(snapshot(0.4, 600));
        app.update(snapshot(0.5, 800));
        // 0.4 → 0.5 of the fixture is 100 samples more in 0.2 s.
        let delta = fixture::profile_at(0.5).run.samples - fixture::profile_at(0.4).run.samples;
        assert!((app.rate - delta as f64 / 0.2).abs() < 1e-6, "{}", app.rate);
        // The finished profile: samples over the run's duration.
        app.update(snapshot(1.0, 1700));
        assert!((app.rate - 1000.0 / 1.6).abs() < 1e-6, "{}", app.rate);
    }

    #[test]
    fn ticks_stop_the_clock_when_the_program_ends() {
        let mut app = live();
        app.update(Event::Tick(Duration::from_millis(900)));
        app.update(Event::Exited(Exit::Code(3)));
        app.update(Event::Tick(Duration::from_millis(5000)));
        assert_eq!(app.elapsed, Duration::from_millis(900));
        assert!(!app.running());
    }

    #[test]
    fn output_is_split_into_lines_and_bounded() {
        let mut out = Output::default();
        out.push(Stream::Stdout, b"one\ntw");
        out.push(Stream::Stderr, b"err\n");
        out.push(Stream::Stdout, b"o\n\tthree");
        let lines: Vec<(Stream, String)> = out.view().map(|(s, l)| (s, l.into_owned())).collect();
        assert_eq!(
            lines,
            [
                (Stream::Stdout, "one".to_string()),
                (Stream::Stderr, "err".to_string()),
                (Stream::Stdout, "two".to_string()),
                (Stream::Stdout, "\tthree".to_string()),
            ]
        );
        // A character split between two reads is whole in its line.
        let mut split = Output::default();
        split.push(Stream::Stdout, &"é\n".as_bytes()[..1]);
        split.push(Stream::Stdout, &"é\n".as_bytes()[1..]);
        assert_eq!(split.lines[0].1, "é");
        // A line that never ends is shown in pieces, not held without bound.
        split.push(Stream::Stderr, &vec![b'x'; PARTIAL_MAX + 1]);
        assert_eq!(split.lines[1].1.len(), PARTIAL_MAX + 1);
        assert_eq!(split.len(), 2);
        for i in 0..OUTPUT_LINES + 5 {
            out.push(Stream::Stdout, format!("{i}\n").as_bytes());
        }
        assert_eq!(out.lines.len(), OUTPUT_LINES);
        assert_eq!(out.dropped, 3 + 5);
        assert_eq!(out.lines.back().unwrap().1, format!("{}", OUTPUT_LINES + 4));
        assert!(
            out.view().all(|(_, l)| l != "one"),
            "the oldest lines go first"
        );
    }
}
