"""Raw DynamoDB JSON requests, SigV4-signed with botocore, for tests that must send bodies no SDK
would build (malformed JSON, wrong member types)."""
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def raw_call(server, operation, body, region="us-east-1", sign=True):
    """POSTs `body` (bytes) as DynamoDB_20120810.<operation>; returns (status, headers, body)."""
    url = server.endpoint + "/"
    headers = {"X-Amz-Target": "DynamoDB_20120810." + operation, "Content-Type": "application/x-amz-json-1.0"}
    if sign:
        req = AWSRequest(method="POST", url=url, data=body, headers=headers)
        SigV4Auth(Credentials("test", "test"), "dynamodb", region).add_auth(req)
        headers = dict(req.headers.items())
    r = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
