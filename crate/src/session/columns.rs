//! Columns: how large results leave the session. A front end that is not
//! human-readable (the wasm binding's serializer) receives each typed column
//! as a newtype struct named after its JavaScript typed array, holding the
//! column's bytes (little-endian, as in wasm memory), and builds the typed
//! array from them in one copy; serde_json writes plain arrays.

use serde::{Serialize, Serializer};

/// Values (signed, in the report's sample unit); a `Float64Array` on the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct F64s(pub Vec<f64>);

/// Ids and indexes; a `Uint32Array` on the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct U32s(pub Vec<u32>);

/// Flags and small codes; a `Uint8Array` on the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct U8s(pub Vec<u8>);

impl F64s {
    pub fn of_i64(v: impl Iterator<Item = i64>) -> F64s {
        F64s(v.map(|x| x as f64).collect())
    }
}

/// The column's memory as bytes (wasm and every native target here are little-endian).
fn bytes_of<T: Copy>(v: &[T]) -> &[u8] {
    // SAFETY: f64 and u32 have no padding and every bit pattern is a valid u8;
    // the length covers exactly the slice's bytes.
    unsafe { std::slice::from_raw_parts(v.as_ptr() as *const u8, std::mem::size_of_val(v)) }
}

struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

fn column<S: Serializer, T: Copy + Serialize>(s: S, typed_array: &'static str, v: &[T]) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        v.serialize(s)
    } else {
        s.serialize_newtype_struct(typed_array, &Bytes(bytes_of(v)))
    }
}

impl Serialize for F64s {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        column(s, "Float64Array", &self.0)
    }
}

impl Serialize for U32s {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        column(s, "Uint32Array", &self.0)
    }
}

impl Serialize for U8s {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        column(s, "Uint8Array", &self.0)
    }
}

/// A string column: one string and the UTF-16 offset where each entry
/// starts; entry `i` is `text.slice(offsets[i], offsets[i + 1])`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StrCol {
    pub text: String,
    pub offsets: U32s,
    #[serde(skip)]
    at: u32,
}

impl StrCol {
    pub fn with_capacity(n: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        StrCol { text: String::new(), offsets: U32s(offsets), at: 0 }
    }

    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.at += if s.is_ascii() { s.len() as u32 } else { s.encode_utf16().count() as u32 };
        self.offsets.0.push(self.at);
    }

    pub fn len(&self) -> usize {
        self.offsets.0.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entry `i` (offsets are UTF-16 units: this walks the text when it is not ASCII).
    pub fn get(&self, i: usize) -> &str {
        let (a, b) = (self.offsets.0[i] as usize, self.offsets.0[i + 1] as usize);
        if self.text.is_ascii() {
            return &self.text[a..b];
        }
        let mut units = 0;
        let (mut start, mut end) = (self.text.len(), self.text.len());
        for (byte, c) in self.text.char_indices() {
            if units == a {
                start = start.min(byte);
            }
            if units == b {
                end = byte;
                break;
            }
            units += c.len_utf16();
        }
        &self.text[start.min(end)..end]
    }

    pub fn of<'a>(n: usize, it: impl Iterator<Item = &'a str>) -> Self {
        let mut c = StrCol::with_capacity(n);
        for s in it {
            c.push(s);
        }
        c
    }

    /// A column of texts made one by one.
    pub fn map<T>(items: &[T], mut f: impl FnMut(&T) -> String) -> Self {
        let mut c = StrCol::with_capacity(items.len());
        for x in items {
            c.push(&f(x));
        }
        c
    }
}
