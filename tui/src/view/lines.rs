//! Hot lines: share, samples, file:line, function, the JIT's part of the line, and its
//! source text.

use super::{base_name, count, fit, header_style, percent, selected_style};
use crate::app::{App, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(p) = &app.profile else {
        frame.render_widget(Paragraph::new(" waiting for the first snapshot…"), area);
        return;
    };
    let total = p.run.samples.max(app.digest.by_category.total());
    let rows = app
        .digest
        .lines
        .iter()
        .filter_map(|&i| p.lines.get(i))
        .map(|l| {
            let file = p
                .files
                .get(l.file as usize)
                .map(|f| base_name(&f.path))
                .unwrap_or("?");
            let text = app
                .source_line(l.file, l.line)
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|| "(source not available)".to_string());
            Row::new([
                Cell::from(format!("{:>6}", percent(l.samples, total))),
                Cell::from(format!("{:>8}", count(l.samples))),
                Cell::from(fit(&format!("{file}:{}", l.line), 14)),
                Cell::from(fit(&p.function(l.function).name, 14)),
                Cell::from(format!(
                    "{:>3.0}%",
                    100.0 * l.tier_samples(1) as f64 / l.samples.max(1) as f64
                )),
                Cell::from(text),
            ])
        });
    let table = Table::new(
        rows,
        [
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Length(14),
            Constraint::Length(14),
            Constraint::Length(5),
            Constraint::Fill(1),
        ],
    )
    .header(
        Row::new([" share", " samples", "where", "function", "  T1", "source"])
            .style(header_style()),
    )
    .row_highlight_style(selected_style())
    .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(
        (!app.digest.lines.is_empty()).then_some(app.selected[Pane::Lines as usize]),
    );
    frame.render_stateful_widget(table, area, &mut state);
}
