//! The parameters of a Bot API call, read the ways Telegram accepts them: the query string, and
//! a JSON, `application/x-www-form-urlencoded` or `multipart/form-data` body.
//!
//! Form and multipart values arrive as strings (`chat_id=42`, `reply_markup={"inline_keyboard":..}`),
//! so the accessors convert: a number may be a JSON number or a numeric string, an object may be
//! an object or a JSON-encoded string.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Query, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

/// A file part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UploadedFile {
    pub file_name: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A file parameter (`document`, `photo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileParam {
    /// Uploaded in this request.
    Upload(UploadedFile),
    /// A file id or URL.
    Reference(String),
}

/// The parameters of one call.
#[derive(Debug, Default)]
pub(crate) struct Params {
    fields: Map<String, Value>,
    files: HashMap<String, UploadedFile>,
}

impl Params {
    /// Reads the query string, then the body by its content type (JSON when none is given).
    pub async fn from_request(request: Request) -> Result<Self, String> {
        let mut params = Params::default();
        if let Ok(Query(pairs)) = Query::<Vec<(String, String)>>::try_from_uri(request.uri()) {
            params.insert_strings(pairs);
        }
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();

        if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(request, &()).await.map_err(|e| e.body_text())?;
            while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
                let name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let part_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|e| e.body_text())?;
                match file_name {
                    Some(file_name) => {
                        let file = UploadedFile { file_name, content_type: part_type, bytes: bytes.to_vec() };
                        params.files.insert(name, file);
                    }
                    None => {
                        params.fields.insert(name, Value::String(String::from_utf8_lossy(&bytes).into_owned()));
                    }
                }
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            let axum::Form(pairs) =
                axum::Form::<Vec<(String, String)>>::from_request(request, &()).await.map_err(|e| e.body_text())?;
            params.insert_strings(pairs);
        } else {
            let body = axum::body::to_bytes(request.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
            if !body.iter().all(u8::is_ascii_whitespace) {
                match serde_json::from_slice::<Value>(&body).map_err(|e| format!("can't parse JSON: {e}"))? {
                    Value::Object(fields) => params.fields.extend(fields),
                    Value::Null => {}
                    _ => return Err("the JSON body is not an object".to_owned()),
                }
            }
        }
        Ok(params)
    }

    fn insert_strings(&mut self, pairs: Vec<(String, String)>) {
        for (key, value) in pairs {
            self.fields.insert(key, Value::String(value));
        }
    }

    /// Whether the parameter is given and not null.
    pub fn has(&self, key: &str) -> bool {
        self.fields.get(key).is_some_and(|value| !value.is_null())
    }

    /// A string parameter; numbers and booleans are given as written.
    pub fn str(&self, key: &str) -> Option<String> {
        match self.fields.get(key)? {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            other => Some(other.to_string()),
        }
    }

    /// An integer parameter, given as a number or as a numeric string.
    pub fn i64(&self, key: &str) -> Option<i64> {
        match self.fields.get(key)? {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// A boolean parameter, given as a boolean or as `"true"`/`"false"`.
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.fields.get(key)? {
            Value::Bool(flag) => Some(*flag),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// An object or array parameter, given as JSON or as a JSON-encoded string.
    pub fn json(&self, key: &str) -> Option<Value> {
        match self.fields.get(key)? {
            Value::Null => None,
            Value::String(text) => serde_json::from_str(text).ok(),
            other => Some(other.clone()),
        }
    }

    /// A file parameter: a part with that name, a part named by `attach://<name>` (what teloxide
    /// sends: the file goes in a part named by a random id), or a file id / URL.
    pub fn file(&self, key: &str) -> Option<FileParam> {
        if let Some(file) = self.files.get(key) {
            return Some(FileParam::Upload(file.clone()));
        }
        let value = self.str(key)?;
        match value.strip_prefix("attach://") {
            Some(part) => self.files.get(part).cloned().map(FileParam::Upload),
            None => Some(FileParam::Reference(value)),
        }
    }
}
