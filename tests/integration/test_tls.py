"""HTTPS (--tls, --tls-port, --tls-ca): real clients verifying the certificate of the CA localaws
generates (or is given), the names the certificate covers, the CA kept across restarts, and TLS
clients that never finish a handshake holding nothing but their own connection."""
import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.parse

import botocore.exceptions

from localaws_support import AWS_CLIS, LocalAws


def host_port(url):
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port


def peer_cert(url, ca, server_hostname="localhost"):
    """The server certificate as Python's ssl module verified it (a dict, as getpeercert())."""
    ctx = ssl.create_default_context(cafile=ca)
    with socket.create_connection(host_port(url), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname=server_hostname) as s:
            return s.getpeercert()


def sans(cert):
    return {"%s:%s" % (kind, value) for kind, value in cert["subjectAltName"]}


def health_over_tls(url, ca):
    ctx = ssl.create_default_context(cafile=ca)
    with socket.create_connection(host_port(url), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b"GET /_localaws/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    return data


class TlsListener(unittest.TestCase):
    """One --tls server (HTTPS on --port) shared by the client tests."""

    @classmethod
    def setUpClass(cls):
        cls.srv = LocalAws("--tls", in_memory=True).start()
        cls.s3 = cls.srv.boto3_client("s3")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_endpoint_and_ca_are_announced(self):
        self.assertTrue(self.srv.endpoint.startswith("https://127.0.0.1:"), self.srv.endpoint)
        self.assertEqual(self.srv.endpoints, [self.srv.endpoint])
        self.assertTrue(os.path.isfile(self.srv.ca_bundle), self.srv.ca_bundle)
        self.assertIn("TLS CA: %s (AWS_CA_BUNDLE=%s)" % (self.srv.ca_bundle, self.srv.ca_bundle), self.srv.read_log())
        self.assertIn("listening on " + self.srv.endpoint, self.srv.read_log())

    def test_boto3_s3_with_trailing_checksums(self):
        self.s3.create_bucket(Bucket="tls-boto3")
        self.s3.put_object(Bucket="tls-boto3", Key="small", Body=b"hello over tls")
        self.assertEqual(self.s3.get_object(Bucket="tls-boto3", Key="small")["Body"].read(), b"hello over tls")
        # Over HTTPS boto3 sends an unsigned aws-chunked body with a trailing CRC (x-amz-trailer).
        data = os.urandom(6 * 1024 * 1024 + 123)
        self.s3.put_object(Bucket="tls-boto3", Key="big", Body=data, ChecksumAlgorithm="CRC32")
        head = self.s3.head_object(Bucket="tls-boto3", Key="big", ChecksumMode="ENABLED")
        self.assertIn("ChecksumCRC32", head)
        self.assertEqual(head["ContentLength"], len(data))
        self.assertEqual(self.s3.get_object(Bucket="tls-boto3", Key="big")["Body"].read(), data)

    def test_boto3_multipart_location_says_https(self):
        self.s3.create_bucket(Bucket="tls-mpu")
        mpu = self.s3.create_multipart_upload(Bucket="tls-mpu", Key="k")
        part = self.s3.upload_part(Bucket="tls-mpu", Key="k", UploadId=mpu["UploadId"], PartNumber=1, Body=b"x" * 100)
        done = self.s3.complete_multipart_upload(Bucket="tls-mpu", Key="k", UploadId=mpu["UploadId"],
                                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertTrue(done["Location"].startswith("https://"), done["Location"])

    def test_boto3_dynamodb(self):
        ddb = self.srv.boto3_client("dynamodb")
        ddb.create_table(TableName="tls", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        ddb.put_item(TableName="tls", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
        self.assertEqual(ddb.get_item(TableName="tls", Key={"pk": {"S": "a"}})["Item"]["v"], {"N": "1"})

    def test_refused_without_the_ca(self):
        for service in ("s3", "dynamodb"):
            c = self.srv.boto3_client(service, verify=True)  # the system store: localaws' CA is not in it
            with self.assertRaises(botocore.exceptions.SSLError):
                c.list_buckets() if service == "s3" else c.list_tables()

    def test_cli_cp_multi_megabyte(self):
        src = os.path.join(self.srv.tmp, "upload.bin")
        data = os.urandom(9 * 1024 * 1024 + 7)  # over the CLI's 8 MiB multipart threshold
        with open(src, "wb") as f:
            f.write(data)
        for name, exe in AWS_CLIS:
            with self.subTest(cli=name):
                bucket = "tls-cli-" + name
                self.srv.aws("s3", "mb", "s3://" + bucket, exe=exe)
                self.srv.aws("s3", "cp", src, "s3://%s/one" % bucket, exe=exe)
                small = os.path.join(self.srv.tmp, "small.txt")
                with open(small, "wb") as f:
                    f.write(b"small file over https\n")
                self.srv.aws("s3", "cp", small, "s3://%s/small" % bucket, exe=exe)
                back = os.path.join(self.srv.tmp, "back-" + name)
                self.srv.aws("s3", "cp", "s3://%s/one" % bucket, back, exe=exe)
                with open(back, "rb") as f:
                    self.assertEqual(f.read(), data)
                head = self.srv.aws_json("s3api", "head-object", "--bucket", bucket, "--key", "small",
                                         "--checksum-mode", "ENABLED", exe=exe)
                if name == "v1":  # botocore 1.36+: a default CRC32, sent as a trailer over HTTPS
                    self.assertIn("ChecksumCRC32", head)
                    big = self.srv.aws_json("s3api", "head-object", "--bucket", bucket, "--key", "one",
                                            "--checksum-mode", "ENABLED", exe=exe)
                    self.assertTrue({"ChecksumCRC32", "ChecksumCRC64NVME"} & set(big), big)

    def test_cli_refused_without_the_ca(self):
        for name, exe in AWS_CLIS:
            with self.subTest(cli=name):
                env = self.srv.client_env()
                del env["AWS_CA_BUNDLE"]
                p = subprocess.run([exe, "--endpoint-url", self.srv.endpoint, "s3", "ls"], env=env,
                                   capture_output=True, text=True, timeout=120)
                self.assertNotEqual(p.returncode, 0)
                self.assertRegex(p.stderr, "SSL|certificate")

    def test_certificate_names(self):
        cert = peer_cert(self.srv.endpoint, self.srv.ca_bundle)
        for name in ("DNS:localhost", "IP Address:127.0.0.1", "DNS:*.s3.localhost", "DNS:*.localhost"):
            self.assertIn(name, sans(cert))
        # Virtual-hosted names verify too (the client checks the wildcard against this name).
        peer_cert(self.srv.endpoint, self.srv.ca_bundle, server_hostname="my-bucket.s3.localhost")

    def test_idle_handshakeless_connections_do_not_block_others(self):
        idle = [socket.create_connection(host_port(self.srv.endpoint), timeout=30) for _ in range(20)]
        half = socket.create_connection(host_port(self.srv.endpoint), timeout=30)
        half.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # the start of a ClientHello
        try:
            t0 = time.time()
            for _ in range(5):
                self.s3.list_buckets()
            self.assertLess(time.time() - t0, 5)
        finally:
            for s in idle + [half]:
                s.close()

    def plain_exchange(self, *pieces):
        """Sends the pieces (a pause between each) in plain TCP; returns every byte until EOF."""
        with socket.create_connection(host_port(self.srv.endpoint), timeout=10) as sock:
            for i, piece in enumerate(pieces):
                if i:
                    time.sleep(0.05)
                sock.sendall(piece)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return data

    def test_plain_http_gets_a_plain_400_saying_use_https(self):
        # What nginx does: a request line where a ClientHello should be gets an answer in plain HTTP.
        requests = [
            (b"GET /_localaws/health HTTP/1.1\r\nHost: localhost\r\n\r\n",),
            (b"PUT /b/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello",),
            (b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n",),
            (b"DELETE /b HTTP/1.1\r\nHost: localhost\r\n\r\n",),
            (b"OPTIONS / HTTP/1.1\r\nHost: localhost\r\n\r\n",),
            (b"PO", b"ST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}"),  # the method split
        ]
        for pieces in requests:
            data = self.plain_exchange(*pieces)
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            self.assertEqual(lines[0], "HTTP/1.1 400 Bad Request", pieces)
            headers = [line.split(": ", 1) for line in lines[1:]]
            self.assertIn(["Connection", "close"], headers)
            self.assertEqual(len([v for k, v in headers if k == "Date"]), 1)
            self.assertEqual(dict(headers)["Content-Length"], str(len(body)))
            self.assertIn(b"plain HTTP request was sent to an HTTPS port", body)
            self.assertIn(b"https://", body)

    def test_an_http_client_aimed_at_the_https_port_is_told(self):
        host, port = host_port(self.srv.endpoint)
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request("GET", "/_localaws/health")
        r = conn.getresponse()
        self.assertEqual(r.status, 400)
        self.assertIn(b"use https://", r.read())
        conn.close()
        plain = self.srv.boto3_client("s3", endpoint_url=self.srv.endpoint.replace("https://", "http://"))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            plain.list_buckets()
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.s3.list_buckets()  # HTTPS is unchanged

    def test_other_non_tls_bytes_are_just_closed(self):
        # Only a request line is answered: anything else is the TLS library's to refuse.
        self.assertEqual(self.plain_exchange(b"hello there\r\n\r\n"), b"")
        self.assertEqual(self.plain_exchange(b"get / HTTP/1.1\r\n\r\n"), b"")


class TlsBesideHttp(unittest.TestCase):
    def test_tls_port_serves_both(self):
        with LocalAws("--tls-port", "0", in_memory=True) as srv:
            self.assertEqual(len(srv.endpoints), 2, srv.endpoints)
            http_ep, https_ep = srv.endpoints
            self.assertTrue(http_ep.startswith("http://"))
            self.assertTrue(https_ep.startswith("https://"))
            self.assertIn("listening on %s and %s" % (http_ep, https_ep), srv.read_log())
            plain = srv.boto3_client("s3", endpoint_url=http_ep)
            secure = srv.boto3_client("s3", endpoint_url=https_ep)
            plain.create_bucket(Bucket="both")
            secure.put_object(Bucket="both", Key="k", Body=b"via https")
            self.assertEqual(plain.get_object(Bucket="both", Key="k")["Body"].read(), b"via https")
            # Absolute URLs follow the scheme the request came with.
            for client, scheme in ((plain, "http://"), (secure, "https://")):
                mpu = client.create_multipart_upload(Bucket="both", Key="m")
                part = client.upload_part(Bucket="both", Key="m", UploadId=mpu["UploadId"], PartNumber=1, Body=b"x")
                done = client.complete_multipart_upload(
                    Bucket="both", Key="m", UploadId=mpu["UploadId"],
                    MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
                self.assertTrue(done["Location"].startswith(scheme), done["Location"])

    def test_tls_with_tls_port_is_refused(self):
        from localaws_support import localaws_bin
        p = subprocess.run([localaws_bin(), "--tls", "--tls-port", "0", "--in-memory"], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not both", p.stderr)


class TlsCa(unittest.TestCase):
    def test_ca_reused_across_restarts_and_names_follow_the_flags(self):
        srv = LocalAws("--tls")
        try:
            srv.start()
            ca_path = os.path.join(srv.data_dir, "tls", "ca.pem")
            self.assertEqual(srv.ca_bundle, os.path.abspath(ca_path))
            self.assertEqual(os.stat(ca_path).st_mode & 0o777, 0o644)
            self.assertEqual(os.stat(os.path.join(srv.data_dir, "tls", "ca-key.pem")).st_mode & 0o777, 0o600)
            with open(ca_path, "rb") as f:
                first = f.read()
            self.assertNotIn(b"PRIVATE KEY", first)
            srv.boto3_client("s3").create_bucket(Bucket="kept")
            srv.stop()
            srv.args += ["--s3-domain", "example.test"]
            srv.start()
            with open(ca_path, "rb") as f:
                self.assertEqual(f.read(), first)
            names = sans(peer_cert(srv.endpoint, srv.ca_bundle))
            self.assertTrue({"DNS:example.test", "DNS:*.example.test", "DNS:*.s3.example.test"} <= names, names)
            # The same CA still verifies: a client configured once keeps working.
            self.assertEqual([b["Name"] for b in srv.boto3_client("s3").list_buckets()["Buckets"]], ["kept"])
            # openssl agrees on the names.
            out = subprocess.run(["openssl", "s_client", "-connect", "%s:%d" % host_port(srv.endpoint),
                                  "-CAfile", srv.ca_bundle, "-showcerts"], input="", capture_output=True,
                                 text=True, timeout=30).stdout
            pem = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", out, re.S).group(0)
            text = subprocess.run(["openssl", "x509", "-noout", "-text"], input=pem, capture_output=True, text=True,
                                  timeout=30).stdout
            self.assertIn("DNS:*.s3.localhost", text)
            self.assertIn("IP Address:127.0.0.1", text)
            self.assertIn("Verify return code: 0 (ok)", out)
        finally:
            srv.close()

    def test_given_ca(self):
        tmp = tempfile.mkdtemp(prefix="localaws-ca-")
        cert, key, both = (os.path.join(tmp, n) for n in ("c.pem", "k.pem", "ca.pem"))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=my test CA",
                        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"],
                       check=True, capture_output=True, timeout=60)
        with open(both, "wb") as out:
            for p in (cert, key):
                with open(p, "rb") as f:
                    out.write(f.read())
        with LocalAws("--tls", "--tls-ca", both, in_memory=True) as srv:
            self.assertEqual(srv.ca_bundle, both)
            cert_info = peer_cert(srv.endpoint, cert)
            issuer = dict(x[0] for x in cert_info["issuer"])
            self.assertEqual(issuer["commonName"], "my test CA")
            srv.boto3_client("s3", verify=cert).create_bucket(Bucket="given-ca")

    def test_bad_ca_file_is_a_clear_error(self):
        tmp = tempfile.mkdtemp(prefix="localaws-ca-")
        bad = os.path.join(tmp, "bad.pem")
        with open(bad, "w") as f:
            f.write("not a pem\n")
        srv = LocalAws("--tls", "--tls-ca", bad, in_memory=True)
        try:
            with self.assertRaises(RuntimeError) as e:
                srv.start()
            self.assertIn("must hold a PEM CA certificate and its private key", str(e.exception))
        finally:
            srv.close()


class TlsTimeoutsAndShutdown(unittest.TestCase):
    def test_handshake_timeout_and_prompt_sigterm(self):
        with LocalAws("--tls", "--header-timeout", "2", in_memory=True) as srv:
            stalled = socket.create_connection(host_port(srv.endpoint), timeout=10)
            t0 = time.time()
            self.assertEqual(stalled.recv(100), b"")  # closed by the server at --header-timeout
            self.assertLess(time.time() - t0, 6)
            stalled.close()
            # Open connections of every kind, then SIGTERM: the process ends promptly.
            raw = socket.create_connection(host_port(srv.endpoint), timeout=10)
            ctx = ssl.create_default_context(cafile=srv.ca_bundle)
            idle_tls = ctx.wrap_socket(socket.create_connection(host_port(srv.endpoint), timeout=10),
                                       server_hostname="localhost")
            half = ctx.wrap_socket(socket.create_connection(host_port(srv.endpoint), timeout=10),
                                   server_hostname="localhost")
            half.sendall(b"PUT /b/k HTTP/1.1\r\nHost: localhost\r\n")  # a header block never finished
            self.assertIn(b"200 OK", health_over_tls(srv.endpoint, srv.ca_bundle))
            t0 = time.time()
            srv.proc.send_signal(signal.SIGTERM)
            srv.proc.wait(10)
            self.assertLess(time.time() - t0, 5)
            for s in (raw, idle_tls, half):
                s.close()


if __name__ == "__main__":
    unittest.main()
