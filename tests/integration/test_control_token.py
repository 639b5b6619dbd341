"""--control-token: the control API (/_localaws/*) refuses callers without the token, except the
health checks; the token comes as a flag, an environment variable, or not at all."""
import json
import unittest

from localaws_support import LocalAws

TOKEN = "s3cret-token-123"
# (method, path) of every control endpoint that needs the token.
GUARDED = [
    ("POST", "/_localaws/reset"),
    ("POST", "/_localaws/reset?service=s3"),
    ("POST", "/_localaws/snapshot?name=a"),
    ("POST", "/_localaws/restore?name=a"),
    ("GET", "/_localaws/snapshots"),
    ("POST", "/_localaws/fixtures"),
    ("GET", "/_localaws/requests"),
    ("DELETE", "/_localaws/requests"),
    ("GET", "/_localaws/faults"),
    ("POST", "/_localaws/faults"),
    ("DELETE", "/_localaws/faults"),
    ("DELETE", "/_localaws/faults/f1"),
    ("GET", "/_localaws/no-such-endpoint"),
    ("POST", "/_localaws/health"),
]


def call(srv, method, path, headers=None, body=b""):
    return srv.request(method, path, body if method != "GET" else None, headers)


class ControlTokenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = LocalAws("--control-token", TOKEN).start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_health_needs_no_token(self):
        for path in ("/_localaws/health", "/_localstack/health"):
            status, _, body = call(self.srv, "GET", path)
            self.assertEqual(status, 200, path)
            self.assertIn("services", json.loads(body))

    def test_every_other_endpoint_refuses_without_token(self):
        wrong = [{}, {"Authorization": "Bearer wrong"}, {"X-Localaws-Token": TOKEN + "x"},
                 {"X-Localaws-Token": TOKEN[:-1]}, {"Authorization": TOKEN},
                 {"Authorization": "Basic " + TOKEN}, {"Authorization": "Bearer"}]
        for method, path in GUARDED:
            for headers in wrong:
                with self.subTest(method=method, path=path, headers=headers):
                    status, h, body = call(self.srv, method, path, headers, b"{}")
                    self.assertEqual(status, 401)
                    self.assertEqual(json.loads(body)["error"], "Unauthorized")
                    self.assertIn("Bearer", h.get("WWW-Authenticate", ""))

    def test_token_in_either_header_is_accepted(self):
        for headers in ({"Authorization": "Bearer " + TOKEN}, {"authorization": "bearer " + TOKEN},
                        {"X-Localaws-Token": TOKEN}):
            with self.subTest(headers=headers):
                status, _, body = call(self.srv, "POST", "/_localaws/reset", headers)
                self.assertEqual(status, 200, body)
                self.assertIn("s3", json.loads(body)["reset"])
                status, _, body = call(self.srv, "GET", "/_localaws/requests?limit=5", headers)
                self.assertEqual(status, 200, body)

    def test_refused_reset_changes_nothing(self):
        ddb = self.srv.boto3_client("dynamodb")
        ddb.create_table(TableName="keep", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
        ddb.put_item(TableName="keep", Item={"k": {"S": "v"}})
        status, _, _ = call(self.srv, "POST", "/_localaws/reset", {"Authorization": "Bearer nope"})
        self.assertEqual(status, 401)
        self.assertEqual(ddb.get_item(TableName="keep", Key={"k": {"S": "v"}})["Item"], {"k": {"S": "v"}})


class ControlTokenFromEnvironmentTest(unittest.TestCase):
    def test_env_variable_sets_token(self):
        with LocalAws(env={"LOCALAWS_CONTROL_TOKEN": "from-env"}) as srv:
            self.assertEqual(call(srv, "POST", "/_localaws/reset")[0], 401)
            self.assertEqual(call(srv, "POST", "/_localaws/reset", {"X-Localaws-Token": "from-env"})[0], 200)

    def test_without_token_control_is_open(self):
        with LocalAws() as srv:
            self.assertEqual(call(srv, "POST", "/_localaws/reset")[0], 200)


if __name__ == "__main__":
    unittest.main()
