//! Drawing: a pure `render(&App, &mut Frame)`, one module per widget.
//!
//! The screen, top to bottom: the header, the tier split, the sparkline of samples per tier
//! over time, the tab bar, the focused pane (or the source view), the status line; the help
//! overlay on top when asked for. It fits 80×24; a larger terminal gets more rows and wider
//! columns, and from [`WIDE`]×[`TALL`] on, the next two panes side by side below the focused
//! one, so everything is on screen at once.

mod header;
mod help;
mod jit;
mod lines;
mod ops;
mod output;
mod source;
mod sparkline;
mod tabs;
mod tiers;

#[cfg(test)]
mod tests;

use crate::app::{App, Pane};
use jitlens_profiler::Category;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

/// Draws the whole dashboard.
pub fn render(app: &App, frame: &mut Frame) {
    let [header, tiers, spark, tabs, main, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(sparkline::HEIGHT),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    header::render(app, frame, header);
    tiers::render(app, frame, tiers);
    sparkline::render(app, frame, spark);
    tabs::render(app, frame, tabs);
    let area = frame.area();
    let (main, side) = if area.width >= WIDE && area.height >= TALL {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(main);
        (top, Some(bottom))
    } else {
        (main, None)
    };
    if let Some(view) = &app.source {
        source::render(app, view, frame, main);
    } else {
        render_pane(app, app.pane, frame, main);
    }
    if let Some(bottom) = side {
        let at = Pane::ALL.iter().position(|&p| p == app.pane).unwrap_or(0);
        let others = [1, 2].map(|k| Pane::ALL[(at + k) % Pane::ALL.len()]);
        let halves = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
            .spacing(1)
            .split(bottom);
        for (&pane, &half) in others.iter().zip(halves.iter()) {
            let [title, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(half);
            frame.render_widget(
                Line::from(Span::styled(
                    format!(" ── {} ", pane.title()),
                    Style::new().fg(Color::Cyan),
                )),
                title,
            );
            render_pane(app, pane, frame, body);
        }
    }
    tabs::render_footer(app, frame, footer);
    if app.help {
        help::render(frame, frame.area());
    }
}

/// From this width on (with [`TALL`]), two more panes are shown below the focused one.
pub const WIDE: u16 = 160;

/// From this height on (with [`WIDE`]), two more panes are shown below the focused one.
pub const TALL: u16 = 40;

fn render_pane(app: &App, pane: Pane, frame: &mut Frame, area: ratatui::layout::Rect) {
    match pane {
        Pane::Ops => ops::render(app, frame, area),
        Pane::Lines => lines::render(app, frame, area),
        Pane::Jit => jit::render(app, frame, area),
        Pane::Output => output::render(app, frame, area),
    }
}

/// The colour of a category, the same in every view.
pub(crate) fn category_color(c: Category) -> Color {
    match c {
        Category::Interpreter => Color::Blue,
        Category::Jit => Color::Green,
        Category::Helper => Color::Yellow,
        Category::Gc => Color::Magenta,
        Category::Other => Color::DarkGray,
    }
}

/// The style of a table's header row.
pub(crate) fn header_style() -> Style {
    Style::new().fg(Color::Cyan)
}

/// The style of the selected row.
pub(crate) fn selected_style() -> Style {
    Style::new().bg(Color::DarkGray).fg(Color::White)
}

/// A count with thousands separators: `12,345`.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `part` of `total` as a percentage with one decimal: `42.0%`.
pub(crate) fn percent(part: u64, total: u64) -> String {
    if total == 0 {
        "0.0%".to_string()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / total as f64)
    }
}

/// The last path component of a file name.
pub(crate) fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `s` cut to at most `width` characters, with `…` when cut.
pub(crate) fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else if width == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}
