//! The source view (`Enter`): the selected function's file with a heat gutter (each line's
//! share of the samples, and a bar scaled to the file's hottest line), the cursor line
//! kept in view.

use super::{fit, percent, selected_style};
use crate::app::{App, SourceView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The heat colour of a line at `level` (0..=4) of the file's hottest.
fn heat(level: usize) -> Color {
    match level {
        0 => Color::DarkGray,
        1 => Color::Blue,
        2 => Color::Yellow,
        3 => Color::LightRed,
        _ => Color::Red,
    }
}

pub(crate) fn render(app: &App, view: &SourceView, frame: &mut Frame, area: Rect) {
    let Some(p) = &app.profile else { return };
    let samples = p.lines_of(view.file);
    let total = p.run.samples.max(app.digest.by_category.total());
    let hottest = samples
        .values()
        .map(|l| l.samples)
        .max()
        .unwrap_or(0)
        .max(1);
    let text = app.source_of(view.file);
    let count = text
        .map(|t| t.lines.len() as u32)
        .unwrap_or(0)
        .max(
            p.files
                .get(view.file as usize)
                .map(|f| f.line_count)
                .unwrap_or(0),
        )
        .max(samples.keys().next_back().copied().unwrap_or(0));
    let height = area.height as u32;
    // Keep the cursor in the middle where the file allows it.
    let first = view
        .cursor
        .saturating_sub(height / 2)
        .min(count.saturating_sub(height).saturating_add(1))
        .max(1);
    let width = area.width as usize;
    let mut lines = Vec::with_capacity(height as usize);
    for n in first..first.saturating_add(height) {
        if n > count {
            break;
        }
        let s = samples.get(&n).map(|l| l.samples).unwrap_or(0);
        let level = if s == 0 {
            0
        } else {
            (s.saturating_mul(4).div_ceil(hottest)).min(4) as usize
        };
        let share = if s == 0 {
            "      ".to_string()
        } else {
            format!("{:>6}", percent(s, total))
        };
        let bar = format!("{:<4}", "█".repeat(level));
        let code = text
            .and_then(|t| t.lines.get(n as usize - 1))
            .map(|s| s.as_str())
            .unwrap_or(if text.is_none() {
                "(source not available)"
            } else {
                ""
            });
        let marker = if n == view.cursor { "▶" } else { " " };
        let op = samples
            .get(&n)
            .and_then(|l| l.hottest_op())
            .map(|op| format!("  {op}"))
            .unwrap_or_default();
        let prefix = format!("{marker}{share} ");
        let number = format!(" {n:>4} │ ");
        let room = width.saturating_sub(prefix.chars().count() + 4 + number.chars().count());
        let code_room = room.saturating_sub(op.chars().count().min(room / 2));
        let code = fit(code, code_room);
        let pad = code_room.saturating_sub(code.chars().count());
        let mut spans = vec![
            Span::raw(prefix),
            Span::styled(bar, Style::new().fg(heat(level))),
            Span::styled(number, Style::new().fg(Color::DarkGray)),
            Span::raw(code),
        ];
        if !op.is_empty() {
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(
                fit(&op, room - code_room),
                Style::new().fg(Color::DarkGray),
            ));
        }
        let mut line = Line::from(spans);
        if n == view.cursor {
            line = line.style(selected_style());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}
