//! Reading the waiver file and the baseline a `check` names.

use crate::baseline::Baseline;
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::waiver::file::WaiverFile;
use std::path::Path;

/// The waivers of `--waivers FILE`, else those of the configuration file read, else none.
pub fn load(waivers: Option<&Path>, config: Option<&Path>, today: Date) -> WaiverFile {
    // A configuration file's other keys are checked by `config`; a waiver file has none.
    let (path, other) = match (waivers, config) {
        (Some(p), _) => (p.to_path_buf(), &[][..]),
        (None, Some(c)) => (c.to_path_buf(), super::config::KEYS),
        (None, None) => return WaiverFile::default(),
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => WaiverFile::parse(&path.display().to_string(), &text, today, other),
        Err(e) if waivers.is_none() && e.kind() == std::io::ErrorKind::NotFound => {
            WaiverFile::default()
        }
        Err(e) => WaiverFile {
            diagnostics: vec![Diagnostic::error(
                Code::BadWaiver,
                format!("cannot read the waiver file `{}`: {e}", path.display()),
            )],
            ..Default::default()
        },
    }
}

/// The baseline of `--baseline FILE`.
pub fn baseline(path: &Path) -> Result<Baseline, Diagnostic> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(
            Code::BadBaseline,
            format!("cannot read the baseline `{name}`: {e}"),
        )
        .help("write one with `buttress check … --write-baseline FILE`")
    })?;
    Baseline::parse(&name, &text)
}
