#!/usr/bin/env python3
"""Seeded input generator for buttress benchmarks and the Spark integration tests.

    scripts/gen-bench-inputs.py cfn    --resources N --files M --seed S OUT_DIR
    scripts/gen-bench-inputs.py config --items N --seed S [--accounts K] OUT_FILE.ndjson
    scripts/gen-bench-inputs.py snapshot --items N --seed S [--accounts K] OUT_FILE.json

`cfn` writes M CloudFormation templates (JSON) holding N resources in all, a mix of the
types the standard library reads (buckets, RDS instances, security groups, volumes, KMS
keys, Lambda functions, DynamoDB tables, Auto Scaling groups, log groups), some compliant and
some not, so rules both pass and fail. `config` writes one AWS Config configuration item per
line (as a Config snapshot holds them, spread over K accounts); `snapshot` writes the same
items as one Config snapshot document (`configurationItems`). The same seed gives the same
bytes.
"""
import argparse
import json
import os
import random
import sys


def cfn_resource(rng, i):
    kind = rng.randrange(9)
    yes = rng.random() < 0.5
    if kind == 0:
        props = {"BucketName": f"bucket-{i}"}
        if yes:
            props["VersioningConfiguration"] = {"Status": "Enabled"}
            props["PublicAccessBlockConfiguration"] = {
                "BlockPublicAcls": True, "BlockPublicPolicy": True,
                "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
        return {"Type": "AWS::S3::Bucket", "Properties": props}
    if kind == 1:
        return {"Type": "AWS::RDS::DBInstance",
                "DeletionPolicy": "Snapshot" if yes else "Delete",
                "Properties": {"DBInstanceClass": rng.choice(["db.t3.medium", "db.m5.large", "db.m4.large", "db.r6g.large"]),
                               "Engine": rng.choice(["postgres", "mysql"]), "AllocatedStorage": "100",
                               "MultiAZ": yes, "StorageEncrypted": rng.random() < 0.5,
                               "BackupRetentionPeriod": rng.choice([0, 1, 7, 35]),
                               "PubliclyAccessible": rng.random() < 0.2,
                               "MasterUsername": "admin",
                               "MasterUserPassword": "{{resolve:secretsmanager:db:SecretString:password}}"}}
    if kind == 2:
        port = rng.choice([22, 80, 443, 3389, 5432])
        return {"Type": "AWS::EC2::SecurityGroup",
                "Properties": {"GroupDescription": f"sg {i}",
                               "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                                                         "CidrIp": "0.0.0.0/0" if rng.random() < 0.5 else "10.0.0.0/8"}]}}
    if kind == 3:
        return {"Type": "AWS::EC2::Volume",
                "Properties": {"AvailabilityZone": "us-east-1a", "Size": rng.choice([8, 100, 500]),
                               "VolumeType": rng.choice(["gp2", "gp3", "io1"]), "Encrypted": yes}}
    if kind == 4:
        return {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": yes, "KeyPolicy": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                    "Action": "kms:*", "Resource": "*"}]}}}
    if kind == 5:
        return {"Type": "AWS::Lambda::Function",
                "Properties": {"Runtime": rng.choice(["python3.12", "python3.7", "nodejs20.x", "nodejs12.x"]),
                               "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/r",
                               "Code": {"ZipFile": "def handler(e, c):\n    return e\n"},
                               "MemorySize": rng.choice([128, 512, 1024]),
                               **({"TracingConfig": {"Mode": "Active"}} if yes else {})}}
    if kind == 6:
        props = {"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}
        if yes:
            props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
        return {"Type": "AWS::DynamoDB::Table", "Properties": props}
    if kind == 7:
        azs = ["us-east-1a", "us-east-1b"] if yes else ["us-east-1a"]
        return {"Type": "AWS::AutoScaling::AutoScalingGroup",
                "Properties": {"MinSize": "1", "MaxSize": "4", "AvailabilityZones": azs,
                               "LaunchTemplate": {"LaunchTemplateId": "lt-0123456789abcdef0", "Version": "1"}}}
    props = {"LogGroupName": f"/app/{i}"}
    if yes:
        props["RetentionInDays"] = rng.choice([7, 30, 365])
    return {"Type": "AWS::Logs::LogGroup", "Properties": props}


def gen_cfn(args):
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    per, extra = divmod(args.resources, args.files)
    n = 0
    for f in range(args.files):
        count = per + (1 if f < extra else 0)
        resources = {}
        for _ in range(count):
            resources[f"Res{n}"] = cfn_resource(rng, n)
            n += 1
        doc = {"AWSTemplateFormatVersion": "2010-09-09", "Description": f"generated {f}", "Resources": resources}
        with open(os.path.join(args.out, f"t{f:05d}.json"), "w") as out:
            json.dump(doc, out, indent=1)
            out.write("\n")


def config_item(rng, i, accounts):
    account = accounts[rng.randrange(len(accounts))]
    region = rng.choice(["us-east-1", "eu-west-1"])
    base = {"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2024-03-18T06:21:46.530Z",
            "configurationItemStatus": "OK", "awsAccountId": account, "awsRegion": region,
            "tags": {}, "relationships": [], "supplementaryConfiguration": {}}
    kind = rng.randrange(4)
    yes = rng.random() < 0.5
    if kind == 0:
        rid = f"db-{i:012d}"
        base.update(resourceType="AWS::RDS::DBInstance", resourceId=rid, resourceName=f"db{i}",
                    ARN=f"arn:aws:rds:{region}:{account}:db:db{i}",
                    configuration={"dBInstanceIdentifier": f"db{i}", "dBInstanceClass": rng.choice(["db.t3.medium", "db.m4.large", "db.r6g.large"]),
                                   "engine": "postgres", "multiAZ": yes, "storageEncrypted": rng.random() < 0.5,
                                   "publiclyAccessible": rng.random() < 0.2, "backupRetentionPeriod": rng.choice([0, 1, 7]),
                                   "deletionProtection": yes, "autoMinorVersionUpgrade": True,
                                   "performanceInsightsEnabled": rng.random() < 0.5})
    elif kind == 1:
        rid = f"bucket-{i}"
        base.update(resourceType="AWS::S3::Bucket", resourceId=rid, resourceName=rid,
                    ARN=f"arn:aws:s3:::{rid}", configuration={"name": rid},
                    supplementaryConfiguration={"BucketVersioningConfiguration": {"status": "Enabled" if yes else "Off"}})
    elif kind == 2:
        rid = f"vol-{i:017x}"
        base.update(resourceType="AWS::EC2::Volume", resourceId=rid,
                    configuration={"volumeId": rid, "volumeType": rng.choice(["gp2", "gp3"]), "encrypted": yes, "size": 100})
    else:
        rid = f"sg-{i:017x}"
        port = rng.choice([22, 443, 3389])
        base.update(resourceType="AWS::EC2::SecurityGroup", resourceId=rid,
                    configuration={"groupId": rid, "groupName": f"sg{i}", "description": "g",
                                   "ipPermissions": [{"ipProtocol": "tcp", "fromPort": port, "toPort": port,
                                                      "ipv4Ranges": [{"cidrIp": "0.0.0.0/0" if yes else "10.0.0.0/8"}],
                                                      "ipRanges": ["0.0.0.0/0" if yes else "10.0.0.0/8"]}]})
    return base


def config_items(n, seed, accounts=3):
    rng = random.Random(seed)
    accts = [f"{100000000000 + 111111111 * k:012d}" for k in range(1, accounts + 1)]
    return [config_item(rng, i, accts) for i in range(n)]


def gen_config(args):
    with open(args.out, "w") as out:
        for item in config_items(args.items, args.seed, args.accounts):
            out.write(json.dumps(item, separators=(",", ":")))
            out.write("\n")


def gen_snapshot(args):
    with open(args.out, "w") as out:
        json.dump({"fileVersion": "1.0", "configSnapshotId": f"seed-{args.seed}",
                   "configurationItems": config_items(args.items, args.seed, args.accounts)}, out)
        out.write("\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cfn")
    c.add_argument("--resources", type=int, default=10000)
    c.add_argument("--files", type=int, default=100)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("out")
    for name in ("config", "snapshot"):
        g = sub.add_parser(name)
        g.add_argument("--items", type=int, default=10000)
        g.add_argument("--seed", type=int, default=1)
        g.add_argument("--accounts", type=int, default=3)
        g.add_argument("out")
    args = p.parse_args(argv)
    {"cfn": gen_cfn, "config": gen_config, "snapshot": gen_snapshot}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
