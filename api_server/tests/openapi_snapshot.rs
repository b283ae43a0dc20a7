//! The admin panel's types are generated from `admin-panel/openapi.json`; this fails when the
//! server's OpenAPI document has changed and the snapshot (and so the panel's types) was not
//! regenerated.

use utoipa::OpenApi;

#[test]
fn the_panels_openapi_snapshot_matches_the_server() {
    let snapshot_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../admin-panel/openapi.json");
    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(snapshot_path).expect("admin-panel/openapi.json exists"))
            .expect("the snapshot is JSON");
    let served = serde_json::to_value(api_server::openapi::ApiDoc::openapi()).expect("the document serializes");

    assert!(
        snapshot == served,
        "admin-panel/openapi.json is out of date: start api_server and run \
         `cd admin-panel && API_URL=http://127.0.0.1:8080 npm run gen:api -- --fetch`"
    );
}

#[test]
fn every_operation_has_a_unique_id_and_only_route_segments_are_path_parameters() {
    let doc = serde_json::to_value(api_server::openapi::ApiDoc::openapi()).expect("serializes");
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let id = op["operationId"].as_str().expect("an operationId");
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    let name = p["name"].as_str().expect("a name");
                    assert!(path.contains(&format!("{{{name}}}")), "{method} {path}: {name} is not a path segment");
                }
            }
        }
    }
}
