//! `buttress new rule`: write a rule skeleton and its first pass and fail fixtures.

use super::{parse_risk, EXIT_ERROR, EXIT_OK};
use crate::catalogue::Risk;
use crate::diagnostics::{render_plain, Code, Diagnostic};
use crate::scaffold::{skeleton, NewRule};
use crate::source::SourceMap;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// Start something new
#[derive(Args)]
pub struct NewArgs {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    Rule(RuleArgs),
}

/// Write a rule skeleton with its metadata and an `on` block, and a pass and a fail fixture
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress new rule org.s3.versioned --pillar reliability --practice REL09-BP02\n  \
    buttress new rule org.ebs.tagged --pillar cost_optimization --practice COST03-BP02 --type AWS::EC2::Volume --dir rules/\n\n\
    The rule goes into DIR/<pack>.btr (appended when the file exists), its fixtures into \
    DIR/fixtures/<rule id>/; `buttress test DIR` runs them."
)]
struct RuleArgs {
    /// The rule id: `pack.name`
    #[arg(value_name = "PACK.NAME")]
    id: String,
    /// Its Well-Architected pillar: security, reliability, cost_optimization, …
    #[arg(long)]
    pillar: String,
    /// The best practice it evidences, such as SEC08-BP02
    #[arg(long)]
    practice: String,
    /// Its risk: low, medium, high
    #[arg(long, value_parser = parse_risk, default_value = "medium")]
    risk: Risk,
    /// The CloudFormation resource type it checks
    #[arg(long = "type", default_value = "AWS::S3::Bucket", value_name = "TYPE")]
    type_name: String,
    /// The folder of the rules
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: NewArgs) -> i32 {
    let What::Rule(a) = args.what;
    match write(&a) {
        Ok(files) => {
            for f in files {
                println!("wrote {}", f.display());
            }
            println!(
                "next: fill in the TODOs, then `buttress test {}`",
                a.dir.display()
            );
            EXIT_OK
        }
        Err(d) => {
            eprint!("{}", render_plain(&SourceMap::new(), &d));
            EXIT_ERROR
        }
    }
}

fn write(a: &RuleArgs) -> Result<Vec<PathBuf>, Diagnostic> {
    let s = skeleton(&NewRule {
        id: &a.id,
        pillar: &a.pillar,
        practice: &a.practice,
        risk: a.risk,
        type_name: &a.type_name,
    })?;
    let fixtures = a.dir.join("fixtures").join(&a.id);
    if fixtures.exists() {
        return Err(Diagnostic::error(
            Code::NewRuleExists,
            format!("`{}` exists already", fixtures.display()),
        )
        .help("choose another rule id, or remove the old fixtures"));
    }
    let pack_file = a.dir.join(format!("{}.btr", s.pack));
    let io = |path: &Path, e: std::io::Error| {
        Diagnostic::error(
            Code::UnreadableRules,
            format!("cannot write `{}`: {e}", path.display()),
        )
    };
    let text = match std::fs::read_to_string(&pack_file) {
        Ok(old)
            if old.contains(&format!(
                "rule {} {{",
                a.id.rsplit('.').next().unwrap_or("")
            )) =>
        {
            return Err(Diagnostic::error(
                Code::NewRuleExists,
                format!("`{}` has a rule of that name already", pack_file.display()),
            ))
        }
        Ok(old) => format!(
            "{}{}",
            old.trim_end_matches('\n').to_string() + "\n",
            s.rule
        ),
        Err(_) => format!("{}{}", s.pack_line, s.rule),
    };
    std::fs::create_dir_all(&fixtures).map_err(|e| io(&fixtures, e))?;
    let files = [
        (pack_file, text),
        (fixtures.join("pass-example.json"), s.pass),
        (fixtures.join("fail-example.json"), s.fail),
        (fixtures.join(crate::fixtures::expect::FILE), s.expect),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|e| io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
