//! `jitlens top`: a terminal dashboard of where a Python program's time goes and what the
//! JIT does, live while it runs (under `jitlens record --live`) or over a saved profile.
//!
//! It reads the profile model only (`jitlens-profiler` without its sampler): the VM is not
//! linked in, and the program runs in a child process. Modules:
//!
//! - [`app`]: the state and a pure update from one event (keys, snapshots, output, exit);
//! - [`hot`]: a profile's hot ops, lines and JIT events as sorted lists;
//! - [`view`]: a pure `render(&App, &mut Frame)`, one module per widget;
//! - [`live`]: the child process, its snapshots and its output;
//! - [`terminal`]: raw mode and the alternate screen, restored on exit and on panic.

#![deny(unsafe_code)]

pub mod app;
pub mod hot;
pub mod live;
pub mod terminal;
pub mod view;

#[cfg(test)]
mod fixture;

use app::{App, Command, Event};
use live::{LiveOptions, LiveRun};
use ratatui::crossterm::event as ct;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often the dashboard reads the live profile and redraws.
pub const REFRESH: Duration = Duration::from_millis(250);

/// How long `q` waits for the interrupted program before killing it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// What to show.
#[derive(Clone, Debug)]
pub enum Source {
    /// Run this program (and its arguments) under `jitlens record --live`.
    Run(LiveOptions),
    /// Browse a saved profile; `-o FILE` saves a copy.
    Profile {
        /// The profile file.
        path: PathBuf,
        /// Where to save a copy, if anywhere.
        output: Option<PathBuf>,
    },
}

/// Runs the dashboard; returns the exit code of `jitlens top`: the program's, 0 for a saved
/// profile, 2 without a terminal or when the program cannot be started, 1 for an
/// unreadable profile.
pub fn run(source: Source) -> i32 {
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "jitlens top: needs a terminal, and stdout is not one; to profile without one, use \
             `jitlens record -o FILE` and `jitlens report FILE`"
        );
        return 2;
    }
    match source {
        Source::Profile { path, output } => {
            let profile = match jitlens_profiler::load(&path) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("jitlens top: {e}");
                    return 1;
                }
            };
            if let Some(out) = output
                && let Err(e) = jitlens_profiler::save(&profile, &out)
            {
                eprintln!("jitlens top: {e}");
                return 1;
            }
            match dashboard(App::browse(profile), None) {
                Ok(_) => 0,
                Err(e) => {
                    eprintln!("jitlens top: terminal error: {e}");
                    1
                }
            }
        }
        Source::Run(opts) => {
            let started = std::time::SystemTime::now();
            let mut live = match LiveRun::spawn(&opts) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("jitlens top: {e}");
                    return 2;
                }
            };
            let program = opts.program.first().cloned().unwrap_or_default();
            let result = dashboard(App::live(&program), Some(&mut live));
            // The terminal is restored: stop the program if it still runs, then print its
            // output where it would have gone.
            live.stop(STOP_GRACE);
            live.hand_back_output();
            let app = match result {
                Ok(app) => app,
                Err(e) => {
                    eprintln!("jitlens top: terminal error: {e}");
                    return live.exit().map(|e| e.code()).unwrap_or(1);
                }
            };
            // record writes -o at the end; a program stopped early may leave it unwritten
            // (or as an older run left it): then the last snapshot is the profile.
            let written_by_record = |out: &std::path::Path| {
                std::fs::metadata(out)
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t >= started)
            };
            if let Some(out) = &opts.output
                && !written_by_record(out)
                && let Some(p) = &app.profile
            {
                match jitlens_profiler::save(p, out) {
                    Ok(()) => eprintln!(
                        "jitlens top: the program was stopped before it finished; saved its \
                         last snapshot to {}",
                        out.display()
                    ),
                    Err(e) => eprintln!("jitlens top: {e}"),
                }
            }
            live.exit().map(|e| e.code()).unwrap_or(1)
        }
    }
}

/// The event loop: draws, reads keys, and on each [`REFRESH`] tick reads the live run.
/// Returns the final state once the user quits; the terminal is restored by then.
fn dashboard(mut app: App, mut live: Option<&mut LiveRun>) -> std::io::Result<App> {
    let mut screen = terminal::Screen::enter()?;
    let start = Instant::now();
    let mut next_tick = start;
    let mut dirty = true;
    loop {
        let now = Instant::now();
        if now >= next_tick {
            if let Some(live) = live.as_deref_mut() {
                let events = live.poll(now - start);
                dirty |= !events.is_empty() || app.running();
                for ev in events {
                    if let Some(cmd) = app.update(ev) {
                        obey(cmd, live);
                    }
                }
            }
            app.update(Event::Tick(now - start));
            next_tick += REFRESH;
            if next_tick < now {
                next_tick = now + REFRESH;
            }
        }
        if dirty {
            screen.terminal.draw(|f| view::render(&app, f))?;
            dirty = false;
        }
        if app.quit {
            break;
        }
        let wait = next_tick.saturating_duration_since(Instant::now());
        if ct::poll(wait)? {
            match ct::read()? {
                ct::Event::Key(key) => {
                    if let Some(cmd) = app.update(Event::Key(key))
                        && let Some(live) = live.as_deref_mut()
                    {
                        obey(cmd, live);
                    }
                    dirty = true;
                }
                ct::Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
    }
    drop(screen);
    Ok(app)
}

/// Carries out what the state asked for.
fn obey(cmd: Command, live: &mut LiveRun) {
    match cmd {
        Command::Interrupt => live.interrupt(),
        Command::Kill => live.kill(),
        // The caller stops the program once the terminal is restored.
        Command::Quit => {}
    }
}
