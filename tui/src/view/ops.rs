//! The hot ops table: op, function, line, tier and share, in the chosen order.

use super::{category_color, count, fit, header_style, percent, selected_style};
use crate::app::{App, Pane};
use crate::hot::tier_label;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(p) = &app.profile else {
        frame.render_widget(Paragraph::new(" waiting for the first snapshot…"), area);
        return;
    };
    let total = p.run.samples.max(app.digest.by_category.total());
    let rows = app.digest.ops.iter().map(|o| {
        let f = p.function(o.function);
        Row::new([
            Cell::from(format!("{:>6}", percent(o.samples, total))),
            Cell::from(format!("{:>8}", count(o.samples))),
            Cell::from(o.op.clone()),
            Cell::from(fit(&f.name, 24)),
            Cell::from(format!("{:>5}", o.line)),
            Cell::from(Span::styled(
                tier_label(o.tier, o.category),
                Style::new().fg(category_color(o.category)),
            )),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(5),
            Constraint::Length(9),
        ],
    )
    .header(
        Row::new([" share", " samples", "op", "function", " line", "tier"]).style(header_style()),
    )
    .row_highlight_style(selected_style())
    .highlight_symbol("▶");
    let mut state = TableState::default()
        .with_selected((!app.digest.ops.is_empty()).then_some(app.selected[Pane::Ops as usize]));
    frame.render_stateful_widget(table, area, &mut state);
}
