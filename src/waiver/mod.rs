//! Waivers: accepted risks, reported with status `waived`, their reason, who accepted them
//! and until when. Inline ones come from the input itself (`inline`), the others from a
//! waiver file (`file`); a baseline is a separate mechanism (`crate::baseline`).

pub mod file;
pub mod inline;

use serde::{Deserialize, Serialize};

/// Where a waiver was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverKind {
    /// A CloudFormation resource's `Metadata.buttress.waive`.
    Inline,
    /// A Terraform (or any) resource's `buttress:waive:RULE` tag.
    Tag,
    /// cfn-guard's `Metadata.guard.SuppressedRules`.
    Guard,
    /// cfn-nag's `Metadata.cfn_nag.rules_to_suppress`.
    CfnNag,
    /// A `[[waiver]]` of a waiver file.
    File,
}

impl WaiverKind {
    /// Whether the waiver lives in the input (SARIF's `inSource`) or beside it (`external`).
    pub fn in_source(self) -> bool {
        self != WaiverKind::File
    }
}

/// Why a finding does not count against the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiver {
    pub kind: WaiverKind,
    pub reason: String,
    /// Who accepted the risk, when the waiver says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The last day the waiver applies (`YYYY-MM-DD`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}
