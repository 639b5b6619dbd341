"""Raw HTTP for hostile-input and authorization tests: bytes on a socket (what clients refuse to
send), and requests signed by botocore but sent exactly as given (path, headers, body)."""
import http.client
import socket
import urllib.parse

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def host_port(srv):
    u = urllib.parse.urlsplit(srv.endpoint)
    return u.hostname, u.port


def raw_exchange(srv, data, timeout=30, shut_wr=False):
    """Sends raw bytes and returns the status of the first response, or None when the server
    closed the connection without one."""
    s = socket.create_connection(host_port(srv), timeout=timeout)
    try:
        try:
            s.sendall(data)
            if shut_wr:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may stop reading early and close: that is an answer too
        buf = b""
        try:
            while b"\r\n" not in buf and len(buf) < 65536:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
        except (ConnectionResetError, socket.timeout):
            return None
        if not buf.startswith(b"HTTP/1."):
            return None
        return int(buf.split(b" ", 2)[1])
    finally:
        s.close()


def sign(srv, method, path, body=b"", headers=None, service="s3", access_key="test", secret_key="test"):
    """Returns the headers botocore signs for this request (S3: the path is signed verbatim, as
    S3 does not normalise it; the payload hash is signed over plain HTTP)."""
    host = "%s:%d" % host_port(srv)
    req = AWSRequest(method=method, url="http://" + host + path, data=body, headers=dict(headers or {}))
    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    signer(Credentials(access_key, secret_key), service, "us-east-1").add_auth(req)
    return dict(req.headers.items())


def send(srv, method, path, body=b"", headers=None, timeout=60):
    """Sends one request with http.client exactly as given; returns (status, headers, body)."""
    conn = http.client.HTTPConnection(*host_port(srv), timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host="Host" in (headers or {}) or "host" in (headers or {}),
                        skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None and not any(k.lower() == "content-length" for k in (headers or {})):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body if body else None)
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def signed(srv, method, path, body=b"", headers=None, service="s3", **kw):
    h = sign(srv, method, path, body, headers, service, **kw)
    return send(srv, method, path, body, h)


def ddb(srv, operation, body, **kw):
    """A DynamoDB call with a raw JSON body (bytes or str), signed."""
    if isinstance(body, str):
        body = body.encode()
    headers = {"X-Amz-Target": "DynamoDB_20120810." + operation, "Content-Type": "application/x-amz-json-1.0"}
    return signed(srv, "POST", "/", body, headers, service="dynamodb", **kw)
