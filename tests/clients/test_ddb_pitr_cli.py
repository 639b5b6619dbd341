"""DynamoDB point-in-time recovery through the aws CLI (v1 and v2): update-continuous-backups,
describe-continuous-backups, restore-table-to-point-in-time (latest time, and a time before the
window refused)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from ddb_support import DdbTestCase, cli_create_table  # noqa: E402
from localaws_support import AWS_CLIS as CLIS  # noqa: E402


class PitrCliTest(DdbTestCase):
    def test_enable_describe_restore(self):
        s = self.server
        for name, exe in CLIS:
            with self.subTest(cli=name):
                table = "cli-pitr-" + name
                cli_create_table(s, table, exe)
                s.aws("dynamodb", "put-item", "--table-name", table, "--item", json.dumps({"pk": {"S": "one"}}), exe=exe)
                out = s.aws_json("dynamodb", "update-continuous-backups", "--table-name", table,
                                 "--point-in-time-recovery-specification", "PointInTimeRecoveryEnabled=true", exe=exe)
                p = out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
                self.assertEqual(p["PointInTimeRecoveryStatus"], "ENABLED")
                self.assertIn("EarliestRestorableDateTime", p)
                out = s.aws_json("dynamodb", "describe-continuous-backups", "--table-name", table, exe=exe)
                self.assertEqual(out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
                                 ["PointInTimeRecoveryStatus"], "ENABLED")
                out = s.aws_json("dynamodb", "restore-table-to-point-in-time", "--source-table-name", table,
                                 "--target-table-name", table + "-restored", "--use-latest-restorable-time", exe=exe)
                self.assertEqual(out["TableDescription"]["ItemCount"], 1)
                item = s.aws_json("dynamodb", "get-item", "--table-name", table + "-restored",
                                  "--key", json.dumps({"pk": {"S": "one"}}), exe=exe)["Item"]
                self.assertEqual(item, {"pk": {"S": "one"}})
                p = s.aws("dynamodb", "restore-table-to-point-in-time", "--source-table-name", table,
                          "--target-table-name", table + "-old", "--restore-date-time", "2001-01-01T00:00:00Z",
                          check=False, exe=exe)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("InvalidRestoreTimeException", p.stderr)
        # The recovery period, where the CLI's model knows the member (Debian's v2 predates it).
        out = s.aws_json("dynamodb", "update-continuous-backups", "--table-name", "cli-pitr-" + CLIS[0][0],
                         "--point-in-time-recovery-specification",
                         "PointInTimeRecoveryEnabled=true,RecoveryPeriodInDays=3", exe=CLIS[0][1])
        self.assertEqual(out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"], 3)


if __name__ == "__main__":
    unittest.main()
