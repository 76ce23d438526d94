//! The JIT events log: when, what happened to which function, compile µs, code bytes, and
//! the function's side exits.

use super::{count, fit, header_style, selected_style};
use crate::app::{App, Pane};
use crate::hot::event_name;
use jitlens_profiler::JitEventKind;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(p) = &app.profile else {
        frame.render_widget(Paragraph::new(" waiting for the first snapshot…"), area);
        return;
    };
    if p.jit_events.is_empty() {
        let why = if p.run.jit == "off" {
            " the JIT is off for this run (-X jit=off)"
        } else {
            " no JIT events yet: nothing was hot enough to compile"
        };
        frame.render_widget(Paragraph::new(why), area);
        return;
    }
    let rows = app
        .digest
        .jit
        .iter()
        .filter_map(|&i| p.jit_events.get(i))
        .map(|e| {
            let color = match e.kind {
                JitEventKind::Compiled => Color::Green,
                JitEventKind::Discarded => Color::Red,
                JitEventKind::Rejected => Color::Yellow,
            };
            let compiled = e.kind == JitEventKind::Compiled;
            let exits = app.digest.side_exits.get(&e.function).copied().unwrap_or(0);
            Row::new([
                Cell::from(format!("{:>7.1}", e.time_ms)),
                Cell::from(Span::styled(event_name(e.kind), Style::new().fg(color))),
                Cell::from(fit(&p.function(e.function).name, 14)),
                Cell::from(if compiled {
                    format!("{:>8.1}", e.compile_us)
                } else {
                    format!("{:>8}", "")
                }),
                Cell::from(if compiled {
                    format!("{:>7}", count(e.code_bytes as u64))
                } else {
                    format!("{:>7}", "")
                }),
                Cell::from(format!("{:>7}", count(exits))),
                Cell::from(e.detail.clone().unwrap_or_default()),
            ])
        });
    let table = Table::new(
        rows,
        [
            Constraint::Length(7),
            Constraint::Length(9),
            Constraint::Length(14),
            Constraint::Length(8),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Fill(1),
        ],
    )
    .header(
        Row::new([
            "time ms",
            "event",
            "function",
            " comp µs",
            "  bytes",
            "  exits",
            "detail",
        ])
        .style(header_style()),
    )
    .row_highlight_style(selected_style())
    .highlight_symbol("▶");
    let mut state = TableState::default()
        .with_selected((!app.digest.jit.is_empty()).then_some(app.selected[Pane::Jit as usize]));
    frame.render_stateful_widget(table, area, &mut state);
}
