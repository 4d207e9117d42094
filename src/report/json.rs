//! JSON output with the keys of INTERFACE.md.

use crate::plan::Plan;

/// The plan as pretty-printed JSON, ending in a newline.
pub fn render(plan: &Plan) -> String {
    let mut text = serde_json::to_string_pretty(plan).expect("a plan always serialises");
    text.push('\n');
    text
}
