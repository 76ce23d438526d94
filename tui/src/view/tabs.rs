//! The tab bar (panes, the focused one in brackets, and its sort) and the status line (key
//! hints, or a message).

use super::base_name;
use crate::app::{App, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    if let Some(view) = &app.source {
        let (file, function) = match &app.profile {
            Some(p) => (
                p.files
                    .get(view.file as usize)
                    .map(|f| base_name(&f.path).to_string())
                    .unwrap_or_default(),
                p.function(view.function).name.clone(),
            ),
            None => (String::new(), String::new()),
        };
        let stale = app.source_of(view.file).is_some_and(|t| t.stale);
        let mut spans = vec![Span::styled(
            format!(" Source: {file} · {function} · line {}", view.cursor),
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        )];
        if stale {
            spans.push(Span::styled(
                "  (file changed since the run)",
                Style::new().fg(Color::Yellow),
            ));
        }
        spans.push(Span::styled("  Esc back", Style::new().fg(Color::DarkGray)));
        frame.render_widget(Line::from(spans), area);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for pane in Pane::ALL {
        let mut title = pane.title().to_string();
        if pane == Pane::Output && !app.output.is_empty() {
            title.push_str(&format!(
                " {}",
                app.output.len() as u64 + app.output.dropped
            ));
        }
        if pane == app.pane {
            spans.push(Span::styled(
                format!("[{title}]"),
                Style::new()
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
            ));
        } else {
            spans.push(Span::styled(
                format!(" {title} "),
                Style::new().fg(Color::Cyan),
            ));
        }
        spans.push(Span::raw(" "));
    }
    let sort = match app.pane {
        Pane::Ops => Some(app.ops_sort.name()),
        Pane::Lines => Some(app.lines_sort.name()),
        Pane::Jit => Some(app.jit_sort.name()),
        Pane::Output => None,
    };
    let sort = sort.map(|s| format!("sort: {s} ")).unwrap_or_default();
    let [left, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(sort.chars().count() as u16),
    ])
    .areas(area);
    frame.render_widget(Line::from(spans), left);
    frame.render_widget(Span::styled(sort, Style::new().fg(Color::DarkGray)), right);
}

/// The key hints, in a form that fits 80 columns.
pub(crate) const HINTS: &str =
    " q quit  Tab pane  ↑↓ select  Enter source  s sort  p pause  ^C stop  ? help";

pub(crate) fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let line = match &app.message {
        Some(m) => Line::from(Span::styled(
            format!(" {m}"),
            Style::new().fg(Color::Yellow),
        )),
        None => Line::from(Span::styled(HINTS, Style::new().fg(Color::DarkGray))),
    };
    frame.render_widget(line, area);
}
