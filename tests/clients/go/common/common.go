// Package common holds what the Go SDK v1 and v2 client programs share: the step runner that
// prints one JSON line per step, the endpoint taken from AWS_ENDPOINT_URL, a dialer that
// resolves *.localhost to the loopback address (RFC 6761) for virtual-hosted S3 addressing,
// and small assertion helpers.
package common

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Runner runs named steps, prints {"step", "ms", "ok"[, "error"]} for each, and keeps going after
// a failure (later steps may fail because of it) so every step of a run is reported.
type Runner struct {
	Failed int
	Only   map[string]bool
}

// NewRunner reads the parts to run from the command line ("s3", "dynamodb"; none means all).
func NewRunner() *Runner {
	r := &Runner{Only: map[string]bool{}}
	for _, a := range os.Args[1:] {
		r.Only[a] = true
	}
	return r
}

// Wants reports whether the part was asked for.
func (r *Runner) Wants(part string) bool { return len(r.Only) == 0 || r.Only[part] }

// Step runs fn, timing it; a panic inside fn counts as a failure of that step.
func (r *Runner) Step(name string, fn func() error) (ok bool) {
	t0 := time.Now()
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		err = fn()
	}()
	line := map[string]interface{}{"step": name, "ms": float64(time.Since(t0).Microseconds()) / 1000, "ok": err == nil}
	if err != nil {
		line["error"] = err.Error()
		r.Failed++
	}
	b, _ := json.Marshal(line)
	fmt.Println(string(b))
	return err == nil
}

// Exit ends the program: status 1 when any step failed.
func (r *Runner) Exit() {
	if r.Failed > 0 {
		fmt.Fprintf(os.Stderr, "%d step(s) failed\n", r.Failed)
		os.Exit(1)
	}
	os.Exit(0)
}

// Endpoint is AWS_ENDPOINT_URL (the packaged SDKs predate its support, so the programs pass it on).
func Endpoint() string {
	e := os.Getenv("AWS_ENDPOINT_URL")
	if e == "" {
		fmt.Fprintln(os.Stderr, "AWS_ENDPOINT_URL is not set")
		os.Exit(2)
	}
	return strings.TrimRight(e, "/")
}

// Region is AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1.
func Region() string {
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "us-east-1"
}

// VirtualHostEndpoint turns http://127.0.0.1:PORT into http://s3.localhost:PORT: the SDKs put
// the bucket in front of the endpoint's host (<bucket>.s3.localhost:PORT).
func VirtualHostEndpoint(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		panic(err)
	}
	u.Host = net.JoinHostPort("s3.localhost", u.Port())
	return u.String()
}

// LocalhostDial dials *.localhost (and localhost) on 127.0.0.1 and any other name as usual:
// this machine's resolver has no wildcard entry for *.localhost.
func LocalhostDial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}
}

// EscapeKey percent-encodes a key for a URL path as the SDKs do ('+' too: S3 reads it as a space).
func EscapeKey(key string) string {
	var b strings.Builder
	for _, ch := range []byte(key) {
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("-_.~/", ch) >= 0 {
			b.WriteByte(ch)
		} else {
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}

// Suffix is a short random name suffix, so runs against one long-lived server do not collide.
func Suffix() string {
	return fmt.Sprintf("%06x", rand.New(rand.NewSource(time.Now().UnixNano())).Intn(1<<24))
}

// RandomBytes returns n pseudo-random bytes from a fixed seed.
func RandomBytes(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// MD5Hex is the hex MD5 of b.
func MD5Hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

// QuotedMD5 is the ETag of a single-part object: "<md5 hex>".
func QuotedMD5(b []byte) string { return `"` + MD5Hex(b) + `"` }

// MultipartETag is AWS's ETag of a multipart object: MD5 of the concatenated part MD5s, "-N".
func MultipartETag(parts ...[]byte) string {
	var cat []byte
	for _, p := range parts {
		s := md5.Sum(p)
		cat = append(cat, s[:]...)
	}
	return fmt.Sprintf(`"%s-%d"`, MD5Hex(cat), len(parts))
}

// CRC32 is the base64 big-endian CRC32 of b, as in x-amz-checksum-crc32.
func CRC32(b []byte) string {
	var v [4]byte
	binary.BigEndian.PutUint32(v[:], crc32.ChecksumIEEE(b))
	return base64.StdEncoding.EncodeToString(v[:])
}

// SHA256 is the base64 SHA-256 of b, as in x-amz-checksum-sha256.
func SHA256(b []byte) string {
	s := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(s[:])
}

// CompositeCRC32 is a multipart object's checksum: the CRC32 of the parts' binary CRC32s, "-N".
func CompositeCRC32(parts ...[]byte) string {
	var cat []byte
	for _, p := range parts {
		var v [4]byte
		binary.BigEndian.PutUint32(v[:], crc32.ChecksumIEEE(p))
		cat = append(cat, v[:]...)
	}
	return fmt.Sprintf("%s-%d", CRC32(cat), len(parts))
}

// SameBytes fails when got differs from want, saying where.
func SameBytes(what string, got, want []byte) error {
	if bytes.Equal(got, want) {
		return nil
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return fmt.Errorf("%s: %d bytes (md5 %s), want %d bytes (md5 %s); first difference at byte %d",
		what, len(got), MD5Hex(got), len(want), MD5Hex(want), i)
}

// Equal fails when got != want (comparable values).
func Equal(what string, got, want interface{}) error {
	if got == want {
		return nil
	}
	return fmt.Errorf("%s: got %#v, want %#v", what, got, want)
}

// Errorf is fmt.Errorf, re-exported so the programs read uniformly.
var Errorf = fmt.Errorf

// HTTPResult is what a plain net/http call returned.
type HTTPResult struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a plain (unsigned) request with the default net/http client.
func Do(method, u string, body []byte, header http.Header) (*HTTPResult, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &HTTPResult{resp.StatusCode, resp.Header, b}, nil
}

// ExpectStatus fails unless r has the status and, when code is not empty, an S3 XML error body
// naming that code.
func ExpectStatus(what string, r *HTTPResult, status int, code string) error {
	if r.Status != status {
		return fmt.Errorf("%s: HTTP %d, want %d: %.300s", what, r.Status, status, r.Body)
	}
	if code != "" && !bytes.Contains(r.Body, []byte("<Code>"+code+"</Code>")) {
		return fmt.Errorf("%s: HTTP %d without <Code>%s</Code>: %.300s", what, r.Status, code, r.Body)
	}
	return nil
}

// Expect sends a plain request and fails unless the answer has the status (and error code, if
// not empty).
func Expect(what, method, u string, body []byte, header http.Header, status int, code string) (*HTTPResult, error) {
	res, err := Do(method, u, body, header)
	if err != nil {
		return nil, err
	}
	return res, ExpectStatus(what, res, status, code)
}

// ExpectBody GETs u and fails unless the answer is 200 with the bytes want.
func ExpectBody(what, u string, header http.Header, want []byte) error {
	res, err := Expect(what, "GET", u, nil, header, 200, "")
	if err != nil {
		return err
	}
	return SameBytes(what, res.Body, want)
}

// ListKeys are the 25 keys of the listing steps: 23 under list/ and 2 under list/sub/.
func ListKeys() []string {
	var keys []string
	for i := 0; i < 23; i++ {
		keys = append(keys, fmt.Sprintf("list/k%02d", i))
	}
	return append(keys, "list/sub/a", "list/sub/b")
}

// MultipartParts are the explicit multipart upload's parts: 5 MiB, 5 MiB and a last 1 MiB.
func MultipartParts() [][]byte {
	return [][]byte{RandomBytes(5<<20, 2), RandomBytes(5<<20, 3), RandomBytes(1<<20, 4)}
}

// Orders are the items the paging steps write: 31 for cust-A (with ~600-byte notes, so a full
// Scan is large enough to be compressed) and 16 for cust-B.
func Orders() []Order {
	var all []Order
	for i := 1; i <= 31; i++ {
		all = append(all, Order{PK: "cust-A", SK: i, Status: StatusOf(i), Total: float64(i) * 1.5, Lines: []Line{{SKU: "L", Qty: i}},
			Meta: map[string]string{}, Note: strings.Repeat(fmt.Sprintf("note %d ", i), 60)})
	}
	for i := 1; i <= 16; i++ {
		all = append(all, Order{PK: "cust-B", SK: i, Status: StatusOf(i), Total: float64(i), Meta: map[string]string{"n": fmt.Sprint(i)}})
	}
	return all
}

func init() {
	// http.DefaultClient (the SDK v1 default and what presigned URLs are used with) keeps
	// http.DefaultTransport's settings (ExpectContinueTimeout 1 s etc.); only its dialer learns
	// *.localhost.
	tr := http.DefaultTransport.(*http.Transport)
	tr.DialContext = LocalhostDial(&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second})
}

// AllUsers is the grantee URI of public-read grants.
const AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers"

// Line and Order are the DynamoDB items both programs write (v1's dynamodbattribute and v2's
// attributevalue read the same `dynamodbav` tags).
type Line struct {
	SKU string `dynamodbav:"sku"`
	Qty int    `dynamodbav:"qty"`
}

type Order struct {
	PK     string            `dynamodbav:"pk"`
	SK     int               `dynamodbav:"sk"`
	Status string            `dynamodbav:"status"`
	Total  float64           `dynamodbav:"total"`
	Tags   []string          `dynamodbav:"tags,stringset"`
	Lines  []Line            `dynamodbav:"lines"`
	Meta   map[string]string `dynamodbav:"meta"`
	Blob   []byte            `dynamodbav:"blob"`
	Paid   bool              `dynamodbav:"paid"`
	Note   string            `dynamodbav:"note,omitempty"`
	Count  int               `dynamodbav:"count"`
}

// StatusOf gives every third order the status "shipped".
func StatusOf(i int) string {
	if i%3 == 0 {
		return "shipped"
	}
	return "open"
}

// Same compares decoded items by their printed form: nil and empty slices or maps print alike
// (NULL and empty lists decode to either, depending on the SDK).
func Same(got, want interface{}) bool { return fmt.Sprintf("%+v", got) == fmt.Sprintf("%+v", want) }

// AdvanceClock moves the emulator clock (POST /_localaws/clock) and runs one lifecycle sweep now
// (POST /_localaws/lifecycle/run). Only localaws has these endpoints.
func AdvanceClockAndSweep(endpoint, by string) error {
	if _, err := Expect("advance the clock", "POST", endpoint+"/_localaws/clock", []byte(`{"advance": "`+by+`"}`), nil, 200, ""); err != nil {
		return err
	}
	_, err := Expect("lifecycle sweep", "POST", endpoint+"/_localaws/lifecycle/run", nil, nil, 200, "")
	return err
}

// ResetClock returns the emulator clock to real time.
func ResetClock(endpoint string) error {
	_, err := Expect("reset the clock", "DELETE", endpoint+"/_localaws/clock", nil, nil, 200, "")
	return err
}

// CustomerKey is a 256-bit SSE-C key with its base64 form and the base64 MD5 S3 wants beside it.
func CustomerKey(seed int64) (raw []byte, b64, md5b64 string) {
	raw = RandomBytes(32, seed)
	sum := md5.Sum(raw)
	return raw, base64.StdEncoding.EncodeToString(raw), base64.StdEncoding.EncodeToString(sum[:])
}
