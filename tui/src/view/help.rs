//! The help overlay (`?`): the keys, in a box over the middle of the screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

/// The keys and what they do.
pub(crate) const KEYS: [(&str, &str); 10] = [
    ("q", "quit (stops the program if it runs)"),
    ("Tab", "next pane (Shift-Tab: previous)"),
    ("↑ ↓", "select (PgUp PgDn Home End)"),
    ("Enter", "source of the selected function"),
    ("Esc", "close the source view"),
    ("s", "change the sort of the pane"),
    ("p", "pause / resume the display"),
    ("Ctrl-C", "interrupt the program (twice: kill)"),
    ("?", "this help (any key closes it)"),
    ("", "the program's output is printed on exit"),
];

pub(crate) fn render(frame: &mut Frame, area: Rect) {
    let width = 52.min(area.width);
    let height = (KEYS.len() as u16 + 2).min(area.height);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| Line::from(format!(" {k:<7} {what}")))
        .collect();
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" jitlens top: keys ")
                .border_style(Style::new().fg(Color::Cyan)),
        ),
        rect,
    );
}
