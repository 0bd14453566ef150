//! Hostile and odd inputs, each a case that once crashed, hung, lost results or gave a wrong
//! answer, pinned by the test that failed before its fix.

use buttress::driver::check_bytes;
use buttress::input::LoadOptions;
use buttress::Engine;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn stdlib() -> buttress::RuleSet {
    let set = Engine::new().with_stdlib().compile();
    assert!(!set.has_errors());
    set
}

const VOLUME_RULE: &str = r#"pack t
rule enc {
  pillar security
  practice "SEC08-BP02"
  risk high
  title "Volumes are encrypted"
  on cloudformation "AWS::EC2::Volume" as v {
    require v.Encrypted == true else "{name(v)} is not encrypted"
  }
}
"#;

fn volume_rule() -> buttress::RuleSet {
    let mut e = Engine::new();
    e.add_source("t.btr", VOLUME_RULE);
    let set = e.compile();
    assert!(!set.has_errors());
    set
}

/// A template whose one volume fails [`VOLUME_RULE`].
const UNENCRYPTED_VOLUME: &str =
    r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": false}}}}"#;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_buttress"));
    c.env("BUTTRESS_TODAY", "2026-12-02");
    c.env("NO_COLOR", "1");
    c
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_chain_of_conditions_100000_deep_is_cut_not_a_stack_overflow() {
    let mut conditions = serde_json::Map::new();
    for i in 0..100_000 {
        conditions.insert(
            format!("C{i}"),
            serde_json::json!({"Condition": format!("C{}", i + 1)}),
        );
    }
    conditions.insert(
        "C100000".into(),
        serde_json::json!({"Fn::Equals": ["a", "a"]}),
    );
    let doc = serde_json::json!({
        "Conditions": conditions,
        "Resources": {"V": {"Type": "AWS::EC2::Volume", "Condition": "C0",
                            "Properties": {"Encrypted": {"Fn::If": ["C0", true, false]}}}}
    });
    let set = volume_rule();
    // On a thread with a small stack, as rayon's are: a recursive walk would overflow it.
    let out = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            check_bytes(
                &set.program,
                "deep.json",
                doc.to_string().into_bytes(),
                &LoadOptions::default(),
            )
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(out.errors.is_empty());
    assert_eq!(out.resources, 1);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.diagnostic.message.contains("more than 64 deep")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn byte_order_marks_and_utf16_are_read() {
    let set = volume_rule();
    let text = UNENCRYPTED_VOLUME;
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice(text.as_bytes());
    let mut le = vec![0xff, 0xfe];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xfe, 0xff];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for (name, bytes) in [("bom.json", bom), ("le.json", le), ("be.json", be)] {
        let out = check_bytes(&set.program, name, bytes, &LoadOptions::default());
        assert!(
            out.errors.is_empty(),
            "{name}: {:?}",
            out.errors[0].diagnostic
        );
        assert_eq!(out.findings.len(), 1, "{name}");
        assert_eq!(out.findings[0].location.line, 1, "{name}");
    }
    // An unpaired surrogate: one error that names UTF-16.
    let broken = vec![0xff, 0xfe, b'{', 0, 0x00, 0xd8, b'}', 0];
    let out = check_bytes(&set.program, "bad.json", broken, &LoadOptions::default());
    assert!(out.errors[0].diagnostic.message.contains("UTF-16"));
}

#[test]
fn carriage_returns_alone_break_lines() {
    let set = volume_rule();
    let text = "{\"Resources\": {\r\"V\": {\"Type\": \"AWS::EC2::Volume\",\r\"Properties\": {\"Encrypted\": false}}}}";
    let out = check_bytes(
        &set.program,
        "cr.json",
        text.as_bytes().to_vec(),
        &LoadOptions::default(),
    );
    assert_eq!(
        out.findings[0].location.line, 3,
        "{:?}",
        out.findings[0].location
    );
}

#[test]
fn the_latest_config_item_is_chosen_by_time_not_by_text() {
    // As text, "…:00Z" sorts after "…:00.5Z", though it is half a second earlier.
    let item = |time: &str, encrypted: bool| {
        serde_json::json!({
            "configurationItemCaptureTime": time,
            "resourceType": "AWS::EC2::Volume", "resourceId": "vol-1",
            "configuration": {"encrypted": encrypted}
        })
    };
    let doc = serde_json::json!({"configurationItems": [
        item("2026-01-01T09:00:00Z", true),
        item("2026-01-01T09:00:00.5Z", false),
    ]});
    let mut e = Engine::new();
    e.add_source(
        "c.btr",
        &VOLUME_RULE.replace(
            "on cloudformation \"AWS::EC2::Volume\" as v {\n    require v.Encrypted == true",
            "on config \"AWS::EC2::Volume\" as v {\n    require v.configuration.encrypted == true",
        ),
    );
    let set = e.compile();
    assert!(!set.has_errors(), "{:?}", set.diagnostics);
    let out = check_bytes(
        &set.program,
        "history.json",
        doc.to_string().into_bytes(),
        &LoadOptions::default(),
    );
    assert_eq!(out.resources, 1);
    assert_eq!(
        out.findings.len(),
        1,
        "the later item, unencrypted, is the one checked"
    );
}

#[test]
fn an_errored_terraform_plan_fails_the_run_but_reports_what_was_planned() {
    let dir = scratch("errored");
    std::fs::write(
        dir.join("plan.json"),
        r#"{"format_version": "1.2", "errored": true, "planned_values": {"root_module": {"resources": [
          {"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v", "values": {"encrypted": false}}]}}}"#,
    )
    .unwrap();
    let o = bin()
        .current_dir(&dir)
        .args(["check", "plan.json"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("could not finish this plan"));
}

#[test]
fn folders_with_link_loops_fifos_and_odd_extensions_are_walked_once() {
    let dir = scratch("walk");
    let text = UNENCRYPTED_VOLUME;
    std::fs::write(dir.join("a.json"), text).unwrap();
    std::fs::write(dir.join("UPPER.JSON"), text).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&dir, dir.join("self")).unwrap();
        std::os::unix::fs::symlink(dir.join("a.json"), dir.join("again.json")).unwrap();
        let _ = Command::new("mkfifo").arg(dir.join("pipe.json")).status();
    }
    std::fs::write(dir.join("t.btr"), VOLUME_RULE).unwrap();
    let o = bin()
        .current_dir(&dir)
        .args(["check", "--no-stdlib", "--rules", "t.btr", "."])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(out.contains("checked 2 inputs"), "{out}{err}");
    if dir.join("pipe.json").exists() {
        assert!(err.contains("not a regular file"), "{err}");
    }
}

#[test]
fn a_stream_without_line_breaks_ends_with_an_error() {
    let mut child = bin()
        .args([
            "check",
            "-",
            "--input-format",
            "ndjson",
            "--no-stdlib",
            "--rules",
            "tests/golden/compile-ir.btr",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let zeros = vec![0u8; 1 << 20];
        // 1.1 GiB without a line break; the reader gives up first, closing the pipe.
        for _ in 0..1100 {
            if stdin.write_all(&zeros).is_err() {
                break;
            }
        }
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("B0608") && err.contains("no line break"),
        "{err}"
    );
}

#[test]
fn stream_lines_are_reported_where_they_are_and_an_empty_stream_is_an_error() {
    let set = stdlib();
    let mut text = b"{\"a\": 1}\n".repeat(5);
    text.extend_from_slice(b"{\"a\": \"caf\xe9\"}\n");
    let dir = scratch("stream");
    std::fs::write(dir.join("l.jsonl"), &text).unwrap();
    std::fs::write(dir.join("empty.jsonl"), "\n\n").unwrap();
    let input = buttress::driver::Input::File(dir.join("l.jsonl"));
    let out = buttress::driver::check_one(&set.program, &input, &LoadOptions::default());
    assert!(out.errors[0].diagnostic.message.starts_with("line 6:"));
    // The line's text is its own source, which knows where it starts in the stream.
    let e = &out.errors[0];
    let offset = e.diagnostic.labels[0].span.start as usize;
    assert_eq!(e.source.line_col(offset).0, 6);
    let input = buttress::driver::Input::File(dir.join("empty.jsonl"));
    let out = buttress::driver::check_one(&set.program, &input, &LoadOptions::default());
    assert!(out.errors[0].diagnostic.message.contains("is empty"));
}

#[test]
fn a_message_with_twenty_thousand_holes_is_cut() {
    let holes = "{name(v)} ".repeat(20_000);
    let src = VOLUME_RULE.replace("{name(v)} is not encrypted", &holes);
    let mut e = Engine::new();
    e.add_source("holes.btr", &src);
    let set = e.compile();
    assert!(!set.has_errors());
    let out = check_bytes(
        &set.program,
        "v.json",
        br#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {}}}}"#.to_vec(),
        &LoadOptions::default(),
    );
    let m = &out.findings[0].message;
    assert!(
        m.len() <= buttress::eval::MAX_MESSAGE_BYTES + 4 && m.ends_with('…'),
        "{}",
        m.len()
    );
}

#[test]
fn the_same_inputs_in_any_order_give_the_same_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/aws-cloudformation-templates");
    let mut files: Vec<String> = if corpus.is_dir() {
        std::fs::read_dir(corpus.join("EC2"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().display().to_string())
            .filter(|p| p.ends_with(".json") || p.ends_with(".yaml"))
            .collect()
    } else {
        eprintln!("../shared/corpus is absent: the order test uses the examples only");
        Vec::new()
    };
    files.extend(
        [
            "insecure-stack.json",
            "secure-stack.json",
            "terraform-plan.json",
            "config-snapshot.json",
        ]
        .map(|f| root.join("examples").join(f).display().to_string()),
    );
    files.sort();
    let run = |files: &[String], threads: &str| {
        let o = bin()
            .args(["check", "--format", "json", "--threads", threads])
            .args(files)
            .output()
            .unwrap();
        (o.status.code(), o.stdout)
    };
    let forward = run(&files, "1");
    let mut reversed = files.clone();
    reversed.reverse();
    assert!(!forward.1.is_empty());
    assert_eq!(
        forward,
        run(&reversed, "2"),
        "the report depends on the order of the inputs"
    );
}

#[test]
fn a_run_writes_nothing_but_its_outputs() {
    let dir = scratch("isolation");
    let text = r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {}}}}"#;
    std::fs::write(dir.join("v.json"), text).unwrap();
    let before: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let o = bin()
        .current_dir(&dir)
        .args(["check", "v.json", "--format", "json=out.json"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut after: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    after.retain(|p| !before.contains(p));
    assert_eq!(after, vec![dir.join("out.json")]);
}

#[test]
fn no_builtin_reads_anything_but_its_arguments_and_the_document() {
    use buttress::ir::{Builtin, Family};
    // The families are the whole of what a builtin may touch: its arguments (the pure ones),
    // and the document under evaluation. None reads files, the network or the clock; a new
    // family must be added here, with its reason.
    for b in Builtin::ALL {
        match b.family() {
            Family::Strings | Family::Collections | Family::Net | Family::Iam => {
                assert!(b.family().is_pure(), "{}", b.name())
            }
            Family::Resource | Family::Document => {
                assert!(!b.family().is_pure(), "{}", b.name())
            }
            // `today()`: the date is fixed when the rules compile (a constant in the
            // program), so evaluation reads no clock and one run has one date.
            Family::Run => assert_eq!(*b, Builtin::Today),
        }
    }
    let src = include_str!("../src/eval/builtins/mod.rs").to_string()
        + include_str!("../src/eval/builtins/strings.rs")
        + include_str!("../src/eval/builtins/collections.rs")
        + include_str!("../src/eval/builtins/net.rs")
        + include_str!("../src/eval/builtins/iam.rs")
        + include_str!("../src/eval/builtins/resource.rs");
    // (`std::net::IpAddr` is address parsing, not network access.)
    for forbidden in [
        "std::fs",
        "File::",
        "TcpStream",
        "UdpSocket",
        "TcpListener",
        "ToSocketAddrs",
        "SystemTime",
        "Instant",
        "std::env",
        "std::process",
        "std::thread",
    ] {
        assert!(!src.contains(forbidden), "a builtin uses {forbidden}");
    }
}

/// `buttress check` with the volume rule of `dir/t.btr`: the exit code and the error output.
fn check_volumes(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = bin()
        .current_dir(dir)
        .args(["check", "--no-stdlib", "--rules", "t.btr"])
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn input_and_line_limits_hold_at_the_limit_and_refuse_past_it() {
    let dir = scratch("limits");
    let doc = UNENCRYPTED_VOLUME;
    std::fs::write(dir.join("v.json"), doc).unwrap();
    std::fs::write(dir.join("l.jsonl"), format!("{doc}\n")).unwrap();
    std::fs::write(dir.join("t.btr"), VOLUME_RULE).unwrap();
    let len = doc.len().to_string();
    let less = (doc.len() - 1).to_string();
    let check = |args: &[&str]| check_volumes(&dir, args);
    // At the limit: read and checked (exit 1: the volume is not encrypted).
    assert_eq!(check(&["v.json", "--max-input-bytes", &len]).0, Some(1));
    assert_eq!(check(&["l.jsonl", "--max-line-bytes", &len]).0, Some(1));
    // One byte past it: an error with its code, and nothing checked.
    let (code, err) = check(&["v.json", "--max-input-bytes", &less]);
    assert_eq!(code, Some(2));
    assert!(err.contains("B0609"), "{err}");
    let (code, err) = check(&["l.jsonl", "--max-line-bytes", &less]);
    assert_eq!(code, Some(2));
    assert!(err.contains("B0608"), "{err}");
}

#[test]
fn nesting_and_alias_limits_hold_at_the_limit_and_refuse_past_it() {
    let dir = scratch("depth-alias");
    // Four levels: the template, Resources, V, Properties.
    let doc = UNENCRYPTED_VOLUME;
    std::fs::write(dir.join("v.json"), doc).unwrap();
    let yaml = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties: {Encrypted: false}\n";
    std::fs::write(dir.join("v.yaml"), yaml).unwrap();
    // 22 nodes once the alias is copied: 4 mappings, 7 keys, 3 lists and 8 scalars.
    let aliased = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties: {Encrypted: false}\nx: &a [1, 2, 3]\ny: [*a]\n";
    std::fs::write(dir.join("a.yaml"), aliased).unwrap();
    std::fs::write(dir.join("t.btr"), VOLUME_RULE).unwrap();
    let check = |args: &[&str]| check_volumes(&dir, args);
    for file in ["v.json", "v.yaml"] {
        // At the limit: read and checked (exit 1: the volume is not encrypted).
        assert_eq!(check(&[file, "--max-depth", "4"]).0, Some(1), "{file}");
        // One level less: the document is refused where level 4 opens.
        let (code, err) = check(&[file, "--max-depth", "3"]);
        assert_eq!(code, Some(2), "{file}: {err}");
        assert!(
            err.contains("B0602") && err.contains("nested more than 3 levels"),
            "{err}"
        );
        assert!(err.contains("level 4 starts here"), "{err}");
    }
    // At the limit: every node counted, alias copies included, the document is read.
    assert_eq!(check(&["a.yaml", "--max-alias-nodes", "22"]).0, Some(1));
    let (code, err) = check(&["a.yaml", "--max-alias-nodes", "21"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("B0602") && err.contains("more than 21 nodes through aliases"),
        "{err}"
    );
    // Out-of-range depths are refused by the command line itself.
    let (code, err) = check(&["v.json", "--max-depth", "129"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("from 1 to 128"), "{err}");
}
