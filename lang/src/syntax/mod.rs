//! Rule source text → AST, with every syntax error of a file reported, not only the first.

mod build;
mod depth;
mod errors;
mod parser;
mod strings;

pub use depth::MAX_DEPTH;
pub use strings::unescape;

use crate::ast::PackFile;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use build::Builder;
use parser::{BtrParser, Rule};
use pest::Parser;
use std::sync::Once;

fn limit_pest_calls() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(50_000_000)));
}

/// Parse one rule file. `None` when it has syntax errors (all reported).
pub fn parse_file(file: FileId, src: &str) -> (Option<PackFile>, Vec<Diagnostic>) {
    limit_pest_calls();
    if let Some(at) = depth::too_deep(src) {
        let d = Diagnostic::error(Code::TooDeep, "rule source nested too deeply")
            .primary(
                Span::new(file, at..at + 1),
                format!("more than {MAX_DEPTH} levels deep here"),
            )
            .help("split the expression with `let` or a named `pred`");
        return (None, vec![d]);
    }
    match BtrParser::parse(Rule::file, src) {
        Ok(mut pairs) => {
            let mut b = Builder {
                file,
                base: 0,
                src,
                diagnostics: Vec::new(),
            };
            let pack = pairs.next().and_then(|p| b.file(p));
            let failed = b.diagnostics.iter().any(Diagnostic::is_error);
            (pack.filter(|_| !failed), b.diagnostics)
        }
        Err(_) => {
            // Parse again with pest's error detail on, which records the punctuation it
            // expected; it costs time, so only files with errors pay for it.
            // The switch is global to pest: one re-parse at a time holds it.
            static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
            let guard = DETAIL
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            pest::set_error_detail(true);
            let whole = BtrParser::parse(Rule::file, src).err();
            let mut diagnostics = errors_per_item(file, src);
            pest::set_error_detail(false);
            drop(guard);
            if diagnostics.is_empty() {
                if let Some(e) = whole {
                    diagnostics.push(errors::from_pest(&e, src, file, 0, errors::End::File));
                }
            }
            (None, diagnostics)
        }
    }
}

/// Parse a standalone expression (used by tests and the property test's generator).
pub fn parse_expr(file: FileId, src: &str) -> Result<crate::ast::Expr, Vec<Diagnostic>> {
    limit_pest_calls();
    if let Some(at) = depth::too_deep(src) {
        return Err(vec![Diagnostic::error(
            Code::TooDeep,
            "expression nested too deeply",
        )
        .primary(Span::new(file, at..at + 1), "too deep")]);
    }
    let mut pairs = BtrParser::parse(Rule::expr_only, src)
        .map_err(|e| vec![errors::from_pest(&e, src, file, 0, errors::End::File)])?;
    let mut b = Builder {
        file,
        base: 0,
        src,
        diagnostics: Vec::new(),
    };
    let inner = pairs
        .next()
        .and_then(|p| p.into_inner().next())
        .expect("expr_only holds an expr");
    let e = b.expr(inner);
    if b.diagnostics.is_empty() {
        Ok(e)
    } else {
        Err(b.diagnostics)
    }
}

/// Where a top-level item starts: a line whose first word is an item keyword
/// (doc comments right above it belong to it).
fn item_starts(src: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut doc_start = None;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let word = trimmed
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        if trimmed.starts_with("///") {
            doc_start.get_or_insert(offset);
        } else if matches!(word, "pack" | "use" | "param" | "pred" | "rule") {
            starts.push(doc_start.take().unwrap_or(offset));
        } else if !trimmed.is_empty() {
            doc_start = None;
        }
        offset += line.len();
    }
    starts
}

/// Re-parse each item on its own so that one file reports all its errors.
fn errors_per_item(file: FileId, src: &str) -> Vec<Diagnostic> {
    let mut starts = item_starts(src);
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts.push(src.len());
    let mut diagnostics = Vec::new();
    for w in starts.windows(2) {
        let chunk = &src[w[0]..w[1]];
        if chunk.trim().is_empty()
            || chunk.trim_start().starts_with("//")
                && chunk
                    .lines()
                    .all(|l| l.trim().is_empty() || l.trim_start().starts_with("//"))
        {
            continue;
        }
        if let Err(e) = BtrParser::parse(Rule::item_only, chunk) {
            diagnostics.push(errors::from_pest(
                &e,
                chunk,
                file,
                w[0],
                if w[1] == src.len() {
                    errors::End::File
                } else {
                    errors::End::Item
                },
            ));
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> (Option<PackFile>, Vec<Diagnostic>) {
        parse_file(FileId(0), src)
    }

    #[test]
    fn a_full_rule_parses() {
        let src = r#"
/// Data at rest.
pack security.data

use security.common

param min_days: number = 7

/// Is it on?
pred enabled(x) = x ?? false == true

/// RDS encrypts.
rule rds_encrypted {
  pillar security
  practice "SEC08-BP02", "SEC08-BP01"
  risk high
  title "RDS encrypts"
  on cloudformation "AWS::RDS::DBInstance" as db {
    let enc = db.StorageEncrypted ?? false
    when not (db.Engine in ["aurora", "aurora-mysql"])
    require enc == true and some t in db.Tags[*] : t.Key == "x"
      else "{name(db)} is not encrypted ({enc})"
    require db.a[0].b["c d"].*[?(@.x > 1)] is list
  }
}
"#;
        let (pack, diags) = parse(src);
        assert!(diags.is_empty(), "{diags:?}");
        let pack = pack.unwrap();
        assert_eq!(pack.name.name, "security.data");
        assert_eq!(pack.doc, "Data at rest.");
        assert_eq!(pack.uses.len(), 1);
        assert_eq!(pack.items.len(), 3);
    }

    #[test]
    fn precedence_puts_coalesce_above_comparison_and_not_below() {
        let e = parse_expr(FileId(0), "not a ?? false == true and b").unwrap();
        let crate::ast::ExprKind::Binary(crate::ast::BinaryOp::And, lhs, _) = e.kind else {
            panic!("{e:?}")
        };
        let crate::ast::ExprKind::Unary(crate::ast::UnaryOp::Not, inner) = lhs.kind else {
            panic!()
        };
        let crate::ast::ExprKind::Binary(crate::ast::BinaryOp::Eq, l, _) = inner.kind else {
            panic!()
        };
        assert!(matches!(
            l.kind,
            crate::ast::ExprKind::Binary(crate::ast::BinaryOp::Coalesce, _, _)
        ));
    }

    #[test]
    fn several_errors_are_reported_per_file() {
        let src = "pack p\nrule a {\n  pillar security\n  on json \"*\" as d { require d.x == }\n}\nrule b {\n  on json \"*\" as d { require (d.y }\n}\n";
        let (pack, diags) = parse(src);
        assert!(pack.is_none());
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags.iter().all(|d| d.code == Code::SyntaxError));
        assert!(diags
            .iter()
            .all(|d| !d.message.contains("expr") || d.message.contains("expression")));
    }

    #[test]
    fn a_byte_order_mark_is_white_space() {
        let (pack, diags) = parse("\u{feff}pack t\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(pack.unwrap().name.name, "t");
    }

    #[test]
    fn unterminated_string_has_its_own_code() {
        let (_, diags) = parse("pack p\nrule a {\n  title \"oops\n}\n");
        assert_eq!(diags[0].code, Code::UnterminatedString);
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let src = format!(
            "pack p\npred x(a) = {}a{}",
            "(".repeat(10_000),
            ")".repeat(10_000)
        );
        let (_, diags) = parse(&src);
        assert_eq!(diags[0].code, Code::TooDeep);
    }
}
