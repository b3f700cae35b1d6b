//! Session results to JavaScript values: one serde serializer for every
//! result type. Structs and maps become plain objects, sequences and tuples
//! arrays, `None` and `()` null, unit enum variants their name, numbers
//! numbers. The session's columns (`session::F64s`, `U32s`, `U8s`) arrive
//! as newtype structs named after their typed array, holding their bytes,
//! and become that typed array in one copy.

use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::ser::{self, Serialize};
use wasm_bindgen::JsValue;

#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

type Result<T = JsValue> = std::result::Result<T, Error>;

/// `v` as a JavaScript value.
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> Result {
    v.serialize(Ser { typed: None })
}

/// The serializer; `typed` names the typed array the next bytes become.
#[derive(Clone, Copy)]
struct Ser {
    typed: Option<&'static str>,
}

const PLAIN: Ser = Ser { typed: None };

fn typed_array(name: Option<&str>, bytes: &[u8]) -> JsValue {
    let raw = Uint8Array::from(bytes);
    match name {
        Some("Float64Array") => Float64Array::new(&raw.buffer()).into(),
        Some("Uint32Array") => Uint32Array::new(&raw.buffer()).into(),
        _ => raw.into(),
    }
}

fn unsupported(what: &str) -> Error {
    Error(format!("result: {what} cannot be converted"))
}

pub struct ArraySer(Array);

pub struct ObjectSer {
    object: Object,
    key: JsValue,
}

// The helpers below are called from every field of every result type: kept
// out of line, so each call site stays a call (smaller wasm).
impl ObjectSer {
    #[inline(never)]
    fn set(&self, key: &JsValue, value: JsValue) {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&self.object, key, &value);
    }

    #[inline(never)]
    fn set_field(&self, key: &str, value: JsValue) {
        self.set(&JsValue::from_str(key), value)
    }
}

impl ArraySer {
    #[inline(never)]
    fn push(&self, value: JsValue) {
        self.0.push(&value);
    }
}

impl ser::Serializer for Ser {
    type Ok = JsValue;
    type Error = Error;
    type SerializeSeq = ArraySer;
    type SerializeTuple = ArraySer;
    type SerializeTupleStruct = ArraySer;
    type SerializeTupleVariant = ser::Impossible<JsValue, Error>;
    type SerializeMap = ObjectSer;
    type SerializeStruct = ObjectSer;
    type SerializeStructVariant = ser::Impossible<JsValue, Error>;

    fn is_human_readable(&self) -> bool {
        false
    }
    fn serialize_bool(self, v: bool) -> Result {
        Ok(JsValue::from_bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_f32(self, v: f32) -> Result {
        self.serialize_f64(v as f64)
    }
    fn serialize_f64(self, v: f64) -> Result {
        Ok(JsValue::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Result {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result {
        Ok(JsValue::from_str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        Ok(typed_array(self.typed, v))
    }
    fn serialize_none(self) -> Result {
        Ok(JsValue::NULL)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, v: &T) -> Result {
        v.serialize(Ser { typed: Some(name) })
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result {
        let o = ObjectSer { object: Object::new(), key: JsValue::UNDEFINED };
        o.set(&JsValue::from_str(variant), v.serialize(PLAIN)?);
        Ok(o.object.into())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<ArraySer> {
        Ok(ArraySer(Array::new()))
    }
    fn serialize_tuple(self, _: usize) -> Result<ArraySer> {
        Ok(ArraySer(Array::new()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<ArraySer> {
        Ok(ArraySer(Array::new()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(unsupported("a tuple variant"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<ObjectSer> {
        Ok(ObjectSer { object: Object::new(), key: JsValue::UNDEFINED })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<ObjectSer> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(unsupported("a struct variant"))
    }
}

impl ser::SerializeSeq for ArraySer {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        self.push(v.serialize(PLAIN)?);
        Ok(())
    }
    fn end(self) -> Result {
        Ok(self.0.into())
    }
}

impl ser::SerializeTuple for ArraySer {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result {
        Ok(self.0.into())
    }
}

impl ser::SerializeTupleStruct for ArraySer {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result {
        Ok(self.0.into())
    }
}

impl ser::SerializeMap for ObjectSer {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<()> {
        self.key = k.serialize(PLAIN)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<()> {
        self.set(&self.key, v.serialize(PLAIN)?);
        Ok(())
    }
    fn end(self) -> Result {
        Ok(self.object.into())
    }
}

impl ser::SerializeStruct for ObjectSer {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Result<()> {
        self.set_field(k, v.serialize(PLAIN)?);
        Ok(())
    }
    fn end(self) -> Result {
        Ok(self.object.into())
    }
}
