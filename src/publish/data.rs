//! The knowledge base as data for other tools: `/api/pages.json` (every page's
//! front matter, URL and relations) and `/graph.json` (nodes and typed edges).

use serde_json::{Map, Value, json};

use crate::links::Relation;
use crate::model::{FieldValue, PageId};
use crate::render::{PageValues, RenderInput};

/// How a relation is written in the data files.
fn relation_json(relation: &Relation) -> (&'static str, Option<&str>) {
    match relation {
        Relation::Ref { field } => ("ref", Some(field.as_str())),
        Relation::Link { .. } => ("link", None),
    }
}

/// `[{path, url, permalink, title, kind, date, …, fields, taxonomies, relations}]`.
pub fn pages_json(input: &RenderInput<'_>, values: &PageValues<'_>) -> Vec<u8> {
    let (site, graph) = (input.site, input.graph);
    let path_of = |id: PageId| site.page(id).path.as_str();
    // Each page's outgoing edges, found in one pass rather than a scan per page.
    let mut outgoing_edges: Vec<Vec<usize>> = vec![Vec::new(); site.pages.len()];
    for (i, e) in graph.edges.iter().enumerate() {
        outgoing_edges[e.from.0].push(i);
    }
    let pages: Vec<Value> = site
        .iter()
        .map(|(id, page)| {
            let mut fields = Map::new();
            for (name, value) in &page.fields {
                let v = match value {
                    // Refs as the resolved paths of their pages.
                    FieldValue::Ref(_) | FieldValue::Refs(_) => {
                        let targets: Vec<&str> = graph.refs[id.0]
                            .get(name)
                            .map_or(Vec::new(), |t| t.iter().map(|t| path_of(*t)).collect());
                        match value {
                            FieldValue::Ref(_) => json!(targets.first()),
                            _ => json!(targets),
                        }
                    }
                    other => serde_json::to_value(other).unwrap_or(Value::Null),
                };
                fields.insert(name.clone(), v);
            }
            let outgoing: Vec<Value> = outgoing_edges[id.0]
                .iter()
                .map(|&e| {
                    let e = &graph.edges[e];
                    let (kind, field) = relation_json(&e.relation);
                    json!({"to": path_of(e.to), "type": kind, "field": field})
                })
                .collect();
            let incoming: Vec<Value> = graph.incoming[id.0]
                .iter()
                .map(|&e| {
                    let edge = &graph.edges[e];
                    let (kind, field) = relation_json(&edge.relation);
                    json!({"from": path_of(edge.from), "type": kind, "field": field})
                })
                .collect();
            json!({
                "path": page.path,
                "url": values.links.url(id),
                "permalink": input.urls.permalink(&page.path),
                "title": page.meta.title,
                "kind": page.kind,
                "section": page.role == crate::model::Role::Section,
                "date": page.meta.date.map(|d| d.to_string()),
                "updated": page.meta.updated.map(|d| d.to_string()),
                "draft": page.meta.draft,
                "summary": page.meta.summary,
                "taxonomies": page.meta.taxonomies,
                "fields": fields,
                "extra": page.extra,
                "relations": {"out": outgoing, "in": incoming},
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "pages": pages })).unwrap_or_default()
}

/// `{nodes: [{id, title, kind, url}], edges: [{source, target, type, field}]}`.
pub fn graph_json(input: &RenderInput<'_>, values: &PageValues<'_>) -> Vec<u8> {
    let site = input.site;
    let nodes: Vec<Value> = site
        .iter()
        .map(|(id, p)| {
            json!({
                "id": p.path,
                "title": p.meta.title,
                "kind": p.kind,
                "url": values.links.url(id),
            })
        })
        .collect();
    let edges: Vec<Value> = input
        .graph
        .edges
        .iter()
        .map(|e| {
            let (kind, field) = relation_json(&e.relation);
            json!({
                "source": site.page(e.from).path,
                "target": site.page(e.to).path,
                "type": kind,
                "field": field,
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "nodes": nodes, "edges": edges })).unwrap_or_default()
}
