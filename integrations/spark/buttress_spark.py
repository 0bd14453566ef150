#!/usr/bin/env python3
"""Evaluate an NDJSON or AWS Config snapshot dataset with buttress on Spark.

Each partition's lines are piped through one `buttress check - --input-format ndjson
--format ndjson` process; every finding it writes names the line of that partition's stream
it came from, which gives back the item and so its `awsAccountId`. Findings become a
DataFrame, aggregated with Spark SQL by pillar, practice and account.

    spark-submit integrations/spark/buttress_spark.py \
        --input s3://bucket/config/*.json --input-kind snapshot \
        --binary ./buttress --output s3://bucket/buttress-report/

See integrations/spark/README.md.
"""
import argparse
import json
import os
import subprocess
import tempfile

FINDING_FIELDS = ("rule", "pillar", "practice", "practices", "risk", "status",
                  "resource", "resource_type", "account", "region", "line")


def flatten_snapshot(text):
    """One JSON text per configuration item of a Config snapshot / history file.

    A document without `configurationItems` (a single item, or anything else) is kept whole
    on one line, so mixed folders work too.
    """
    text = text.strip()
    if not text:
        return []
    try:
        doc = json.loads(text)
    except ValueError:
        # Already JSON lines (an NDJSON file read whole): keep each non-blank line.
        return [ln for ln in text.splitlines() if ln.strip()]
    if isinstance(doc, dict):
        for key in ("configurationItems", "baseConfigurationItems"):
            if isinstance(doc.get(key), list):
                return [json.dumps(item, separators=(",", ":")) for item in doc[key]]
    return [json.dumps(doc, separators=(",", ":"))]


def _item_keys(line):
    try:
        item = json.loads(line)
    except ValueError:
        return None, None
    if not isinstance(item, dict):
        return None, None
    return item.get("awsAccountId"), item.get("awsRegion")


def resolve_binary(binary):
    """The buttress binary: a path on the worker, or a file shipped with --files."""
    if os.path.isfile(binary) and os.access(binary, os.X_OK):
        return binary
    try:
        from pyspark import SparkFiles
        shipped = SparkFiles.get(os.path.basename(binary))
        if os.path.isfile(shipped):
            if not os.access(shipped, os.X_OK):
                os.chmod(shipped, 0o755)
            return shipped
    except Exception:  # not on a Spark worker, or nothing shipped
        pass
    return binary  # let the OS search PATH


def run_buttress(lines, binary, extra_args=()):
    """Check a list of JSON lines with one buttress process; yield finding dicts (with account)."""
    if not lines:
        return
    cmd = [resolve_binary(binary), "check", "-", "--input-format", "ndjson", "--format", "ndjson",
           "--fail-on", "never", *extra_args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=out, stderr=err)
        for ln in lines:
            proc.stdin.write(ln.encode("utf-8"))
            proc.stdin.write(b"\n")
        proc.stdin.close()
        rc = proc.wait()
        if rc not in (0, 1):
            err.seek(0)
            raise RuntimeError(f"buttress exited {rc}: {err.read().decode('utf-8', 'replace')[:4000]}")
        out.seek(0)
        for raw in out:
            raw = raw.strip()
            if not raw:
                continue
            f = json.loads(raw)
            line = f.get("line")
            account, region = (None, None)
            if isinstance(line, int) and 1 <= line <= len(lines):
                account, region = _item_keys(lines[line - 1])
            yield {"rule": f.get("rule"), "pillar": f.get("pillar"), "practice": f.get("practice"),
                   "practices": list(f.get("practices") or []), "risk": f.get("risk"),
                   "status": f.get("status"), "resource": f.get("resource"),
                   "resource_type": f.get("resource_type"), "account": account or "unknown",
                   "region": region or "unknown", "line": line}


def evaluate_partition(binary, extra_args=()):
    def run(iterator):
        lines = [ln for ln in iterator if ln and ln.strip()]
        for f in run_buttress(lines, binary, extra_args):
            yield tuple(f[k] for k in FINDING_FIELDS)
    return run


def finding_schema():
    from pyspark.sql.types import ArrayType, LongType, StringType, StructField, StructType
    return StructType([StructField(k, ArrayType(StringType()) if k == "practices" else
                                   (LongType() if k == "line" else StringType()), True)
                       for k in FINDING_FIELDS])


def load_lines(spark, inputs, kind, partitions=None):
    """An RDD of JSON lines: NDJSON as it is, snapshot files flattened to one item a line."""
    sc = spark.sparkContext
    if kind == "ndjson":
        rdd = sc.textFile(",".join(inputs), minPartitions=partitions or sc.defaultParallelism)
        rdd = rdd.filter(lambda ln: ln.strip() != "")
    else:
        rdd = sc.wholeTextFiles(",".join(inputs)).flatMap(lambda kv: flatten_snapshot(kv[1]))
    if partitions:
        rdd = rdd.repartition(partitions)
    return rdd


def findings(spark, lines_rdd, binary, extra_args=()):
    rows = lines_rdd.mapPartitions(evaluate_partition(binary, tuple(extra_args)))
    return spark.createDataFrame(rows, finding_schema())


def aggregate(spark, df, view="buttress_findings"):
    """Counts by pillar, practice (every practice a rule evidences), account and status."""
    df.createOrReplaceTempView(view)
    by_practice = spark.sql(f"""
        SELECT pillar, practice, account, status, COUNT(*) AS findings
        FROM (SELECT pillar, explode(practices) AS practice, account, status FROM {view})
        GROUP BY pillar, practice, account, status
        ORDER BY pillar, practice, account, status""")
    by_pillar = spark.sql(f"""
        SELECT pillar, account, status, COUNT(*) AS findings, COUNT(DISTINCT rule) AS rules
        FROM {view} GROUP BY pillar, account, status ORDER BY pillar, account, status""")
    by_rule = spark.sql(f"""
        SELECT rule, pillar, practice AS primary_practice, risk, status, COUNT(*) AS findings
        FROM {view} GROUP BY rule, pillar, practice, risk, status ORDER BY rule, status""")
    return {"by_practice": by_practice, "by_pillar": by_pillar, "by_rule": by_rule}


def main(argv=None):
    p = argparse.ArgumentParser(description="Evaluate Config items / NDJSON with buttress on Spark")
    p.add_argument("--input", action="append", required=True, help="path or glob (repeatable; s3:// on EMR)")
    p.add_argument("--input-kind", choices=["ndjson", "snapshot"], default="ndjson",
                   help="ndjson: one document a line; snapshot: Config snapshot/history files")
    p.add_argument("--binary", default="buttress", help="buttress binary (a path, or the name of a --files upload)")
    p.add_argument("--partitions", type=int, default=None)
    p.add_argument("--output", help="folder for findings/ and the aggregates (parquet); else printed")
    p.add_argument("--format", choices=["parquet", "json", "csv"], default="parquet")
    p.add_argument("--master", default=None, help="e.g. local[2] (spark-submit sets it otherwise)")
    p.add_argument("buttress_args", nargs="*", help="after --: extra `buttress check` options")
    args = p.parse_args(argv)

    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName("buttress")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    df = findings(spark, load_lines(spark, args.input, args.input_kind, args.partitions),
                  args.binary, args.buttress_args).cache()
    aggs = aggregate(spark, df)
    if args.output:
        df.write.mode("overwrite").format(args.format).save(os.path.join(args.output, "findings"))
        for name, agg in aggs.items():
            agg.coalesce(1).write.mode("overwrite").format(args.format).save(os.path.join(args.output, name))
    else:
        for name, agg in aggs.items():
            print(f"== {name}")
            agg.show(200, truncate=False)
    spark.stop()


if __name__ == "__main__":
    main()
