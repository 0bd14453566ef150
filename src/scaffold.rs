//! `buttress new rule`: the text of a rule skeleton and of its first fixtures. Pure: the
//! command line writes the files.

use crate::catalogue::{Catalogue, Pillar, Risk};
use crate::diagnostics::{closest, Code, Diagnostic};

/// What a new rule is made of.
pub struct NewRule<'a> {
    /// `pack.name`: the pack is everything before the last dot.
    pub id: &'a str,
    pub pillar: &'a str,
    pub practice: &'a str,
    pub risk: Risk,
    /// The CloudFormation type it checks.
    pub type_name: &'a str,
}

/// The files of a new rule: the rule (to start a pack file with, or append to one), and
/// the fixtures with their expectations.
pub struct Skeleton {
    pub pack: String,
    pub pack_line: String,
    pub rule: String,
    pub pass: String,
    pub fail: String,
    pub expect: String,
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

/// Check what was asked and write the skeleton's text.
pub fn skeleton(new: &NewRule) -> Result<Skeleton, Diagnostic> {
    let Some((pack, name)) = new
        .id
        .rsplit_once('.')
        .filter(|(p, n)| p.split('.').all(is_name) && is_name(n))
    else {
        return Err(Diagnostic::error(
            Code::NewRuleName,
            format!("`{}` is not a rule id `pack.name`", new.id),
        )
        .help("for example `org.s3.versioned`: rule `versioned` of pack `org.s3`"));
    };
    let Some(pillar) = Pillar::parse(new.pillar) else {
        let words = crate::catalogue::PILLARS.map(Pillar::word);
        let mut d = Diagnostic::error(
            Code::UnknownPillar,
            format!("unknown pillar `{}`", new.pillar),
        );
        if let Some(near) = closest(new.pillar, words) {
            d = d.help(format!("did you mean `{near}`?"));
        }
        return Err(d.help(format!("the pillars are {}", words.join(", "))));
    };
    let catalogue = Catalogue::embedded();
    let Some(practice) = catalogue.get(new.practice) else {
        return Err(Diagnostic::error(
            Code::UnknownPractice,
            format!("`{}` is no Well-Architected best practice", new.practice),
        )
        .help(format!(
            "best-practice ids look like {}01-BP01; docs/rules.md links the catalogue",
            pillar.prefix()
        )));
    };
    if practice.pillar != pillar {
        return Err(Diagnostic::error(
            Code::PracticePillarMismatch,
            format!(
                "`{}` is a best practice of {}, not {}",
                practice.id,
                practice.pillar.word(),
                pillar.word()
            ),
        ));
    }
    let rule = format!(
        r#"
/// TODO: one sentence on what the rule checks (shown by `buttress rules`).
rule {name} {{
  pillar    {pillar}
  practice  "{practice}"
  risk      {risk}
  title     "TODO: what holds when the rule passes"
  rationale "TODO: why it matters: {title}."
  fix       "TODO: how to make a failing resource pass."

  on cloudformation "{ty}" as r {{
    // TODO: the requirement; this one asks for tags. Fixtures are in fixtures/{id}/.
    require exists r.Tags
      else "{{name(r)}} has no tags"
  }}
}}
"#,
        pillar = pillar.word(),
        practice = practice.id,
        risk = new.risk.id(),
        title = practice.title.trim_end_matches('.'),
        ty = new.type_name,
        id = new.id,
    );
    let resource = |props: &str| {
        format!(
            "{{\n  \"Resources\": {{\n    \"Example\": {{\n      \"Type\": \"{}\",\n      \"Properties\": {props}\n    }}\n  }}\n}}\n",
            new.type_name
        )
    };
    Ok(Skeleton {
        pack: pack.to_string(),
        pack_line: format!("/// TODO: what the pack is about.\npack {pack}\n"),
        rule,
        pass: resource("{ \"Tags\": [{ \"Key\": \"owner\", \"Value\": \"team-a\" }] }"),
        fail: resource("{}"),
        expect: "# What each fixture must give beyond its outcome (docs/authoring.md).\n\n[fail-example]\nfail = [\"Example\"]\nmessage = \"has no tags\"\n\n[pass-example]\npass = [\"Example\"]\n".to_string(),
    })
}
