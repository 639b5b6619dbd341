// The AWS SDK for Go v1 (Debian's golang-github-aws-aws-sdk-go-dev) doing a realistic S3 and
// DynamoDB workflow against AWS_ENDPOINT_URL. One JSON line per step; exit status 1 when any
// step failed. `sdkv1 s3` or `sdkv1 dynamodb` runs one part; `sdkv1 faults` (localaws's fault
// injection and the SDK's retries) and `sdkv1 tls` (HTTPS configured by the environment) run only
// when asked for.
package main

import (
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/session"

	c "localaws.test/common"
)

// newSession uses the SDK's defaults (http.DefaultClient, credentials from the environment);
// retries are off so that every error the server answers shows up in the step that caused it.
func newSession(endpoint string, pathStyle bool) *session.Session {
	sess := session.Must(session.NewSession(&aws.Config{
		Endpoint:         aws.String(endpoint),
		Region:           aws.String(c.Region()),
		S3ForcePathStyle: aws.Bool(pathStyle),
		MaxRetries:       aws.Int(0),
	}))
	// With AWS_CA_BUNDLE set the session swaps http.DefaultClient's transport for its own copy
	// of the defaults: that one must resolve *.localhost too.
	if t, ok := sess.Config.HTTPClient.Transport.(*http.Transport); ok {
		t.DialContext = c.LocalhostDial(&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second})
	}
	return sess
}

// expectCode fails unless err is an AWS error with that code.
func expectCode(what string, err error, code string) error {
	if err == nil {
		return c.Errorf("%s: succeeded, want error %s", what, code)
	}
	var ae awserr.Error
	if !errors.As(err, &ae) {
		return c.Errorf("%s: error %v is not an AWS error, want %s", what, err, code)
	}
	if ae.Code() != code {
		return c.Errorf("%s: error code %s (%v), want %s", what, ae.Code(), err, code)
	}
	return nil
}

func main() {
	r := c.NewRunner()
	endpoint := c.Endpoint()
	if r.Wants("s3") {
		runS3(r, endpoint)
	}
	if r.Wants("versioning") {
		runVersioning(r, endpoint)
	}
	if r.Wants("bucketops") {
		runBucketOps(r, endpoint)
	}
	if r.Wants("dynamodb") {
		runDynamoDB(r, endpoint)
	}
	if r.Only["faults"] { // localaws only (POST /_localaws/faults): asked for by name
		runFaults(r, endpoint)
	}
	if r.Only["tls"] { // an https AWS_ENDPOINT_URL and AWS_CA_BUNDLE: asked for by name
		runTLS(r, endpoint)
	}
	r.Exit()
}
