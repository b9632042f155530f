//! `muster schema`: a JSON Schema (draft 2020-12) of each kind's front matter, so
//! that editors underline a misspelt key or a wrong type while the writer types.
//! The schemas accept what the build accepts (see `model::fields`).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::config::{FieldDef, FieldType, KindDef, SiteConfig};

/// The JSON Schema dialect written.
pub(crate) const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

const DATE_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}$";

/// The schema of a date as the build reads it.
pub(crate) fn date_schema() -> Value {
    json!({"type": "string", "format": "date", "pattern": DATE_PATTERN})
}

/// A scalar the build reads as text: strings, and numbers written without quotes.
pub(crate) fn text_schema() -> Value {
    json!({"type": ["string", "number"]})
}

/// A list as the build reads it: `[a, b]`, one scalar, or nothing.
pub(crate) fn list_schema() -> Value {
    json!({"anyOf": [
        {"type": "array", "items": text_schema()},
        text_schema(),
        {"type": "null"}
    ]})
}

/// The schema of one declared field, with a description for the editor's hover.
fn field_schema(name: &str, def: &FieldDef) -> Value {
    let mut schema = match &def.ty {
        FieldType::String => json!({"type": ["string", "number"], "pattern": "^[^\\n]*$"}),
        FieldType::Text => text_schema(),
        FieldType::Date => date_schema(),
        FieldType::DateRange => json!({
            "type": "object",
            "properties": {"start": date_schema(), "end": date_schema()},
            "required": ["start", "end"],
            "additionalProperties": false
        }),
        FieldType::Integer => json!({"type": "integer"}),
        FieldType::Bool => json!({"type": "boolean"}),
        FieldType::Url => {
            json!({"type": "string", "format": "uri", "pattern": "^https?://[^\\s]+$"})
        }
        FieldType::List => list_schema(),
        FieldType::Enum { values, .. } => json!({ "enum": values }),
        FieldType::Ref(_) => json!({"type": "string", "minLength": 1}),
        FieldType::Refs(_) => list_schema(),
    };
    let what = match &def.ty {
        FieldType::Ref(t) => format!("a reference to a `{}` page: its slug or path", t.kind),
        FieldType::Refs(t) => format!("references to `{}` pages: their slugs or paths", t.kind),
        FieldType::Enum { values, .. } => format!("one of: {}", values.join(", ")),
        FieldType::DateRange => "{ start: YYYY-MM-DD, end: YYYY-MM-DD }".into(),
        ty => ty.name().to_string(),
    };
    let label = def.label.as_deref().unwrap_or(name);
    let description = match &def.description {
        Some(d) => format!("{label} — {d} ({what})"),
        None => format!("{label} ({what})"),
    };
    if let Some(map) = schema.as_object_mut() {
        map.insert("description".into(), description.into());
    }
    schema
}

/// The keys every page may set, whatever its kind: the common keys' table, then the
/// taxonomies.
fn common_properties(config: &SiteConfig) -> Map<String, Value> {
    let described = |mut schema: Value, description: String| {
        if let Some(m) = schema.as_object_mut() {
            m.insert("description".into(), description.into());
        }
        schema
    };
    let mut p = Map::new();
    for key in crate::model::keys::COMMON_KEYS {
        let schema = described((key.schema)(), key.description.to_string());
        p.insert(key.name.into(), schema);
    }
    for taxonomy in &config.taxonomies {
        let schema = described(list_schema(), format!("Terms of the `{taxonomy}` taxonomy"));
        p.insert(taxonomy.clone(), schema);
    }
    p
}

/// The JSON Schema of the front matter of pages of `kind`.
pub(crate) fn kind_schema(config: &SiteConfig, name: &str, kind: &KindDef) -> Value {
    let mut properties = common_properties(config);
    let mut required = vec!["title".to_string()];
    for (field, def) in &kind.fields {
        properties.insert(field.clone(), field_schema(field, def));
        if def.required {
            required.push(field.clone());
        }
    }
    let label = kind.label.as_deref().unwrap_or(name);
    json!({
        "$schema": DIALECT,
        "$id": format!("https://muster.invalid/schemas/{name}.schema.json"),
        "title": format!("{label} front matter"),
        "description": format!(
            "Front matter of pages in content/{}/ (kind `{name}`), as site.yaml declares it.",
            kind.section
        ),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    })
}

/// Writes `schemas/<kind>.schema.json` for each kind under `output`, and points the
/// VS Code YAML extension at them in `.vscode/settings.json`. That file is JSON with
/// comments (VS Code's own format): only its `yaml.schemas` value is replaced, and
/// every comment and other setting stays; a file that cannot be read as such is left
/// untouched and reported. Returns the files written.
pub fn write_schemas(config: &SiteConfig, output: &Path) -> std::io::Result<Vec<PathBuf>> {
    // Edit the settings first: if they cannot be edited, nothing is written.
    let settings_file = output.join(".vscode/settings.json");
    let settings = edited_settings(config, &settings_file)?;
    let dir = output.join("schemas");
    std::fs::create_dir_all(&dir)?;
    let mut written = Vec::new();
    for (name, kind) in &config.kinds {
        // Kind names are plain names (checked with site.yaml).
        let file = crate::output::path::inside(&dir, &format!("{name}.schema.json"))?;
        let mut text = serde_json::to_string_pretty(&kind_schema(config, name, kind))?;
        text.push('\n');
        std::fs::write(&file, text)?;
        written.push(file);
    }
    std::fs::create_dir_all(output.join(".vscode"))?;
    let tmp = output.join(format!(".vscode/settings.json.{}.tmp", std::process::id()));
    std::fs::write(&tmp, settings)?;
    std::fs::rename(&tmp, &settings_file)?;
    written.push(settings_file);
    Ok(written)
}

/// The text of `settings_file` (JSON with comments) with `yaml.schemas` naming each
/// kind's schema for its section's Markdown files.
fn edited_settings(config: &SiteConfig, settings_file: &Path) -> std::io::Result<String> {
    use jsonc_parser::cst::{CstInputValue, CstRootNode};
    let text = match std::fs::read_to_string(settings_file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "{}\n".to_string(),
        Err(e) => return Err(e),
    };
    let refuse = |why: String| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{}: {why}; it was left as it is: fix it, or add the `yaml.schemas` setting by hand",
                settings_file.display()
            ),
        )
    };
    let root = CstRootNode::parse(&text, &jsonc_parser::ParseOptions::default())
        .map_err(|e| refuse(format!("not JSON with comments ({e})")))?;
    if root.value().is_some() && root.object_value().is_none() {
        return Err(refuse("its value is not an object".into()));
    }
    let mapping = CstInputValue::Object(
        config
            .kinds
            .iter()
            .map(|(name, kind)| {
                (
                    format!("./schemas/{name}.schema.json"),
                    CstInputValue::Array(vec![format!("content/{}/**/*.md", kind.section).into()]),
                )
            })
            .collect(),
    );
    let settings = root.object_value_or_set();
    match settings.get("yaml.schemas") {
        Some(existing) => existing.set_value(mapping),
        None => {
            settings.append("yaml.schemas", mapping);
        }
    }
    let mut out = root.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
