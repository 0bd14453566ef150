"""The Spark job in local[2] mode over a generated, seeded dataset: its aggregated counts
equal those of one plain `buttress check` over the same items.

    BUTTRESS_BIN=target/release/buttress python3 -m pytest integrations/spark/tests -q

Skips (with the reason) when java or pyspark is absent, or no buttress binary is found.
"""
import collections
import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SPARK_DIR = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(SPARK_DIR))
sys.path.insert(0, SPARK_DIR)

import buttress_spark  # noqa: E402


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_bench_inputs", os.path.join(ROOT, "scripts", "gen-bench-inputs.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _binary():
    for cand in (os.environ.get("BUTTRESS_BIN"), os.path.join(ROOT, "target", "release", "buttress"),
                 os.path.join(ROOT, "target", "debug", "buttress"), shutil.which("buttress")):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


BIN = _binary()
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("java not found: the Spark tests need a JRE (17)", allow_module_level=True)
pyspark = pytest.importorskip("pyspark", reason="pyspark not installed (pip install pyspark)")
if BIN is None:
    pytest.skip("no buttress binary (set BUTTRESS_BIN or build target/release/buttress)", allow_module_level=True)

ITEMS = 600
SEED = 12


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession
    s = (SparkSession.builder.master("local[2]").appName("buttress-test")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    # Python workers import the job module too (spark-submit --py-files does this on a cluster).
    s.sparkContext.addPyFile(os.path.join(SPARK_DIR, "buttress_spark.py"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    gen = _load_generator()
    d = tmp_path_factory.mktemp("data")
    items = gen.config_items(ITEMS, SEED, accounts=3)
    ndjson = d / "items.ndjson"
    ndjson.write_text("".join(json.dumps(i, separators=(",", ":")) + "\n" for i in items))
    snap = d / "snapshots"
    snap.mkdir()
    # Three snapshot files, one per third of the items.
    for k in range(3):
        part = items[k::3]
        (snap / f"snap{k}.json").write_text(json.dumps({"fileVersion": "1.0", "configurationItems": part}, indent=1))
    return {"items": items, "ndjson": str(ndjson), "snapshots": str(snap)}


def plain_counts(path):
    """Counts from one `buttress check` over the whole NDJSON file, keyed like the Spark job."""
    lines = [ln for ln in open(path) if ln.strip()]
    out = subprocess.run([BIN, "check", path, "--input-format", "ndjson", "--format", "ndjson",
                          "--fail-on", "never"], capture_output=True, check=True, text=True).stdout
    by_practice, by_rule = collections.Counter(), collections.Counter()
    for raw in out.splitlines():
        if not raw.strip():
            continue
        f = json.loads(raw)
        account = json.loads(lines[f["line"] - 1]).get("awsAccountId") or "unknown"
        for p in f["practices"]:
            by_practice[(f["pillar"], p, account, f["status"])] += 1
        by_rule[(f["rule"], f["status"])] += 1
    return by_practice, by_rule


def spark_counts(spark, inputs, kind, partitions):
    rdd = buttress_spark.load_lines(spark, [inputs], kind, partitions)
    assert rdd.getNumPartitions() == partitions
    df = buttress_spark.findings(spark, rdd, BIN)
    aggs = buttress_spark.aggregate(spark, df)
    by_practice = collections.Counter({(r.pillar, r.practice, r.account, r.status): r.findings
                                       for r in aggs["by_practice"].collect()})
    by_rule = collections.Counter({(r.rule, r.status): r.findings for r in aggs["by_rule"].collect()})
    return by_practice, by_rule


def test_flatten_snapshot_one_item_a_line():
    doc = {"configurationItems": [{"resourceId": "a"}, {"resourceId": "b"}]}
    assert [json.loads(x)["resourceId"] for x in buttress_spark.flatten_snapshot(json.dumps(doc, indent=2))] == ["a", "b"]
    assert buttress_spark.flatten_snapshot('{"resourceType": "AWS::S3::Bucket"}') == ['{"resourceType":"AWS::S3::Bucket"}']
    assert buttress_spark.flatten_snapshot('{"a":1}\n{"b":2}\n') == ['{"a":1}', '{"b":2}']
    assert buttress_spark.flatten_snapshot("  ") == []


def test_ndjson_counts_equal_plain_check(spark, dataset):
    want_p, want_r = plain_counts(dataset["ndjson"])
    assert sum(want_r.values()) > 50, "the generated dataset should fail some rules"
    assert len({k[2] for k in want_p}) == 3, "findings in every account"
    got_p, got_r = spark_counts(spark, dataset["ndjson"], "ndjson", 4)
    assert got_r == want_r
    assert got_p == want_p


def test_snapshot_counts_equal_plain_check(spark, dataset, tmp_path):
    # The same items, reordered as the snapshot files hold them, checked plainly.
    items = dataset["items"]
    ordered = [i for k in range(3) for i in items[k::3]]
    flat = tmp_path / "flat.ndjson"
    flat.write_text("".join(json.dumps(i, separators=(",", ":")) + "\n" for i in ordered))
    want_p, want_r = plain_counts(str(flat))
    got_p, got_r = spark_counts(spark, dataset["snapshots"] + "/*.json", "snapshot", 3)
    assert got_r == want_r
    assert got_p == want_p


def test_main_writes_aggregates(dataset, tmp_path, spark):
    # main() reuses the running local session through getOrCreate; the session is stopped
    # by main, so this test runs last in the module.
    out = tmp_path / "report"
    buttress_spark.main(["--input", dataset["ndjson"], "--binary", BIN, "--partitions", "2",
                         "--output", str(out), "--format", "json"])
    for name in ("findings", "by_practice", "by_pillar", "by_rule"):
        assert any(p.name.startswith("part-") for p in (out / name).iterdir()), name
