//! The real terminal: raw mode and the alternate screen on entry, restored on exit, on a
//! panic (ratatui's panic hook, run before jitlens' own) and on every early return (the
//! guard's `Drop`). Resizes need nothing here: `Terminal::draw` resizes to the terminal
//! before each frame.

use ratatui::DefaultTerminal;

/// The terminal in dashboard mode; restored when dropped.
pub struct Screen {
    /// The ratatui terminal over crossterm.
    pub terminal: DefaultTerminal,
}

impl Screen {
    /// Enters raw mode and the alternate screen, and installs the panic hook that restores
    /// them.
    pub fn enter() -> std::io::Result<Screen> {
        match ratatui::try_init() {
            Ok(terminal) => Ok(Screen { terminal }),
            Err(e) => {
                ratatui::restore();
                Err(e)
            }
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.terminal.show_cursor();
        ratatui::restore();
    }
}
