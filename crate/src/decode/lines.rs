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
        let (mut line, advance) = match find_byte(b'\n', rest) {
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

/// Index of the first `needle` in `hay`. Eight bytes at a time: newlines are
/// the text decoders' hottest search, and this keeps the wasm module free
/// of a SIMD search library.
#[inline]
pub fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO.wrapping_mul(needle as u64);
    let mut i = 0;
    while i + 8 <= hay.len() {
        let word = u64::from_le_bytes(hay[i..i + 8].try_into().unwrap()) ^ pattern;
        // A zero byte in `word` is a match (the classic has-zero-byte test).
        let found = word.wrapping_sub(LO) & !word & HI;
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    hay[i..].iter().position(|&b| b == needle).map(|p| i + p)
}

/// Index of the last `needle` in `hay`.
#[inline]
pub fn rfind_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().rposition(|&b| b == needle)
}

/// Index of the first occurrence of `needle` in `hay`.
pub fn find_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let first = needle[0];
    let mut start = 0;
    while let Some(off) = find_byte(first, &hay[start..]) {
        let at = start + off;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

/// Index of the last occurrence of `needle` in `hay`.
pub fn rfind_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).rev().find(|&i| hay[i..].starts_with(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches() {
        let hay = b"goroutine 1 [running]:\nmain.main()\n";
        for n in [b'\n', b'g', b'(', b']', b'z'] {
            assert_eq!(find_byte(n, hay), hay.iter().position(|&b| b == n), "{}", n as char);
        }
        for len in 0..20 {
            let mut v = vec![b'a'; len];
            assert_eq!(find_byte(b'b', &v), None);
            if len > 0 {
                v[len - 1] = b'b';
                assert_eq!(find_byte(b'b', &v), Some(len - 1));
            }
        }
        assert_eq!(find_sub(b"a by goroutine 7", b" by "), Some(1));
        assert_eq!(rfind_sub(b"x in goroutine 1 in goroutine 2", b" in goroutine "), Some(16));
        assert_eq!(find_sub(b"abc", b"abcd"), None);
    }
}
