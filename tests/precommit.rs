//! The pre-commit hook of `.pre-commit-hooks.yaml`, run by pre-commit (from PyPI) against a
//! sample repository: a secure template passes, an insecure one fails with the findings.
//! Skips with a message when `pre-commit` is not installed.

use std::path::Path;
use std::process::{Command, Output};

fn pre_commit(sample: &Path, home: &Path, file: &str) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_buttress")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new("pre-commit")
        .current_dir(sample)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .envs([
            ("GIT_AUTHOR_NAME", "buttress tests"),
            ("GIT_AUTHOR_EMAIL", "tests@buttress.invalid"),
            ("GIT_COMMITTER_NAME", "buttress tests"),
            ("GIT_COMMITTER_EMAIL", "tests@buttress.invalid"),
        ])
        .args([
            "try-repo",
            env!("CARGO_MANIFEST_DIR"),
            "buttress-system",
            "--files",
            file,
        ])
        .output()
        .expect("pre-commit runs")
}

#[test]
fn the_pre_commit_hook_passes_secure_and_fails_insecure_templates() {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit");
    let _ = std::fs::remove_dir_all(&dir);
    let sample = dir.join("sample");
    std::fs::create_dir_all(&sample).unwrap();
    for f in ["secure-stack.json", "insecure-stack.json"] {
        std::fs::copy(root.join("examples").join(f), sample.join(f)).unwrap();
    }
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .current_dir(&sample)
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    let home = dir.join("home");

    let o = pre_commit(&sample, &home, "secure-stack.json");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("buttress check") && out.contains("Passed"),
        "{out}"
    );

    let o = pre_commit(&sample, &home, "insecure-stack.json");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("Failed") && out.contains("security.data_at_rest.rds_storage_encrypted"),
        "{out}"
    );
}
