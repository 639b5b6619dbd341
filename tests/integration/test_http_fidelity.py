"""Bytes on the wire reach S3 as sent: header values are not URL-decoded by the HTTP layer
(cpp-httplib 0.11.4 decodes them; the transport restores the raw values)."""
import unittest

from localaws_support import LocalAws


class HeaderFidelityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.la = LocalAws(in_memory=True).start()
        cls.s3 = cls.la.boto3_client("s3")
        cls.s3.create_bucket(Bucket="fidelity")

    @classmethod
    def tearDownClass(cls):
        cls.la.close()

    def test_metadata_with_percent_sequences_round_trips(self):
        value = "100%25 sure %2B %zz"
        self.s3.put_object(Bucket="fidelity", Key="m", Body=b"x", Metadata={"note": value},
                           ContentDisposition="attachment; filename*=UTF-8''caf%C3%A9.txt")
        head = self.s3.head_object(Bucket="fidelity", Key="m")
        self.assertEqual(head["Metadata"]["note"], value)
        self.assertEqual(head["ContentDisposition"], "attachment; filename*=UTF-8''caf%C3%A9.txt")

    def test_tagging_header_is_decoded_once(self):
        self.s3.put_object(Bucket="fidelity", Key="t", Body=b"x", Tagging="k=a%2Bb%20c&pct=100%25")
        tags = {t["Key"]: t["Value"] for t in self.s3.get_object_tagging(Bucket="fidelity", Key="t")["TagSet"]}
        self.assertEqual(tags, {"k": "a+b c", "pct": "100%"})

    def test_copy_source_with_encoded_key(self):
        key = "dir/100% ünï+plus.txt"
        self.s3.put_object(Bucket="fidelity", Key=key, Body=b"copied")
        self.s3.copy_object(Bucket="fidelity", Key="copy", CopySource={"Bucket": "fidelity", "Key": key})
        self.assertEqual(self.s3.get_object(Bucket="fidelity", Key="copy")["Body"].read(), b"copied")


if __name__ == "__main__":
    unittest.main()
