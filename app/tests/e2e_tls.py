"""HTTPS with certificate verification: the ranker against moto_server serving TLS.

With no endpoint configured the ranker talks HTTPS to AWS and must verify certificates. Here a
moto_server with a self-signed certificate stands in: the system CA store must refuse it,
AWS_CA_BUNDLE naming that certificate must accept it, and a trusted certificate for another host
name must still be refused.
"""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import story  # noqa: E402


def make_cert(tmp, name, san):
    cert, key = os.path.join(tmp, name + ".pem"), os.path.join(tmp, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=" + name, "-addext", "subjectAltName=" + san],
                   check=True, capture_output=True, timeout=60)
    return cert, key


class TlsMoto(story.MotoServer):
    def __init__(self, cert, key):
        self.cert, self.key = cert, key

    def start(self, tmp):
        self.log = os.path.join(tmp, "moto.log")
        port = story.free_port()
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port), "-s", "-c", self.cert,
                                          "-k", self.key], stdout=log, stderr=log)
        story.wait_for_port(port, self.proc, self.log)
        self.endpoint = "https://127.0.0.1:%d" % port
        return self


class RankerTls(unittest.TestCase):
    def run_init(self, cert_name, san, ca_bundle):
        import tempfile
        import shutil
        tmp = tempfile.mkdtemp(prefix="ranker-tls-")
        try:
            cert, key = make_cert(tmp, cert_name, san)
            server = TlsMoto(cert, key).start(tmp)
            try:
                env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RANKER_"))}
                env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
                            "AWS_ENDPOINT_URL": server.endpoint, "AWS_MAX_ATTEMPTS": "1",
                            "AWS_CONFIG_FILE": os.path.join(tmp, "none"),
                            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "none"),
                            "RANKER_BUCKET": "coffeeshopranker-tls"})
                if ca_bundle:
                    env["AWS_CA_BUNDLE"] = cert
                return subprocess.run([story.ranker_bin(), "init"], env=env, capture_output=True, text=True, timeout=300)
            finally:
                server.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_self_signed_refused_by_system_store(self):
        p = self.run_init("127.0.0.1", "IP:127.0.0.1", ca_bundle=False)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("SSLServerVerification", p.stderr)
        self.assertIn("self-signed certificate", p.stderr)

    def test_trusted_bundle_accepted(self):
        p = self.run_init("127.0.0.1", "IP:127.0.0.1", ca_bundle=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("table ranker-shops: ACTIVE", p.stdout)

    def test_wrong_host_name_refused(self):
        p = self.run_init("elsewhere.example", "DNS:elsewhere.example", ca_bundle=True)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("SSLServerVerification", p.stderr)  # the host name check


if __name__ == "__main__":
    unittest.main()
