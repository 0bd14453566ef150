//! The PySpark job of `integrations/spark/` in `local[2]` mode: its counts by pillar,
//! practice, account and rule equal those of one plain `buttress check` over the same
//! generated Config items. Skips with a message when Java, pyspark or pytest is absent.

use std::process::Command;

fn available(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_spark_job_counts_what_check_counts() {
    if !available("java", &["-version"]) {
        eprintln!("skipped: java is not installed (the Spark job needs Java 17)");
        return;
    }
    if !available("python3", &["-c", "import pyspark, pytest"]) {
        eprintln!("skipped: pyspark or pytest is not installed (pip install pyspark pytest)");
        return;
    }
    let o = Command::new("python3")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("BUTTRESS_BIN", env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .args(["-m", "pytest", "integrations/spark/tests", "-q"])
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("4 passed"), "{out}");
}
