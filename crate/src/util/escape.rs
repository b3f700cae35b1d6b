//! Names made visible: a function name or label from a profile may hold
//! control characters (a terminal escape sequence), bidi overrides or
//! zero-width characters, which would make two different names look alike,
//! break a line of text, or drive the reader's terminal. They are shown as
//! Go's `%q` writes them (`\x1b`, `\u202e`); every other character as is.

use std::borrow::Cow;

/// Characters shown escaped: C0 and C1 controls but the tab, DEL, the bidi
/// controls and marks, zero-width characters, the line and paragraph
/// separators. A tab is whitespace that shows: `go tool pprof` prints it as
/// is (Linux kernel symbols in eBPF profiles read `name\t[module]`).
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// `s` with each hidden character escaped; borrowed when there is none.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_hidden(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Terminal escape sequences taken out of text printed to a terminal: CSI
/// (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \`), and two-byte `ESC x`;
/// the other control characters (but newlines and tabs) become `%q` escapes.
pub fn strip_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\u{1b}' | '\u{9b}' | '\u{9d}' => {
                let kind = if c == '\u{1b}' { it.next() } else { Some(if c == '\u{9b}' { '[' } else { ']' }) };
                match kind {
                    // CSI: parameters and intermediates, then one final byte.
                    Some('[') => {
                        for d in it.by_ref() {
                            if ('\u{40}'..='\u{7e}').contains(&d) {
                                break;
                            }
                        }
                    }
                    // OSC, DCS and the other strings: up to BEL or ST.
                    Some(']' | 'P' | 'X' | '^' | '_') => {
                        while let Some(d) = it.next() {
                            if d == '\u{7}' || d == '\u{9c}' || (d == '\u{1b}' && it.next_if_eq(&'\\').is_some()) {
                                break;
                            }
                        }
                    }
                    _ => {}
                }
            }
            '\n' | '\t' => out.push(c),
            // CSV's line ends.
            '\r' if it.peek() == Some(&'\n') => out.push(c),
            c if is_control(c) => out.push_str(&visible(&c.to_string())),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_become_go_escapes() {
        assert_eq!(visible("main.f"), "main.f");
        assert!(matches!(visible("net/http.(*Client).Do"), Cow::Borrowed(_)));
        assert_eq!(visible("a\u{1b}[31mb"), "a\\x1b[31mb");
        assert_eq!(visible("evil\u{202e}gnp.exe"), "evil\\u202egnp.exe");
        assert_eq!(visible("zero\u{200b}width\u{feff}"), "zero\\u200bwidth\\ufeff");
        assert_eq!(visible("line\nbreak\ttab\r"), "line\\nbreak\ttab\\r");
        assert_eq!(visible("\u{7f}\u{85}"), "\\x7f\\u0085");
        // Other non-ASCII text is shown as written.
        assert_eq!(visible("café.函数"), "café.函数");
    }

    #[test]
    fn terminal_sequences_are_taken_out() {
        assert_eq!(strip_terminal("plain\ntext\t"), "plain\ntext\t");
        assert_eq!(strip_terminal("a\u{1b}[31;1mred\u{1b}[0m"), "ared");
        assert_eq!(strip_terminal("t\u{1b}]0;title\u{7}x"), "tx");
        assert_eq!(strip_terminal("t\u{1b}]8;;http://x\u{1b}\\link"), "tlink");
        assert_eq!(strip_terminal("bell\u{7}cr\r"), "bell\\x07cr\\r");
        assert_eq!(strip_terminal("lone\rcr"), "lone\\rcr");
        assert_eq!(strip_terminal("\u{9b}2Jcleared"), "cleared");
        assert_eq!(strip_terminal("end\u{1b}"), "end");
        assert_eq!(strip_terminal("csv\r\nrow\u{1b}[2K\r"), "csv\r\nrow\\r");
    }
}
