"""Bucket policies through boto3 and two accounts: Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus,
allow, deny by default, explicit Deny over ACLs and ownership, wildcards, MalformedPolicy, and the
public access block's BlockPublicPolicy / RestrictPublicBuckets."""
import json
import unittest

from test_s3_acl import AclCase, SECOND


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class PolicyTest(AclCase):
    def test_put_get_delete_and_status(self):
        b = self.bucket()
        self.assertError("NoSuchBucketPolicy", 404, self.s3.get_bucket_policy, Bucket=b)
        doc = policy({"Effect": "Allow", "Principal": {"AWS": SECOND["accountId"]}, "Action": "s3:GetObject",
                      "Resource": "arn:aws:s3:::%s/*" % b})
        self.s3.put_bucket_policy(Bucket=b, Policy=doc)
        self.assertEqual(json.loads(self.s3.get_bucket_policy(Bucket=b)["Policy"]), json.loads(doc))
        self.assertEqual(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"], {"IsPublic": False})
        self.assertError("AccessDenied", 403, self.s3b.get_bucket_policy, Bucket=b)
        self.s3.delete_bucket_policy(Bucket=b)
        self.assertError("NoSuchBucketPolicy", 404, self.s3.get_bucket_policy, Bucket=b)

    def test_malformed_policies(self):
        b = self.bucket()
        for bad in ("not json", "{}", policy({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::%s" % b}),
                    policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                            "Resource": "arn:aws:s3:::another-bucket/*"}),
                    policy({"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
                            "Resource": "arn:aws:s3:::%s/*" % b})):
            self.assertError("MalformedPolicy", 400, self.s3.put_bucket_policy, Bucket=b, Policy=bad)

    def test_second_account_allowed_by_policy(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="reports/a.csv", Body=b"a")
        self.s3.put_object(Bucket=b, Key="other/b.csv", Body=b"b")
        self.assertError("AccessDenied", 403, self.s3b.get_object, Bucket=b, Key="reports/a.csv")
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % SECOND["accountId"]},
             "Action": "s3:Get*", "Resource": "arn:aws:s3:::%s/reports/*" % b},
            {"Effect": "Allow", "Principal": {"AWS": [SECOND["accountId"]]}, "Action": "s3:ListBucket",
             "Resource": "arn:aws:s3:::%s" % b}))
        self.assertEqual(self.s3b.get_object(Bucket=b, Key="reports/a.csv")["Body"].read(), b"a")
        self.assertError("AccessDenied", 403, self.s3b.get_object, Bucket=b, Key="other/b.csv")
        self.assertError("AccessDenied", 403, self.s3b.put_object, Bucket=b, Key="reports/c.csv", Body=b"c")
        self.assertEqual(len(self.s3b.list_objects_v2(Bucket=b)["Contents"]), 2)
        self.assertEqual(self.anonymous_get(b, "reports/a.csv")[0], 403)

    def test_explicit_deny_wins_over_acl_and_owner(self):
        b = self.open_bucket()
        self.s3.put_object(Bucket=b, Key="pub/x", Body=b"x", ACL="public-read")
        self.s3.put_object(Bucket=b, Key="pub/secret", Body=b"s", ACL="public-read")
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/pub/secret" % b}))
        self.assertEqual(self.anonymous_get(b, "pub/x"), (200, b"x"))
        self.assertEqual(self.anonymous_get(b, "pub/secret")[0], 403)
        self.assertError("AccessDenied", 403, self.s3.get_object, Bucket=b, Key="pub/secret")
        self.assertEqual(self.s3.head_object(Bucket=b, Key="pub/x")["ContentLength"], 1)

    def test_public_policy_and_the_public_access_block(self):
        b = self.bucket()
        public = policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                         "Resource": "arn:aws:s3:::%s/*" % b})
        # New buckets block public policies (AWS since April 2023).
        self.assertError("AccessDenied", 403, self.s3.put_bucket_policy, Bucket=b, Policy=public)
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_bucket_policy(Bucket=b, Policy=public)
        self.assertEqual(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"], {"IsPublic": True})
        self.s3.put_object(Bucket=b, Key="photo.jpg", Body=b"img", ContentType="image/jpeg")
        self.assertEqual(self.anonymous_get(b, "photo.jpg"), (200, b"img"))
        self.assertEqual(self.s3b.get_object(Bucket=b, Key="photo.jpg")["Body"].read(), b"img")
        # RestrictPublicBuckets: the public policy serves only the owner's account.
        self.s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={"RestrictPublicBuckets": True})
        self.assertEqual(self.anonymous_get(b, "photo.jpg")[0], 403)
        self.assertError("AccessDenied", 403, self.s3b.get_object, Bucket=b, Key="photo.jpg")
        self.s3.delete_public_access_block(Bucket=b)
        self.assertEqual(self.anonymous_get(b, "photo.jpg")[0], 200)

    def test_not_action_and_wildcard_actions(self):
        b = self.bucket()
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "arn:aws:s3:::%s/*" % b},
            {"Effect": "Deny", "Principal": {"AWS": SECOND["accountId"]}, "NotAction": "s3:GetObject",
             "Resource": "arn:aws:s3:::%s/*" % b}))
        self.assertEqual(self.s3b.get_object(Bucket=b, Key="k")["Body"].read(), b"v")
        self.assertError("AccessDenied", 403, self.s3b.delete_object, Bucket=b, Key="k")
        self.assertEqual(self.anonymous_get(b, "k"), (200, b"v"))


if __name__ == "__main__":
    unittest.main()
