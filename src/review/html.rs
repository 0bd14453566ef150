//! The HTML report: one self-contained file (inline CSS and SVG, no script, no network) with
//! the headline counts, a chart per pillar, the risk trend over milestones, the questions at
//! risk with their evidence, and the improvement plan.

use super::milestone::{Change, Comparison};
use super::model::{PillarReview, QuestionRisk, Review, RiskCounts, Status};
use std::fmt::Write;

/// One point of the risk trend: a milestone's name, date and counts.
pub struct TrendPoint {
    pub name: String,
    pub date: String,
    pub counts: RiskCounts,
}

const CSS: &str = "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f5f6f8;color:#1d232b}\
main{max-width:1080px;margin:0 auto;padding:24px}\
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px}h3{font-size:16px;margin:0 0 6px}\
.sub{color:#5b6572}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}\
.card{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}\
.head{display:flex;gap:14px;flex-wrap:wrap}.big{background:#fff;border-radius:10px;padding:12px 18px;min-width:120px;box-shadow:0 1px 3px rgba(0,0,0,.08)}\
.big b{display:block;font-size:30px}.pillar{display:flex;gap:14px;align-items:center}\
.legend span{display:inline-block;margin-right:10px;font-size:13px}.dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}\
ul{margin:6px 0 0;padding-left:18px}li{margin:2px 0}table{border-collapse:collapse;width:100%;background:#fff;border-radius:10px;overflow:hidden}\
td,th{padding:7px 10px;border-bottom:1px solid #e7e9ed;text-align:left;vertical-align:top;font-size:14px}th{background:#eef0f3}\
.high{color:#c62828}.medium{color:#d97706}.none{color:#2e7d32}code{font-size:13px;background:#eef0f3;padding:1px 4px;border-radius:4px}\
a{color:#1f5fbf}.ev{color:#5b6572;font-size:13px}";

const COLORS: [(&str, &str); 5] = [
    ("high", "#c62828"),
    ("medium", "#f59e0b"),
    ("none", "#2e7d32"),
    ("unanswered", "#b8bec7"),
    ("not applicable", "#e3e6ea"),
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn values(c: &RiskCounts) -> [usize; 5] {
    [c.high, c.medium, c.none, c.unanswered, c.not_applicable]
}

/// A donut of a pillar's questions by risk, with its total in the middle.
fn donut(c: &RiskCounts) -> String {
    let v = values(c);
    let total: usize = v.iter().sum();
    let r = 40.0_f64;
    let len = 2.0 * std::f64::consts::PI * r;
    let mut svg = format!(
        "<svg width=\"110\" height=\"110\" viewBox=\"0 0 110 110\" role=\"img\" aria-label=\"questions by risk\">\
         <circle cx=\"55\" cy=\"55\" r=\"{r}\" fill=\"none\" stroke=\"#eef0f3\" stroke-width=\"18\"/>"
    );
    let mut offset = 0.0;
    for (n, (_, color)) in v.iter().zip(COLORS) {
        if *n == 0 || total == 0 {
            continue;
        }
        let part = len * (*n as f64) / (total as f64);
        let _ = write!(
            svg,
            "<circle cx=\"55\" cy=\"55\" r=\"{r}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"18\" \
             stroke-dasharray=\"{part:.2} {:.2}\" stroke-dashoffset=\"{:.2}\" transform=\"rotate(-90 55 55)\"/>",
            len - part,
            -offset
        );
        offset += part;
    }
    let _ = write!(
        svg,
        "<text x=\"55\" y=\"52\" text-anchor=\"middle\" font-size=\"20\" font-weight=\"700\">{}</text>\
         <text x=\"55\" y=\"70\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5b6572\">questions</text></svg>",
        total
    );
    svg
}

/// High and medium risks over the milestones, as two lines.
fn trend(points: &[TrendPoint]) -> String {
    let (w, h, pad) = (640.0_f64, 220.0_f64, 36.0_f64);
    let max = points
        .iter()
        .map(|p| p.counts.high.max(p.counts.medium))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = if points.len() > 1 {
        (w - 2.0 * pad) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| {
        pad + step * i as f64
            + if points.len() == 1 {
                (w - 2.0 * pad) / 2.0
            } else {
                0.0
            }
    };
    let y = |v: usize| h - pad - (h - 2.0 * pad) * (v as f64) / max;
    let mut svg = format!(
        "<svg width=\"100%\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"risk trend\">\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>\
         <line x1=\"{pad}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#c9ced6\"/>",
        h - pad,
        w - pad,
        h - pad
    );
    for (label, color, pick) in [
        (
            "high",
            "#c62828",
            (|c: &RiskCounts| c.high) as fn(&RiskCounts) -> usize,
        ),
        ("medium", "#f59e0b", |c: &RiskCounts| c.medium),
    ] {
        let pts: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(pick(&p.counts))))
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"3\"/>",
            pts.join(" ")
        );
        for (i, p) in points.iter().enumerate() {
            let v = pick(&p.counts);
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{color}\"><title>{label}: {v}</title></circle>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{color}\">{v}</text>",
                x(i),
                y(v),
                x(i),
                y(v) - 9.0
            );
        }
    }
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1d232b\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5b6572\">{}</text>",
            x(i),
            h - pad + 16.0,
            esc(&p.name),
            x(i),
            h - pad + 30.0,
            esc(&p.date)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn legend() -> String {
    let mut s = String::from("<div class=\"legend\">");
    for (name, color) in COLORS {
        let _ = write!(
            s,
            "<span><i class=\"dot\" style=\"background:{color}\"></i>{name}</span>"
        );
    }
    s.push_str("</div>");
    s
}

fn pillar_card(p: &PillarReview) -> String {
    let c = &p.risk_counts;
    let mut s = format!(
        "<div class=\"card\"><div class=\"pillar\">{}<div><h3>{}</h3>\
         <div><b class=\"high\">{}</b> high · <b class=\"medium\">{}</b> medium · <b class=\"none\">{}</b> none</div>\
         <div class=\"sub\">{} unanswered · {} not applicable</div></div></div><ul>",
        donut(c),
        esc(&p.name),
        c.high,
        c.medium,
        c.none,
        c.unanswered,
        c.not_applicable
    );
    for q in p
        .questions
        .iter()
        .filter(|q| matches!(q.risk, QuestionRisk::High | QuestionRisk::Medium))
    {
        let class = if q.risk == QuestionRisk::High {
            "high"
        } else {
            "medium"
        };
        let _ = write!(
            s,
            "<li><span class=\"{class}\">●</span> {} {}</li>",
            esc(&q.id),
            esc(&q.title)
        );
    }
    s.push_str("</ul></div>");
    s
}

fn changes(title: &str, list: &[Change]) -> String {
    let mut s = format!("<div class=\"card\"><h3>{title} ({})</h3><ul>", list.len());
    for c in list {
        let _ = write!(
            s,
            "<li><b>{}</b> {} <span class=\"sub\">({} risk: {} → {})</span></li>",
            esc(&c.practice),
            esc(&c.title),
            esc(&c.risk),
            c.before.words(),
            c.after.words()
        );
    }
    s.push_str("</ul></div>");
    s
}

/// Render the review as one HTML page; `trend` holds the saved milestones, oldest first,
/// then now; `since` what changed since the last milestone.
pub fn render(r: &Review, trend_points: &[TrendPoint], since: Option<&Comparison>) -> String {
    let mut s = String::new();
    let w = &r.workload;
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Well-Architected review: {}</title><style>{CSS}</style></head><body><main>\
         <h1>Well-Architected review: {}</h1><div class=\"sub\">{}</div>",
        esc(&w.name),
        esc(&w.name),
        esc(&w.description)
    );
    let c = &r.risk_counts;
    let k = &r.checked;
    let _ = write!(
        s,
        "<h2>Headline</h2><div class=\"head\">\
         <div class=\"big\"><b class=\"high\">{}</b>high-risk questions</div>\
         <div class=\"big\"><b class=\"medium\">{}</b>medium-risk questions</div>\
         <div class=\"big\"><b>{}</b>unanswered</div>\
         <div class=\"big\"><b>{}</b>practices from evidence</div>\
         <div class=\"big\"><b>{}</b>practices by people</div></div>\
         <p class=\"sub\">{} inputs, {} resources, {} rules.</p>",
        c.high,
        c.medium,
        c.unanswered,
        k.from_evidence,
        k.from_people,
        k.inputs,
        k.resources,
        k.rules
    );
    for lens in &r.lenses {
        let _ = write!(
            s,
            "<h2>{} by pillar</h2>{}<div class=\"cards\">",
            esc(&lens.lens_name),
            legend()
        );
        for p in &lens.pillars {
            s.push_str(&pillar_card(p));
        }
        s.push_str("</div>");
    }
    if !trend_points.is_empty() {
        let _ = write!(
            s,
            "<h2>Risk over milestones</h2><div class=\"card\"><div class=\"legend\">\
             <span><i class=\"dot\" style=\"background:#c62828\"></i>high-risk questions</span>\
             <span><i class=\"dot\" style=\"background:#f59e0b\"></i>medium-risk questions</span></div>{}</div>",
            trend(trend_points)
        );
    }
    if let Some(c) = since {
        let _ = write!(
            s,
            "<h2>Since the milestone <q>{}</q></h2><div class=\"cards\">{}{}</div>",
            esc(&c.before.0),
            changes("Fixed", &c.fixed),
            changes("New", &c.new)
        );
    }
    s.push_str("<h2>Evidence</h2><table><tr><th>practice</th><th>status</th><th>where</th></tr>");
    for (_, p) in r.practices().filter(|(_, p)| !p.evidence.is_empty()) {
        let mut wh = String::new();
        for e in &p.evidence {
            let _ = write!(
                wh,
                "<div><code>{}:{}</code> {} <b>{}</b>: {}</div>",
                esc(&e.file),
                e.line,
                esc(&e.status),
                esc(&e.resource),
                esc(&e.message)
            );
        }
        if let Some(c) = &p.conflict {
            let _ = write!(wh, "<div class=\"ev\">{}</div>", esc(c));
        }
        let _ = write!(
            s,
            "<tr><td><a href=\"{}\">{}</a> {}</td><td>{}</td><td>{wh}</td></tr>",
            esc(&p.link),
            esc(&p.id),
            esc(&p.title),
            esc(p.status.words())
        );
    }
    s.push_str("</table>");
    if !r.improvement_plan.is_empty() {
        s.push_str("<h2>Improvement plan</h2><table><tr><th>#</th><th>practice</th><th>risk</th><th>resources</th><th>fix</th></tr>");
        for (i, g) in r.improvement_plan.iter().enumerate() {
            let fixes: Vec<String> = g.fixes.iter().map(|f| esc(f)).collect();
            let status = if g.status == Status::Unanswered {
                " (unanswered)"
            } else {
                ""
            };
            let _ = write!(
                s,
                "<tr><td>{}</td><td><a href=\"{}\">{}</a> {}{status}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
                i + 1,
                esc(&g.link),
                esc(&g.practice),
                esc(&g.title),
                esc(&g.risk),
                esc(&g.risk),
                g.resources,
                fixes.join("<br>")
            );
        }
        s.push_str("</table>");
    }
    s.push_str("</main></body></html>\n");
    s
}
