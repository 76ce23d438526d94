//! The program's output pane: the tail of its stdout and stderr (stderr in red), following
//! the end unless scrolled up. All of it is printed when the dashboard closes.

use crate::app::{App, Pane, Stream};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let height = area.height as usize;
    let total = app.output.len();
    if total == 0 {
        frame.render_widget(Paragraph::new(" (no output yet)"), area);
        return;
    }
    let up = app.selected[Pane::Output as usize].min(total.saturating_sub(1));
    let end = total - up;
    let start = end.saturating_sub(height);
    let mut lines: Vec<Line> = Vec::with_capacity(height);
    if start == 0 && app.output.dropped > 0 && height > 0 {
        lines.push(Line::from(Span::styled(
            format!(
                " … {} earlier lines (all are printed when the dashboard closes)",
                app.output.dropped
            ),
            Style::new().fg(Color::DarkGray),
        )));
    }
    for (stream, text) in app.output.view().skip(start).take(end - start) {
        let style = match stream {
            Stream::Stdout => Style::new(),
            Stream::Stderr => Style::new().fg(Color::Red),
        };
        lines.push(Line::from(Span::styled(format!(" {text}"), style)));
    }
    lines.truncate(height);
    frame.render_widget(Paragraph::new(lines), area);
}
