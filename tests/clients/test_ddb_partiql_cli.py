"""PartiQL through the aws CLI (v1 and v2): `aws dynamodb execute-statement` inserts, selects with
parameters and reports a malformed statement as ValidationException."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from localaws_support import AWS_CLIS as CLIS, LocalAws  # noqa: E402


class PartiqlCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws(in_memory=True).start()
        cls.server.aws("dynamodb", "create-table", "--table-name", "cli-pq",
                       "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                       "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_execute_statement(self):
        s = self.server
        for name, exe in CLIS:
            with self.subTest(cli=name):
                s.aws("dynamodb", "execute-statement", "--statement",
                      "INSERT INTO \"cli-pq\" VALUE {'pk': '%s', 'n': 1}" % name, exe=exe)
                out = s.aws_json("dynamodb", "execute-statement", "--statement", "SELECT * FROM \"cli-pq\" WHERE pk = ?",
                                 "--parameters", json.dumps([{"S": name}]), exe=exe)
                self.assertEqual(out["Items"], [{"pk": {"S": name}, "n": {"N": "1"}}])
                p = s.aws("dynamodb", "execute-statement", "--statement", "SELECT FROM", check=False, exe=exe)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("ValidationException", p.stderr)
                self.assertIn("Statement wasn't well formed", p.stderr)


if __name__ == "__main__":
    unittest.main()
