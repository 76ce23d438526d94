//! Snapshot tests of every view, drawn with the fixture profile on ratatui's `TestBackend`
//! at 80×24, at 120×40 and (two more panes below) at 160×48, compared with the text files in `src/view/snapshots/`.
//!
//! `JITLENS_BLESS=1 cargo test -p jitlens-tui` rewrites the snapshots; review the diff.

use super::render;
use crate::app::{App, Event, Exit, Stream};
use crate::fixture;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use std::path::PathBuf;
use std::time::Duration;

/// The buffer's text, one line per row, trailing blanks cut.
fn text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    t.draw(|f| render(app, f)).expect("draw");
    t.backend().buffer().clone()
}

/// Compares the screen with `snapshots/NAME.txt` (or writes it, with `JITLENS_BLESS=1`).
fn check(name: &str, app: &App, width: u16, height: u16) {
    let actual = text(&draw(app, width, height));
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/view/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("JITLENS_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        panic!(
            "{name} differs from {} (JITLENS_BLESS=1 rewrites it)\n--- actual ---\n{actual}\
             --- expected ---\n{expected}",
            path.display()
        );
    }
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The finished fixture run, exited 0, with some output.
fn finished() -> App {
    let mut app = App::live("hot.py");
    app.set_source(fixture::PATH, fixture::SOURCE);
    app.update(Event::Snapshot {
        profile: Box::new(fixture::profile()),
        at: Duration::from_millis(1700),
    });
    app.update(Event::Tick(Duration::from_millis(1700)));
    for k in 0..5 {
        app.update(Event::Output(
            Stream::Stdout,
            format!("{k} 1.2214027470178732\n").into_bytes(),
        ));
    }
    app.update(Event::Output(Stream::Stderr, b"warning: done\n".to_vec()));
    app.update(Event::Exited(Exit::Code(0)));
    app
}

/// The fixture half-way, still running, 1000 samples a second.
fn running() -> App {
    let mut app = App::live("hot.py");
    app.set_source(fixture::PATH, fixture::SOURCE);
    app.update(Event::Snapshot {
        profile: Box::new(fixture::profile_at(0.4)),
        at: Duration::from_millis(600),
    });
    app.update(Event::Snapshot {
        profile: Box::new(fixture::profile_at(0.5)),
        at: Duration::from_millis(800),
    });
    app.update(Event::Tick(Duration::from_millis(820)));
    app
}

#[test]
fn hot_ops_80x24() {
    check("ops-80x24", &finished(), 80, 24);
}

#[test]
fn hot_ops_120x40() {
    check("ops-120x40", &finished(), 120, 40);
}

#[test]
fn hot_ops_with_two_more_panes_160x48() {
    check("ops-160x48", &finished(), 160, 48);
}

#[test]
fn hot_ops_sorted_by_op() {
    let mut app = finished();
    app.update(key(KeyCode::Char('s')));
    check("ops-by-op-80x24", &app, 80, 24);
}

#[test]
fn running_80x24() {
    check("running-80x24", &running(), 80, 24);
}

#[test]
fn starting_80x24() {
    let mut app = App::live("hot.py");
    app.update(Event::Tick(Duration::from_millis(250)));
    check("starting-80x24", &app, 80, 24);
}

#[test]
fn hot_lines_80x24() {
    let mut app = finished();
    app.update(key(KeyCode::Tab));
    check("lines-80x24", &app, 80, 24);
}

#[test]
fn hot_lines_120x40() {
    let mut app = finished();
    app.update(key(KeyCode::Tab));
    check("lines-120x40", &app, 120, 40);
}

#[test]
fn jit_log_80x24() {
    let mut app = finished();
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    check("jit-80x24", &app, 80, 24);
}

#[test]
fn output_80x24() {
    let mut app = finished();
    app.update(key(KeyCode::BackTab));
    check("output-80x24", &app, 80, 24);
}

#[test]
fn source_with_heat_gutter_80x24() {
    let mut app = finished();
    app.update(key(KeyCode::Enter));
    check("source-80x24", &app, 80, 24);
}

#[test]
fn source_with_heat_gutter_120x40() {
    let mut app = finished();
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    check("source-120x40", &app, 120, 40);
}

#[test]
fn help_80x24() {
    let mut app = running();
    app.update(key(KeyCode::Char('?')));
    check("help-80x24", &app, 80, 24);
}

#[test]
fn paused_with_a_bad_snapshot_80x24() {
    let mut app = running();
    app.update(key(KeyCode::Char('p')));
    app.update(Event::SnapshotError(
        "live snapshot unreadable: /tmp/live.json: the profile is truncated".into(),
    ));
    check("paused-error-80x24", &app, 80, 24);
}

#[test]
fn killed_without_a_profile_shows_the_output() {
    let mut app = App::live("missing.py");
    app.update(Event::Output(
        Stream::Stderr,
        b"jitlens: can't open file 'missing.py': [Errno 2] No such file or directory\n".to_vec(),
    ));
    app.update(Event::Exited(Exit::Code(2)));
    check("no-profile-80x24", &app, 80, 24);
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(1, 1), (10, 3), (20, 8), (80, 5), (300, 2)] {
        for pane in 0..5 {
            let mut app = finished();
            for _ in 0..pane {
                app.update(key(KeyCode::Tab));
            }
            draw(&app, w, h);
            app.update(key(KeyCode::Enter));
            draw(&app, w, h);
            app.update(key(KeyCode::Char('?')));
            draw(&app, w, h);
        }
    }
}

#[test]
fn tiers_are_coloured_by_category() {
    let buf = draw(&finished(), 80, 24);
    // Row 1 is the tier bar: interpreter first (blue), JIT (green) in the middle.
    assert_eq!(buf[(1, 1)].symbol(), "█");
    assert_eq!(buf[(1, 1)].fg, Color::Blue);
    let jit = (0..80)
        .find(|&x| buf[(x, 1)].symbol() == "▓")
        .expect("a JIT segment");
    assert_eq!(buf[(jit, 1)].fg, Color::Green);
}
