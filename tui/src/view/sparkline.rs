//! Samples per tier over time: one sparkline row per tier (interpreter, JIT, helpers, GC)
//! on one scale, the whole run squeezed into the width.

use super::category_color;
use crate::app::App;
use crate::hot::{timeline_columns, timeline_max};
use jitlens_profiler::Category;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Sparkline;

/// Rows the sparkline takes: one per tier.
pub(crate) const HEIGHT: u16 = 4;

const ROWS: [(Category, &str); 4] = [
    (Category::Interpreter, " interp "),
    (Category::Jit, " JIT    "),
    (Category::Helper, " helper "),
    (Category::Gc, " GC     "),
];

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let label_width = 8u16;
    let chart_width = area.width.saturating_sub(label_width + 1) as usize;
    let rows = Layout::vertical([Constraint::Length(1); 4]).split(area);
    let max = app
        .profile
        .as_ref()
        .map(|p| timeline_max(p, chart_width))
        .unwrap_or(0)
        .max(1);
    for (&(c, label), &row) in ROWS.iter().zip(rows.iter()) {
        let [l, chart] =
            Layout::horizontal([Constraint::Length(label_width), Constraint::Fill(1)]).areas(row);
        frame.render_widget(Span::styled(label, Style::new().fg(category_color(c))), l);
        let data = app
            .profile
            .as_ref()
            .map(|p| timeline_columns(p, c, chart_width))
            .unwrap_or_default();
        // Any sample at all shows as at least the lowest bar, however small beside the
        // busiest tier.
        let floor = max.div_ceil(8);
        let data: Vec<u64> = data
            .into_iter()
            .map(|v| if v > 0 { v.max(floor) } else { 0 })
            .collect();
        frame.render_widget(
            Sparkline::default()
                .data(&data)
                .max(max)
                .style(Style::new().fg(category_color(c))),
            chart,
        );
    }
}
