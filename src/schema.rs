//! The JSON Schema (draft-07) of scenario files, for editors.

use crate::scenario::raw::RawScenario;

/// The schema as pretty-printed JSON, ending in a newline.
pub fn scenario_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<RawScenario>();
    schema.insert("title".into(), "creatormix scenario".into());
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    text.push('\n');
    text
}
