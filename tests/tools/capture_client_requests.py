#!/usr/bin/env python3
"""Writes tests/unit/data/client_requests.json: the exact bytes real clients send (boto3, the aws
CLI, the JS SDK v3), captured by a small recording HTTP server, so unit tests can verify their
signatures and decode their aws-chunked bodies without the clients installed.

Each record: client, name, service, method, target, headers (in order), the body as received
after HTTP transfer decoding (what cpp-httplib hands to localaws), and the payload the client
was asked to upload. Credentials are test/test. Run by hand after client upgrades:

    python3 tests/tools/capture_client_requests.py   (JS part needs npm install in tests/integration/js)
"""
import base64
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.request

import boto3
import botocore.config

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "tests", "unit", "data", "client_requests.json")
JS_DIR = os.path.join(ROOT, "tests", "integration", "js")

captured = []
expected_payloads = {}  # target path -> payload bytes


class Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))

    def handle_any(self):
        body = self.read_body()
        captured.append({"method": self.command, "target": self.path, "headers": [[k, v] for k, v in self.headers.items()],
                         "body": body})
        if self.headers.get("X-Amz-Target"):
            out, ctype = b'{"TableNames":[]}', "application/x-amz-json-1.0"
        elif self.command == "GET" and self.path.split("?")[0] == "/":
            out = (b'<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Owner><ID>x</ID></Owner>'
                   b"<Buckets></Buckets></ListAllMyBucketsResult>")
            ctype = "application/xml"
        else:
            out, ctype = b"", "application/xml"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("ETag", '"%s"' % hashlib.md5(body).hexdigest())
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


def take(client, name, service, payload=b""):
    """Labels the requests captured since the last call."""
    records = []
    while captured:
        r = captured.pop(0)
        records.append({"client": client, "name": name, "service": service, "method": r["method"],
                        "target": r["target"], "headers": r["headers"],
                        "body_b64": base64.b64encode(r["body"]).decode(),
                        "payload_b64": base64.b64encode(payload).decode()})
    if not records:
        sys.exit("no request captured for " + name)
    return records


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = "http://127.0.0.1:%d" % server.server_address[1]
    cfg = botocore.config.Config(retries={"max_attempts": 1})
    kw = dict(endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1",
              config=cfg)
    s3 = boto3.client("s3", **kw)
    ddb = boto3.client("dynamodb", **kw)
    out = []

    s3.list_buckets()
    out += take("boto3", "list buckets", "s3")
    payload = bytes((i * 7) % 251 for i in range(5000))
    s3.put_object(Bucket="bucket", Key="dir/a b+c~é.bin", Body=payload)
    out += take("boto3", "put_object default checksum", "s3", payload)
    s3.put_object(Bucket="bucket", Key="sha", Body=payload, ChecksumAlgorithm="SHA256")
    out += take("boto3", "put_object SHA256 checksum", "s3", payload)
    big = os.urandom(70000)
    s3.put_object(Bucket="bucket", Key="big", Body=big)
    out += take("boto3", "put_object 70 KB", "s3", big)
    for label, client in (("SigV2", s3), ("SigV4", boto3.client("s3", **dict(kw, config=cfg.merge(
            botocore.config.Config(signature_version="s3v4")))))):
        url = client.generate_presigned_url("get_object", Params={"Bucket": "bucket", "Key": "a b/ü+~.txt"},
                                            ExpiresIn=600)
        urllib.request.urlopen(url).read()
        out += take("boto3", "presigned GET " + label, "s3")
    ddb.put_item(TableName="t", Item={"k": {"S": "héllo"}, "n": {"N": "1.5"}})
    out += take("boto3", "dynamodb put_item", "dynamodb")

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"})
    tmp = tempfile.mkdtemp()
    try:
        path = os.path.join(tmp, "upload.bin")
        cli_payload = os.urandom(8000)
        with open(path, "wb") as f:
            f.write(cli_payload)
        aws = lambda *a: subprocess.run(["aws", "--endpoint-url", endpoint] + list(a), env=env, check=True,
                                        capture_output=True, timeout=120)
        aws("s3api", "list-buckets")
        out += take("aws-cli", "s3api list-buckets", "s3")
        aws("s3api", "put-object", "--bucket", "bucket", "--key", "cli key.bin", "--body", path)
        out += take("aws-cli", "s3api put-object", "s3", cli_payload)
        aws("s3", "cp", path, "s3://bucket/copied/upload.bin")
        out += take("aws-cli", "s3 cp", "s3", cli_payload)
        aws("dynamodb", "list-tables")
        out += take("aws-cli", "dynamodb list-tables", "dynamodb")
    finally:
        shutil.rmtree(tmp)

    if os.path.isdir(os.path.join(JS_DIR, "node_modules")):
        js_payload = ("js payload ☕ " * 500).encode()
        script = r"""
import { S3Client, PutObjectCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { Readable } from "node:stream";
const cfg = { endpoint: process.env.EP, region: "us-east-1", forcePathStyle: true, maxAttempts: 1,
  credentials: { accessKeyId: "test", secretAccessKey: "test" } };
const s3 = new S3Client(cfg);
const body = process.env.PAYLOAD;
const step = process.argv[2];
if (step === "list") await s3.send(new ListBucketsCommand({}));
if (step === "buffer") await s3.send(new PutObjectCommand({ Bucket: "bucket", Key: "js/buf.txt", Body: Buffer.from(body) }));
if (step === "stream") await s3.send(new PutObjectCommand({ Bucket: "bucket", Key: "js/stream key.txt",
  Body: Readable.from([Buffer.from(body)]), ContentLength: Buffer.byteLength(body) }));
if (step === "presign") {
  const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "bucket", Key: "js presigned/é+.txt" }),
    { expiresIn: 600 });
  await (await fetch(url)).text();
}
if (step === "ddb") await new DynamoDBClient(cfg).send(new ListTablesCommand({}));
"""
        script_path = os.path.join(JS_DIR, "capture_tmp.mjs")
        with open(script_path, "w") as f:
            f.write(script)
        try:
            js_env = dict(env, EP=endpoint, PAYLOAD=js_payload.decode())
            for step, name, service, payload in (("list", "ListBuckets", "s3", b""),
                                                 ("buffer", "PutObject Buffer", "s3", js_payload),
                                                 ("stream", "PutObject stream", "s3", js_payload),
                                                 ("presign", "presigned GetObject", "s3", b""),
                                                 ("ddb", "dynamodb ListTables", "dynamodb", b"")):
                subprocess.run(["node", script_path, step], env=js_env, check=True, timeout=120, cwd=JS_DIR)
                out += take("js-sdk-v3", name, service, payload)
        finally:
            os.remove(script_path)
    else:
        print("skipping the JS SDK: run npm install in tests/integration/js", file=sys.stderr)

    server.shutdown()
    versions = {"boto3": boto3.__version__,
                "aws-cli": subprocess.run(["aws", "--version"], capture_output=True, text=True).stdout.strip()}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/tools/capture_client_requests.py", "versions": versions, "requests": out}, f,
                  indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote %d requests to %s" % (len(out), OUT))


if __name__ == "__main__":
    main()
