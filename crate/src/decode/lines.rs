//! Lines of a text input with their 1-based numbers, for the text decoders.
//! `\n` ends a line; a `\r` before it is dropped (dumps copied from Windows
//! consoles or mail). No length limit: Go's bufio.Scanner stops at 64 KiB,
//! dumps with longer log lines before them must still open.

#[derive(Clone)]
pub struct Lines<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lines { data, pos: 0, line: 0 }
    }

    /// Byte offset of the next line's start.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Number of the line last returned (0 before the first).
    pub fn line_no(&self) -> usize {
        self.line
    }

    /// Everything not yet returned.
    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }
}

impl<'a> Iterator for Lines<'a> {
    /// (line number, line without its terminator)
    type Item = (usize, &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.data.len() {
            return None;
        }
        let rest = &self.data[self.pos..];
        let (mut line, advance) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        if let [head @ .., b'\r'] = line {
            line = head;
        }
        self.pos += advance;
        self.line += 1;
        Some((self.line, line))
    }
}

/// Go's strings.TrimSpace for ASCII whitespace (the formats are ASCII).
pub fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !is_space(*b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !is_space(*b)).map_or(start, |i| i + 1);
    &s[start..end.max(start)]
}

#[inline]
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The text of a line for messages: lossy UTF-8, cut to 200 characters.
pub fn show(line: &[u8]) -> String {
    let s = String::from_utf8_lossy(line);
    if s.chars().count() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}...")
    } else {
        s.into_owned()
    }
}

/// pprof's isSpaceOrComment: blank, or `#` after leading space.
pub fn is_space_or_comment(line: &[u8]) -> bool {
    let t = trim(line);
    t.is_empty() || t[0] == b'#'
}
