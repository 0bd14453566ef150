//! The HTML report of `examples/review/` is self-contained, and, opened in headless Chromium,
//! renders without console errors and with charts that draw something: its screenshot differs
//! from the screenshot of the same page with its SVG charts hidden. Skips, saying so, when
//! Chromium is not installed (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn html() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .args([
            "review",
            "examples/review/workload.toml",
            "--format",
            "html",
        ])
        .current_dir(root())
        .output()
        .expect("run buttress");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_html_report_is_self_contained() {
    let page = html();
    assert!(page.starts_with("<!DOCTYPE html>"));
    for banned in ["<script", "<link", "<img", "src=", "url(", "@import"] {
        assert!(!page.contains(banned), "the page has `{banned}`");
    }
    // One chart per pillar (six of the framework, three of the serverless pack) and the trend
    // over the two milestones and now.
    assert_eq!(page.matches("aria-label=\"questions by risk\"").count(), 9);
    assert_eq!(page.matches("aria-label=\"risk trend\"").count(), 1);
    assert!(page.contains(">first review</text>") && page.contains(">before launch</text>"));
    // What changed since the last milestone: nothing, the example is as it was then.
    assert!(page.contains("Since the milestone <q>before launch</q>"));
    assert!(page.contains("<h3>Fixed (0)</h3>") && page.contains("<h3>New (0)</h3>"));
    assert!(page.contains("<b class=\"high\">23</b>high-risk questions"));
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Screenshot a page; returns the PNG bytes and Chromium's log.
fn screenshot(browser: &str, page: &Path, png: &Path) -> (Vec<u8>, String) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,1600",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    (std::fs::read(png).unwrap_or_default(), log)
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: Chromium is not installed (apt-get install -y chromium)");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("review-html");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let page = html();
    let shown = dir.join("report.html");
    let hidden = dir.join("no-charts.html");
    std::fs::write(&shown, &page).unwrap();
    std::fs::write(
        &hidden,
        page.replacen("</style>", "svg{visibility:hidden}</style>", 1),
    )
    .unwrap();
    let (with_charts, log) = screenshot(browser, &shown, &dir.join("report.png"));
    let (without, _) = screenshot(browser, &hidden, &dir.join("no-charts.png"));
    assert!(
        with_charts.starts_with(b"\x89PNG"),
        "no screenshot; chromium said:\n{log}"
    );
    assert!(
        without.starts_with(b"\x89PNG"),
        "no screenshot of the page without charts"
    );
    // Console messages are logged as `CONSOLE(…)` or `Uncaught …` lines.
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(
        console.is_empty(),
        "console output:\n{}",
        console.join("\n")
    );
    assert_ne!(with_charts, without, "the charts draw nothing");
    assert!(with_charts.len() > 20_000, "the screenshot looks blank");
}
