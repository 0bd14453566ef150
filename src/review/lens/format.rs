//! The lens JSON as data. Reading accepts the spellings found in real lenses (`Url`, `URL`,
//! `DisplayText`, `riskrules`); writing always uses the Tool's own.

use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: &str = "2021-11-01";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lens {
    #[serde(alias = "SchemaVersion", alias = "schemaversion")]
    pub schema_version: String,
    #[serde(alias = "Name")]
    pub name: String,
    #[serde(
        default,
        alias = "Description",
        skip_serializing_if = "String::is_empty"
    )]
    pub description: String,
    #[serde(alias = "Pillars")]
    pub pillars: Vec<LensPillar>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LensPillar {
    #[serde(alias = "Id", alias = "ID")]
    pub id: String,
    #[serde(alias = "Name")]
    pub name: String,
    #[serde(alias = "Questions")]
    pub questions: Vec<LensQuestion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LensQuestion {
    #[serde(alias = "Id", alias = "ID")]
    pub id: String,
    #[serde(alias = "Title")]
    pub title: String,
    #[serde(
        default,
        alias = "Description",
        skip_serializing_if = "String::is_empty"
    )]
    pub description: String,
    #[serde(
        default,
        alias = "HelpfulResource",
        alias = "helpfulresource",
        skip_serializing_if = "Option::is_none"
    )]
    pub helpful_resource: Option<Resource>,
    #[serde(alias = "Choices")]
    pub choices: Vec<Choice>,
    #[serde(alias = "RiskRules", alias = "riskrules")]
    pub risk_rules: Vec<RiskRule>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    #[serde(alias = "DisplayText", alias = "displaytext")]
    pub display_text: String,
    #[serde(
        default,
        alias = "Url",
        alias = "URL",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    #[serde(alias = "Id", alias = "ID")]
    pub id: String,
    #[serde(alias = "Title")]
    pub title: String,
    #[serde(
        default,
        alias = "HelpfulResource",
        alias = "helpfulresource",
        skip_serializing_if = "Option::is_none"
    )]
    pub helpful_resource: Option<Resource>,
    #[serde(
        default,
        alias = "ImprovementPlan",
        alias = "improvementplan",
        skip_serializing_if = "Option::is_none"
    )]
    pub improvement_plan: Option<Resource>,
    #[serde(
        default,
        alias = "AdditionalResources",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub additional_resources: Vec<AdditionalResources>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdditionalResources {
    /// `HELPFUL_RESOURCE` or `IMPROVEMENT_PLAN`.
    #[serde(rename = "type", alias = "Type")]
    pub kind: String,
    #[serde(alias = "Content")]
    pub content: Vec<Resource>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskRule {
    #[serde(alias = "Condition")]
    pub condition: String,
    /// `HIGH_RISK`, `MEDIUM_RISK` or `NO_RISK`.
    #[serde(alias = "Risk")]
    pub risk: String,
}

impl Lens {
    /// The lens as the Tool's JSON, two-space indented, ending in a newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}
