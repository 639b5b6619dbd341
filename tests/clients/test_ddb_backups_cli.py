"""DynamoDB backups through the aws CLI (v1 and v2): create-backup, list-backups, describe-backup,
restore-table-from-backup, delete-backup; and the read-back sequence a Terraform
aws_dynamodb_table makes after CreateTable (describe-table, describe-continuous-backups,
describe-time-to-live, list-tags-of-resource, describe-kinesis-streaming-destination,
describe-contributor-insights)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from ddb_support import DdbTestCase, cli_create_table  # noqa: E402
from localaws_support import AWS_CLIS as CLIS  # noqa: E402


class BackupsCliTest(DdbTestCase):
    def test_backup_and_restore(self):
        s = self.server
        for name, exe in CLIS:
            with self.subTest(cli=name):
                table = "cli-bk-" + name
                cli_create_table(s, table, exe)
                for i in range(3):
                    s.aws("dynamodb", "put-item", "--table-name", table,
                          "--item", json.dumps({"pk": {"S": "k%d" % i}, "n": {"N": str(i)}}), exe=exe)
                arn = s.aws_json("dynamodb", "create-backup", "--table-name", table, "--backup-name", "nightly",
                                 exe=exe)["BackupDetails"]["BackupArn"]
                listed = s.aws_json("dynamodb", "list-backups", "--table-name", table, exe=exe)["BackupSummaries"]
                self.assertEqual([b["BackupArn"] for b in listed], [arn])
                d = s.aws_json("dynamodb", "describe-backup", "--backup-arn", arn, exe=exe)["BackupDescription"]
                self.assertEqual(d["SourceTableDetails"]["ItemCount"], 3)
                out = s.aws_json("dynamodb", "restore-table-from-backup", "--target-table-name", table + "-r",
                                 "--backup-arn", arn, exe=exe)["TableDescription"]
                self.assertEqual(out["RestoreSummary"]["SourceBackupArn"], arn)
                s.aws("dynamodb", "wait", "table-exists", "--table-name", table + "-r", exe=exe)
                got = s.aws_json("dynamodb", "get-item", "--table-name", table + "-r",
                                 "--key", json.dumps({"pk": {"S": "k2"}}), exe=exe)["Item"]
                self.assertEqual(got["n"], {"N": "2"})
                p = s.aws("dynamodb", "restore-table-from-backup", "--target-table-name", table + "-r",
                          "--backup-arn", arn, check=False, exe=exe)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("TableAlreadyExistsException", p.stderr)
                d = s.aws_json("dynamodb", "delete-backup", "--backup-arn", arn, exe=exe)["BackupDescription"]
                self.assertEqual(d["BackupDetails"]["BackupStatus"], "DELETED")
                p = s.aws("dynamodb", "describe-backup", "--backup-arn", arn, check=False, exe=exe)
                self.assertIn("BackupNotFoundException", p.stderr)

    def test_terraform_like_read_back(self):
        s = self.server
        for name, exe in CLIS:
            with self.subTest(cli=name):
                table = "cli-tf-" + name
                arn = cli_create_table(s, table, exe, "--tags", "Key=env,Value=test")["TableDescription"]["TableArn"]
                self.assertEqual(s.aws_json("dynamodb", "describe-table", "--table-name", table,
                                            exe=exe)["Table"]["TableStatus"], "ACTIVE")
                cb = s.aws_json("dynamodb", "describe-continuous-backups", "--table-name", table,
                                exe=exe)["ContinuousBackupsDescription"]
                self.assertEqual(cb["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "DISABLED")
                ttl = s.aws_json("dynamodb", "describe-time-to-live", "--table-name", table, exe=exe)
                self.assertEqual(ttl["TimeToLiveDescription"]["TimeToLiveStatus"], "DISABLED")
                tags = s.aws_json("dynamodb", "list-tags-of-resource", "--resource-arn", arn, exe=exe)["Tags"]
                self.assertEqual(tags, [{"Key": "env", "Value": "test"}])
                k = s.aws_json("dynamodb", "describe-kinesis-streaming-destination", "--table-name", table, exe=exe)
                self.assertEqual(k["KinesisDataStreamDestinations"], [])
                ci = s.aws_json("dynamodb", "describe-contributor-insights", "--table-name", table, exe=exe)
                self.assertEqual(ci["ContributorInsightsStatus"], "DISABLED")
                self.assertEqual(s.aws_json("dynamodb", "list-global-tables", exe=exe)["GlobalTables"], [])


if __name__ == "__main__":
    unittest.main()
