//! The tier split: one bar of interpreter / JIT / runtime helpers / GC (and other) samples,
//! each in its own glyph and colour, and a legend with the percentages.

use super::{category_color, percent};
use crate::app::App;
use jitlens_profiler::Category;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

/// The glyph of each category in the bar, so the split reads without colour too.
fn glyph(c: Category) -> char {
    match c {
        Category::Interpreter => '█',
        Category::Jit => '▓',
        Category::Helper => '▒',
        Category::Gc => '░',
        Category::Other => '·',
    }
}

fn label(c: Category) -> &'static str {
    match c {
        Category::Interpreter => "interpreter",
        Category::Jit => "JIT",
        Category::Helper => "helpers",
        Category::Gc => "GC",
        Category::Other => "other",
    }
}

/// Splits `width` columns between the counts by largest remainder, so the bar is always
/// exactly `width` wide.
pub(crate) fn split(counts: &[u64], width: usize) -> Vec<usize> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let exact: Vec<f64> = counts
        .iter()
        .map(|&c| c as f64 * width as f64 / total as f64)
        .collect();
    let mut cols: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut rest = width.saturating_sub(cols.iter().sum::<usize>());
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    for i in order {
        if rest == 0 {
            break;
        }
        if counts[i] > 0 {
            cols[i] += 1;
            rest -= 1;
        }
    }
    cols
}

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let by = app.digest.by_category;
    let total = by.total();
    let counts: Vec<u64> = Category::ALL.iter().map(|&c| by.get(c)).collect();
    let width = area.width.saturating_sub(2) as usize;
    let bar = if total == 0 {
        Line::from(vec![
            Span::raw(" "),
            Span::styled("·".repeat(width), Style::new().fg(Color::DarkGray)),
        ])
    } else {
        let mut spans = vec![Span::raw(" ")];
        for (&c, n) in Category::ALL.iter().zip(split(&counts, width)) {
            spans.push(Span::styled(
                glyph(c).to_string().repeat(n),
                Style::new().fg(category_color(c)),
            ));
        }
        Line::from(spans)
    };
    let mut legend = vec![Span::raw(" ")];
    for &c in &Category::ALL {
        if c == Category::Other && by.get(c) == 0 {
            continue;
        }
        legend.push(Span::styled(
            format!("{} ", glyph(c)),
            Style::new().fg(category_color(c)),
        ));
        legend.push(Span::raw(format!(
            "{} {}  ",
            label(c),
            percent(by.get(c), total)
        )));
    }
    let [top, bottom] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(bar, top);
    frame.render_widget(Line::from(legend), bottom);
}
