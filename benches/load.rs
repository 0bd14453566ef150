//! Load throughput (MB/s) of each input format against plain `serde_json::from_slice` of the
//! same bytes: CloudFormation JSON and YAML from the corpus, and a Terraform plan built here.
//!
//! `cargo bench --bench load`; the corpus is `../shared/corpus/aws-cloudformation-templates`
//! (or `BUTTRESS_CORPUS`), skipped with a message when absent.

use buttress::input::{load, LoadOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("BUTTRESS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/corpus/aws-cloudformation-templates")
        });
    dir.is_dir().then_some(dir)
}

fn files(dir: &Path, exts: &[&str], out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, exts, out);
        } else if p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)) {
            if let Ok(bytes) = std::fs::read(&p) {
                out.push((p.display().to_string(), bytes));
            }
        }
    }
}

/// A plan with `n` resources in root and child modules, some values known only after apply.
fn terraform_plan(n: usize) -> Vec<u8> {
    let resource = |i: usize| {
        serde_json::json!({
            "address": format!("aws_db_instance.db{i}"), "mode": "managed", "type": "aws_db_instance",
            "name": format!("db{i}"), "provider_name": "registry.terraform.io/hashicorp/aws",
            "values": {"engine": "postgres", "instance_class": "db.r6g.large", "storage_encrypted": i % 3 != 0,
                       "multi_az": true, "backup_retention_period": 7, "tags": {"owner": "team"},
                       "vpc_security_group_ids": ["sg-1", "sg-2"]}
        })
    };
    let change = |i: usize| {
        serde_json::json!({"address": format!("aws_db_instance.db{i}"), "mode": "managed", "type": "aws_db_instance",
            "name": format!("db{i}"), "change": {"actions": ["create"], "after": {}, "after_unknown": {"arn": true, "id": true}}})
    };
    let plan = serde_json::json!({
        "format_version": "1.2", "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": (0..n).map(resource).collect::<Vec<_>>()}},
        "resource_changes": (0..n).map(change).collect::<Vec<_>>(),
    });
    serde_json::to_vec_pretty(&plan).expect("serialises")
}

fn bench_set(c: &mut Criterion, group: &str, inputs: &[(String, Vec<u8>)], json_baseline: bool) {
    let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    let opts = LoadOptions::default();
    g.bench_function("buttress load", |b| {
        b.iter(|| {
            for (name, data) in inputs {
                let _ = std::hint::black_box(load(name, data.clone(), &opts));
            }
        })
    });
    if json_baseline {
        g.bench_function("serde_json::from_slice", |b| {
            b.iter(|| {
                for (_, data) in inputs {
                    let _ = std::hint::black_box(serde_json::from_slice::<serde_json::Value>(data));
                }
            })
        });
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    let plan = vec![("plan.json".to_string(), terraform_plan(5_000))];
    bench_set(c, "load/terraform-plan", &plan, true);
    let Some(dir) = corpus() else {
        eprintln!(
            "skipped the corpus benches: no corpus at ../shared/corpus (set BUTTRESS_CORPUS)"
        );
        return;
    };
    let mut json = Vec::new();
    files(&dir, &["json"], &mut json);
    bench_set(c, "load/cloudformation-json", &json, true);
    let mut yaml = Vec::new();
    files(&dir, &["yaml", "yml"], &mut yaml);
    bench_set(c, "load/cloudformation-yaml", &yaml, false);
}

criterion_group!(load_benches, benches);
criterion_main!(load_benches);
