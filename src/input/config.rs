//! AWS Config configuration items (snapshots, histories, batch results, query results,
//! one item per line) → resources.
//!
//! A resource is one configuration item: its type is the item's `resourceType`, its name the
//! `resourceId`, and rules read the whole item (`db.configuration.storageEncrypted`,
//! `b.supplementaryConfiguration.PublicAccessBlockConfiguration`, `r.tags`). The API returns
//! `configuration` and the values of `supplementaryConfiguration` as JSON text; those are
//! parsed. Items of deleted or unrecorded resources, and items superseded by a later item of
//! the same resource in the same document, are not checked. Relationships between items of
//! one document become references.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::InputKind;
use crate::model::{self, Edge, LoadedResources, Resource};
use foldhash::HashMap;
use serde_json::{Map, Value as Json};

/// Statuses of items that describe no current configuration: they are not checked.
const NOT_CHECKED: [&str; 3] = [
    "ResourceDeleted",
    "ResourceDeletedNotRecorded",
    "ResourceNotRecorded",
];

/// Keys under which a document lists configuration items.
const ITEM_LISTS: [&str; 2] = ["configurationItems", "baseConfigurationItems"];

/// Keys under which a document holds one configuration item (a change notification,
/// `get-aggregate-resource-config`).
const ONE_ITEM: [&str; 2] = ["configurationItem", "ConfigurationItem"];

/// Spellings of the same field in different shapes (S3 delivery, API): the second is added
/// when only the first is present, so rules read either.
const ALIASES: [(&str, &str); 2] = [("ARN", "arn"), ("awsAccountId", "accountId")];

/// Whether a value looks like one configuration item.
fn is_item(v: &Json) -> bool {
    let Some(m) = v.as_object() else { return false };
    matches!(crate::model::member(m, "resourceType"), Some(Json::String(t)) if t.contains("::"))
        && (model::has(m, "configuration") || model::has(m, "resourceId"))
        && !model::has(m, "Type")
}

/// Whether a query result (JSON text of a partial item) holds a `resourceType`.
fn is_result(v: &Json) -> bool {
    match v {
        Json::String(s) => {
            super::json::parse(s).is_ok_and(|r| r.get("resourceType").is_some_and(Json::is_string))
        }
        Json::Object(m) => model::member(m, "resourceType").is_some_and(Json::is_string),
        _ => false,
    }
}

/// Whether a JSON document holds AWS Config configuration items.
pub fn detect(v: &Json) -> bool {
    let m = match v {
        Json::Object(m) => m,
        Json::Array(a) => return !a.is_empty() && a.iter().all(is_item),
        _ => return false,
    };
    // CloudFormation templates and Terraform plans or states.
    let foreign = [
        "Resources",
        "AWSTemplateFormatVersion",
        "format_version",
        "terraform_version",
    ];
    if foreign.iter().any(|k| model::has(m, k)) {
        return false;
    }
    for key in ITEM_LISTS {
        match model::member(m, key) {
            Some(Json::Array(items)) => return items.is_empty() || items.iter().any(is_item),
            // A snapshot file with a broken list: loading says what is wrong.
            Some(_) => return model::has(m, "fileVersion") || model::has(m, "configSnapshotId"),
            None => {}
        }
    }
    if let Some(Json::Array(results)) = model::member(m, "Results") {
        return model::has(m, "QueryInfo") || results.first().is_some_and(is_result);
    }
    if ONE_ITEM
        .iter()
        .any(|k| model::member(m, k).is_some_and(is_item))
    {
        return true;
    }
    is_item(v)
}

use super::locate::json_kind as what;

/// Replace JSON text holding an object or a list by its value; other text is kept.
fn parse_embedded(v: &mut Json) {
    if let Json::String(s) = v {
        if s.trim_start().starts_with(['{', '[']) {
            if let Ok(parsed) = super::json::parse(s) {
                *v = parsed;
            }
        }
    }
}

/// One item found in the document, before it is checked.
struct Candidate {
    /// JSON pointer of the item in the document.
    pointer: String,
    /// What messages call it (`configuration item 3`, `query result 3`).
    label: String,
    item: Json,
    /// Query results are JSON text to parse.
    from_results: bool,
}

/// The items of a document, each with its pointer, or why there are none.
fn candidates(name: &str, value: &mut Json) -> Result<Vec<Candidate>, Diagnostic> {
    let list = |prefix: &str, label: &str, items: Vec<Json>, from_results: bool| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| Candidate {
                pointer: format!("{prefix}/{i}"),
                label: format!("{label} {i}"),
                item,
                from_results,
            })
            .collect::<Vec<_>>()
    };
    if let Json::Array(items) = value {
        return Ok(list("", "configuration item", std::mem::take(items), false));
    }
    let Json::Object(m) = value else {
        return Err(Diagnostic::error(
            Code::BadTemplateShape,
            format!(
                "`{name}`: AWS Config output is an object, not {}",
                what(value)
            ),
        ));
    };
    for key in ITEM_LISTS {
        match model::member_mut(m, key) {
            Some(Json::Array(items)) => {
                let items = std::mem::take(items);
                return Ok(list(&format!("/{key}"), "configuration item", items, false));
            }
            Some(other) => {
                return Err(Diagnostic::error(
                    Code::BadTemplateShape,
                    format!(
                        "`{name}`: `{key}` is {}; AWS Config lists configuration items",
                        what(other)
                    ),
                ))
            }
            None => {}
        }
    }
    match model::member_mut(m, "Results") {
        Some(Json::Array(results)) => {
            let results = std::mem::take(results);
            return Ok(list("/Results", "query result", results, true));
        }
        Some(other) => {
            return Err(Diagnostic::error(
                Code::BadTemplateShape,
                format!(
                    "`{name}`: `Results` is {}; an advanced query lists its results",
                    what(other)
                ),
            ))
        }
        None => {}
    }
    for key in ONE_ITEM {
        if let Some(item) = model::member_mut(m, key).filter(|v| v.is_object()) {
            return Ok(vec![Candidate {
                pointer: format!("/{key}"),
                label: "the configuration item".into(),
                item: std::mem::take(item),
                from_results: false,
            }]);
        }
    }
    if model::has(m, "resourceType") {
        return Ok(vec![Candidate {
            pointer: String::new(),
            label: "the configuration item".into(),
            item: std::mem::take(value),
            from_results: false,
        }]);
    }
    Err(Diagnostic::error(
        Code::BadTemplateShape,
        format!("`{name}` holds no AWS Config configuration items"),
    )
    .help(
        "expected `configurationItems` (a snapshot, a history, `get-resource-config-history`), \
         `baseConfigurationItems` (`batch-get-resource-config`), `Results` (an advanced query) \
         or one configuration item with a `resourceType`",
    ))
}

/// A relationship of an item to another resource.
struct Link {
    resource_type: Option<String>,
    resource_id: Option<String>,
    resource_name: Option<String>,
}

/// An item that has a type, before superseded and deleted items are dropped.
struct Item {
    pointer: String,
    type_name: String,
    id: Option<String>,
    status: Option<String>,
    item: Map<String, Json>,
}

fn string(m: &Map<String, Json>, key: &str) -> Option<String> {
    crate::model::member(m, key)
        .and_then(Json::as_str)
        .map(str::to_string)
}

/// A capture time as seconds since 1970: an ISO 8601 text (`2026-01-02T03:04:05.123Z`, any
/// precision, `Z` or an offset such as `+02:00`) or a number of seconds (or milliseconds,
/// when it is too large for seconds), as Config's different outputs write it.
pub fn capture_seconds(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => {
            let x = n.as_f64()?;
            Some(if x > 1e11 { x / 1000.0 } else { x })
        }
        Json::String(s) => iso_seconds(s.trim()),
        _ => None,
    }
}

fn iso_seconds(s: &str) -> Option<f64> {
    let num = |t: &str| t.parse::<i64>().ok();
    let (date, time) = s.split_once(['T', ' ']).unwrap_or((s, "00:00:00Z"));
    let mut d = date.splitn(3, '-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // The offset: `Z`, `+hh:mm`, `-hh:mm`, `+hhmm`, or none (UTC).
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, ""),
    };
    let offset_secs = match offset.chars().next() {
        None | Some('Z' | 'z') => 0,
        Some(sign) => {
            let digits: String = offset[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() < 2 {
                return None;
            }
            let h = num(&digits[..2])?;
            let mins = if digits.len() >= 4 {
                num(&digits[2..4])?
            } else {
                0
            };
            let secs = h * 3600 + mins * 60;
            if sign == '-' {
                -secs
            } else {
                secs
            }
        }
    };
    let mut c = clock.splitn(3, ':');
    let h = num(c.next()?)?;
    let min = c.next().map_or(Some(0), num)?;
    let sec: f64 = c.next().map_or(Some(0.0), |t| t.parse().ok())?;
    // Days from the civil date (proleptic Gregorian).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + min * 60 - offset_secs) as f64 + sec)
}

/// Which items are not superseded by a later item of the same resource: among the items of one
/// resource (type and id), only those with the latest `configurationItemCaptureTime` remain,
/// when every one of them has a time buttress can read (text and numbers may mix, and so may
/// precisions: times are compared as instants, not as text).
fn latest(items: &[Item]) -> Vec<bool> {
    let mut keep = vec![true; items.len()];
    if items.len() <= 1 {
        // A stream's line: one item supersedes none.
        return keep;
    }
    let mut groups: HashMap<(&str, &str), Vec<usize>> = HashMap::default();
    for (i, it) in items.iter().enumerate() {
        if let Some(id) = &it.id {
            groups
                .entry((it.type_name.as_str(), id.as_str()))
                .or_default()
                .push(i);
        }
    }
    for group in groups.values().filter(|g| g.len() > 1) {
        let times: Option<Vec<f64>> = group
            .iter()
            .map(|&i| {
                items[i]
                    .item
                    .get("configurationItemCaptureTime")
                    .and_then(capture_seconds)
            })
            .collect();
        let Some(times) = times else { continue };
        let max = times.iter().copied().fold(f64::MIN, f64::max);
        for (&i, t) in group.iter().zip(&times) {
            keep[i] = *t == max;
        }
    }
    keep
}

/// Resources of the configuration items, with JSON pointers into the document.
pub fn load(name: &str, value: &mut Json) -> Result<LoadedResources, Diagnostic> {
    let mut warnings = Vec::new();
    let mut items = Vec::new();
    for c in candidates(name, value)? {
        let mut item = c.item;
        if c.from_results {
            if let Json::String(text) = &item {
                match super::json::parse(text) {
                    Ok(parsed) => item = parsed,
                    Err(e) => {
                        warnings.push((
                            Diagnostic::warning(
                                Code::SkippedInput,
                                format!(
                                    "`{name}`: {} is not JSON text ({e}); it is not checked",
                                    c.label
                                ),
                            ),
                            c.pointer,
                        ));
                        continue;
                    }
                }
            }
        }
        let Json::Object(mut m) = item else {
            warnings.push((
                Diagnostic::warning(
                    Code::SkippedInput,
                    format!(
                        "`{name}`: {} is {}, not an object; it is not checked",
                        c.label,
                        what(&item)
                    ),
                ),
                c.pointer,
            ));
            continue;
        };
        let Some(type_name) = string(&m, "resourceType") else {
            let mut d = Diagnostic::warning(
                Code::SkippedInput,
                format!(
                    "`{name}`: {} has no string `resourceType`; it is not checked",
                    c.label
                ),
            );
            if c.from_results {
                d = d.help("select `resourceType` in the query, as in `SELECT resourceId, resourceType, configuration WHERE …`");
            }
            warnings.push((d, c.pointer));
            continue;
        };
        let id = string(&m, "resourceId");
        let status = string(&m, "configurationItemStatus");
        for (from, to) in ALIASES {
            if !model::has(&m, to) {
                if let Some(v) = model::member(&m, from).cloned() {
                    m.insert(to.to_string(), v);
                }
            }
        }
        items.push(Item {
            pointer: c.pointer,
            type_name,
            id,
            status,
            item: m,
        });
    }

    let keep = latest(&items);
    let mut resources = Vec::with_capacity(items.len());
    let mut links: Vec<Vec<Link>> = Vec::with_capacity(items.len());
    for (it, keep) in items.into_iter().zip(keep) {
        if !keep
            || it
                .status
                .as_deref()
                .is_some_and(|s| NOT_CHECKED.contains(&s))
        {
            continue;
        }
        let mut m = it.item;
        if let Some(c) = model::member_mut(&mut m, "configuration") {
            parse_embedded(c);
        }
        if let Some(s) = model::member_mut(&mut m, "supplementaryConfiguration") {
            parse_embedded(s);
            if let Json::Object(s) = s {
                for v in s.values_mut() {
                    parse_embedded(v);
                    // The API encodes every value as JSON text, flags too (`IsRequesterPaysEnabled`).
                    if let Json::String(t) = v {
                        if let Ok(b) = t.parse::<bool>() {
                            *v = Json::Bool(b);
                        }
                    }
                }
            }
        }
        let mut item_links = Vec::new();
        if let Some(Json::Array(rels)) = model::member_mut(&mut m, "relationships") {
            for rel in rels.iter_mut().filter_map(Json::as_object_mut) {
                // Delivered files name the relationship `name`, the API `relationshipName`.
                if !model::has(rel, "relationshipName") {
                    if let Some(n) = model::member(rel, "name").cloned() {
                        rel.insert("relationshipName".into(), n);
                    }
                }
                item_links.push(Link {
                    resource_type: string(rel, "resourceType"),
                    resource_id: string(rel, "resourceId"),
                    resource_name: string(rel, "resourceName"),
                });
            }
        }
        let name = it
            .id
            .clone()
            .or_else(|| string(&m, "resourceName"))
            .or_else(|| string(&m, "arn"))
            .unwrap_or_else(|| format!("{} {}", it.type_name, it.pointer));
        links.push(item_links);
        resources.push(Resource {
            type_name: it.type_name,
            name,
            properties: Json::Object(m),
            entry: Json::Null,
            pointer: it.pointer.clone(),
            entry_pointer: it.pointer,
            refs: Vec::new(),
            variants: Vec::new(),
        });
    }

    join_relationships(&mut resources, &links);
    Ok(LoadedResources {
        kind: Some(InputKind::Config),
        resources,
        root: Json::Null,
        warnings,
    })
}

/// Relationships to items of the same document become references (`links`: each resource's
/// relationships, in order).
fn join_relationships(resources: &mut [Resource], links: &[Vec<Link>]) {
    if resources.len() <= 1 {
        // A single item (a stream's line) has none to point at, its own being left out.
        return;
    }
    let mut by_id: HashMap<(&str, &str), Vec<u32>> = HashMap::default();
    let mut by_bare_id: HashMap<&str, Vec<u32>> = HashMap::default();
    let mut by_name: HashMap<(&str, &str), Vec<u32>> = HashMap::default();
    for (i, r) in resources.iter().enumerate() {
        let i = i as u32;
        if let Some(id) = property_str(r, "resourceId") {
            by_id.entry((&r.type_name, id)).or_default().push(i);
            by_bare_id.entry(id).or_default().push(i);
        }
        if let Some(n) = property_str(r, "resourceName") {
            by_name.entry((&r.type_name, n)).or_default().push(i);
        }
    }
    let refs: Vec<Vec<Edge>> = links
        .iter()
        .enumerate()
        .map(|(i, links)| {
            let mut targets = Vec::new();
            for l in links {
                let found = match (&l.resource_type, &l.resource_id, &l.resource_name) {
                    (Some(t), Some(id), _) => by_id.get(&(t.as_str(), id.as_str())),
                    (None, Some(id), _) => by_bare_id.get(id.as_str()),
                    (Some(t), None, Some(n)) => by_name.get(&(t.as_str(), n.as_str())),
                    _ => None,
                };
                targets.extend(
                    found
                        .into_iter()
                        .flatten()
                        .copied()
                        .filter(|&t| t != i as u32),
                );
            }
            model::edges(
                targets
                    .into_iter()
                    .map(|to| Edge { to, at: None })
                    .collect(),
            )
        })
        .collect();
    for (r, t) in resources.iter_mut().zip(refs) {
        r.refs = t;
    }
}

/// The string at `key` of a resource's item.
fn property_str<'r>(r: &'r Resource, key: &str) -> Option<&'r str> {
    r.properties
        .as_object()
        .and_then(|p| model::member(p, key))
        .and_then(Json::as_str)
}

#[cfg(test)]
mod capture_time_tests {
    use super::capture_seconds;
    use serde_json::json;

    #[test]
    fn capture_times_are_instants_whatever_their_form() {
        let t = |v| capture_seconds(&v).unwrap();
        assert_eq!(t(json!("1970-01-01T00:00:00Z")), 0.0);
        assert_eq!(t(json!("2026-12-02T06:00:00Z")), t(json!(1_796_191_200)));
        assert_eq!(
            t(json!("2026-12-02T06:00:00.500Z")),
            t(json!(1_796_191_200_500u64))
        );
        assert_eq!(
            t(json!("2026-12-02T08:00:00+02:00")),
            t(json!("2026-12-02T06:00:00Z"))
        );
        // Text order and time order differ: as text, `…09:00:00Z` sorts after `…09:00:00.5Z`.
        assert!(t(json!("2026-12-02T09:00:00.5Z")) > t(json!("2026-12-02T09:00:00Z")));
        assert!(t(json!("2026-12-02T09:00:00Z")) > t(json!(1_796_191_200)));
        assert!(capture_seconds(&json!("yesterday")).is_none());
    }
}
