//! Findings as JSON objects, written fast: the fields of [`FindingRecord`] in its order and
//! layout, with each rule's constant fields (id, title, pillar, practices, risk, fix)
//! rendered once per rule rather than escaped again for every finding, and each finding
//! written into a buffer rather than through a `dyn Write` call per token.
//!
//! The bytes are those `serde_json` writes for [`FindingRecord`] (compact, or pretty as it
//! stands some spaces in); a test holds the two together.
//!
//! [`FindingRecord`]: super::schema::FindingRecord

use super::Finding;
use crate::ir::Program;
use serde::Serialize;

/// How objects are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// On one line, no spaces (`ndjson`).
    Compact,
    /// Pretty-printed, two spaces a level, its lines `indent` spaces in (the JSON report).
    Pretty { indent: usize },
}

/// The fields of one object being written into a buffer.
struct Fields<'b> {
    out: &'b mut Vec<u8>,
    layout: Layout,
    first: bool,
}

impl Fields<'_> {
    fn name(&mut self, name: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        match self.layout {
            Layout::Compact => {
                self.out.push(b'"');
                self.out.extend_from_slice(name.as_bytes());
                self.out.extend_from_slice(b"\":");
            }
            Layout::Pretty { indent } => {
                self.out.push(b'\n');
                self.out.resize(self.out.len() + indent + 2, b' ');
                self.out.push(b'"');
                self.out.extend_from_slice(name.as_bytes());
                self.out.extend_from_slice(b"\": ");
            }
        }
    }

    /// A field whose value has no layout of its own (a string, a number, null).
    fn scalar<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.name(name);
        // Writing to a vector cannot fail, and these values always serialise.
        let _ = serde_json::to_writer(&mut *self.out, value);
    }

    /// A string field. Most strings need no escaping (no quote, backslash or control
    /// character) and are copied whole; the others go through `serde_json`, as before.
    fn text(&mut self, name: &str, value: &str) {
        self.name(name);
        // Without short-circuiting, so that the check is done many bytes at a time.
        let plain = !value.bytes().fold(false, |bad, b| {
            bad | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if plain {
            self.out.push(b'"');
            self.out.extend_from_slice(value.as_bytes());
            self.out.push(b'"');
        } else {
            let _ = serde_json::to_writer(&mut *self.out, value);
        }
    }

    /// A field whose value may be a list or an object.
    fn nested<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.name(name);
        match self.layout {
            Layout::Compact => {
                let _ = serde_json::to_writer(&mut *self.out, value);
            }
            Layout::Pretty { indent } => {
                let text = serde_json::to_vec_pretty(value).unwrap_or_default();
                // JSON strings hold no raw line break: every one is the layout's.
                for &b in &text {
                    self.out.push(b);
                    if b == b'\n' {
                        self.out.resize(self.out.len() + indent + 2, b' ');
                    }
                }
            }
        }
    }
}

/// What a rule's findings share, rendered once.
struct RuleParts {
    /// The fields before the finding's own (`rule` … `risk`), without the opening brace.
    head: Vec<u8>,
    /// The `fix` field, with the comma before it.
    fix: Vec<u8>,
}

/// Writes findings as JSON objects, keeping each rule's rendered parts.
pub struct FindingWriter {
    layout: Layout,
    rules: Vec<Option<RuleParts>>,
    /// A batch of findings, written in one call.
    batch: Vec<u8>,
}

impl FindingWriter {
    pub fn new(layout: Layout) -> FindingWriter {
        FindingWriter {
            layout,
            rules: Vec::new(),
            batch: Vec::new(),
        }
    }

    /// Write `findings` to `out` in one write: finding `i` after `before(i)`, each followed
    /// by `after`.
    pub fn write_batch(
        &mut self,
        prog: &Program,
        findings: &[Finding],
        before: impl Fn(usize) -> &'static [u8],
        after: &[u8],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut batch = std::mem::take(&mut self.batch);
        batch.clear();
        for (i, f) in findings.iter().enumerate() {
            batch.extend_from_slice(before(i));
            self.write(prog, f, &mut batch);
            batch.extend_from_slice(after);
        }
        let written = out.write_all(&batch);
        self.batch = batch;
        written
    }

    fn parts(&mut self, prog: &Program, rule: u32) -> &RuleParts {
        let i = rule as usize;
        if self.rules.len() <= i {
            self.rules.resize_with(prog.rules.len().max(i + 1), || None);
        }
        let layout = self.layout;
        self.rules[i].get_or_insert_with(|| {
            let r = &prog.rules[i];
            let mut head = Vec::new();
            let mut f = Fields {
                out: &mut head,
                layout,
                first: true,
            };
            f.scalar("rule", &r.id);
            f.scalar("title", &r.title);
            f.scalar("pillar", r.pillar.id());
            f.scalar("practice", &r.practices.first());
            f.nested("practices", &r.practices);
            f.scalar("risk", r.risk.id());
            let mut fix = Vec::new();
            Fields {
                out: &mut fix,
                layout,
                first: false,
            }
            .scalar("fix", &r.fix);
            RuleParts { head, fix }
        })
    }

    /// Append finding `f` as one JSON object (no line break after it) to `out`.
    pub fn write(&mut self, prog: &Program, f: &Finding, out: &mut Vec<u8>) {
        let layout = self.layout;
        let parts = self.parts(prog, f.rule);
        out.push(b'{');
        out.extend_from_slice(&parts.head);
        let mut fields = Fields {
            out,
            layout,
            first: false,
        };
        fields.text("status", f.status_id());
        fields.text("file", &f.file);
        fields.text("resource", &f.resource);
        fields.text("resource_type", &f.resource_type);
        fields.text("path", &f.pointer);
        fields.scalar("line", &f.location.line);
        fields.scalar("column", &f.location.column);
        fields.scalar("end_line", &f.location.end_line);
        fields.scalar("end_column", &f.location.end_column);
        fields.text("message", &f.message);
        fields.out.extend_from_slice(&parts.fix);
        if let Some(w) = &f.waiver {
            fields.nested("waiver", w);
        }
        match layout {
            Layout::Compact => out.push(b'}'),
            Layout::Pretty { indent } => {
                out.push(b'\n');
                out.resize(out.len() + indent, b' ');
                out.push(b'}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::schema::FindingRecord;
    use crate::waiver::{Waiver, WaiverKind};

    /// Findings of the stdlib and of a rule of our own, with hostile strings and waivers of
    /// every shape.
    fn findings() -> (crate::engine::RuleSet, Vec<Finding>) {
        let mut engine = crate::engine::Engine::new().with_stdlib();
        engine.add_source(
            "bare.btr",
            "pack t\nrule bare {\n  pillar security\n  practice \"SEC01-BP01\"\n  risk medium\n  title \"t \\\"q\\\"\"\n  fix \"f\"\n  on json \"*\" as d {\n    require d.ok == true else \"not ok\"\n  }\n}\n",
        );
        let set = engine.compile();
        assert!(!set.has_errors(), "the rules compile");
        let prog = &set.program;
        let mut found = crate::report::findings_of(prog, "t.json", crate::report::FAILING_TEMPLATE);
        found.extend(crate::report::findings_of(prog, "x.json", r#"{"ok": 1}"#));
        assert!(
            found
                .iter()
                .any(|f| prog.rules[f.rule as usize].id == "t.bare"),
            "a finding of the rule of our own"
        );
        assert!(found.len() > 3, "the samples fail several rules");
        let waivers = [
            None,
            Some(Waiver {
                kind: WaiverKind::Inline,
                reason: "line\nbreak \"quoted\" \u{1}".into(),
                by: Some("ops <ops@example.com>".into()),
                until: Some("2027-01-01".into()),
            }),
            Some(Waiver {
                kind: WaiverKind::Guard,
                reason: "r".into(),
                by: None,
                until: None,
            }),
        ];
        for (i, f) in found.iter_mut().enumerate() {
            f.waiver = waivers[i % waivers.len()].clone();
            if i % 2 == 1 {
                f.message = format!(
                    "{}: tab\t, quote \", back\\slash, é, \u{7f}, \u{2028}",
                    f.message
                );
                f.resource = format!("{}/~\u{0}", f.resource);
            }
        }
        (set, found)
    }

    #[test]
    fn compact_findings_are_serde_json_of_the_record() {
        let (set, found) = findings();
        let mut writer = FindingWriter::new(Layout::Compact);
        // Twice over: the second pass writes from the kept parts of each rule.
        for f in found.iter().chain(&found) {
            let mut out = Vec::new();
            writer.write(&set.program, f, &mut out);
            let record = FindingRecord::of(&set.program, f);
            let expected = serde_json::to_string(&record).expect("serialises");
            assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
        }
    }

    #[test]
    fn pretty_findings_are_serde_json_of_the_record_indented() {
        let (set, found) = findings();
        for indent in [0, 4] {
            let mut writer = FindingWriter::new(Layout::Pretty { indent });
            for f in found.iter().chain(&found) {
                let mut out = Vec::new();
                writer.write(&set.program, f, &mut out);
                let record = FindingRecord::of(&set.program, f);
                let expected = serde_json::to_string_pretty(&record)
                    .expect("serialises")
                    .replace('\n', &format!("\n{:indent$}", ""));
                assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
            }
        }
    }
}
