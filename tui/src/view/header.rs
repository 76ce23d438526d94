//! The header line: program, run status, elapsed time, samples, samples per second, JIT mode.

use super::{count, fit};
use crate::app::{App, Exit, Status};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use std::time::Duration;

/// The status word of the header.
pub(crate) fn status_text(app: &App) -> (String, Color) {
    match app.status {
        Status::Starting => ("starting".into(), Color::Yellow),
        Status::Running => ("● running".into(), Color::Green),
        Status::Finished(Exit::Code(0)) => ("exited 0".into(), Color::Cyan),
        Status::Finished(Exit::Code(c)) => (format!("exited {c}"), Color::Red),
        Status::Finished(Exit::Signal(s)) => (format!("killed by signal {s}"), Color::Red),
        Status::Browsing => ("saved profile".into(), Color::Cyan),
    }
}

fn elapsed(app: &App) -> Duration {
    let recorded = app
        .profile
        .as_ref()
        .filter(|p| !p.run.running && p.run.duration_ms > 0.0)
        .map(|p| Duration::from_secs_f64(p.run.duration_ms / 1000.0));
    match app.status {
        Status::Starting | Status::Running => app.elapsed,
        Status::Finished(_) => recorded.unwrap_or(app.elapsed),
        Status::Browsing => recorded.unwrap_or_default(),
    }
}

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (status, color) = status_text(app);
    let sep = Span::styled(" │ ", Style::new().fg(Color::DarkGray));
    let mut right = vec![
        sep.clone(),
        Span::styled(status, Style::new().fg(color).add_modifier(Modifier::BOLD)),
    ];
    if app.paused {
        right.push(Span::styled(
            " (paused)",
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ));
    }
    right.push(sep.clone());
    right.push(Span::raw(format!("{:.1} s", elapsed(app).as_secs_f64())));
    if let Some(p) = &app.profile {
        right.push(sep.clone());
        right.push(Span::raw(format!("{} samples", count(p.run.samples))));
        right.push(sep.clone());
        right.push(Span::raw(format!("{}/s", count(app.rate.round() as u64))));
        let jit = match p.run.jit.as_str() {
            "" => "?",
            mode => mode,
        };
        right.push(sep);
        right.push(Span::raw(format!("JIT {jit}")));
    }
    let used: usize = right.iter().map(|s| s.width()).sum();
    // The program's name matters more than the dashboard's own.
    let width = area.width as usize;
    let full = " jitlens top │ ";
    let lead = if used + full.chars().count() + app.title.chars().count() <= width {
        full
    } else {
        " "
    };
    let room = width.saturating_sub(used + lead.chars().count());
    let mut spans = vec![
        Span::styled(lead, Style::new().fg(Color::Cyan)),
        Span::styled(
            fit(&app.title, room),
            Style::new().add_modifier(Modifier::BOLD),
        ),
    ];
    spans.extend(right);
    frame.render_widget(Line::from(spans), area);
}
