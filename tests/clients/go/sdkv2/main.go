// The AWS SDK for Go v2 (Debian's golang-github-aws-aws-sdk-go-v2-dev 1.17, smithy-go 1.13)
// doing a realistic S3 and DynamoDB workflow against AWS_ENDPOINT_URL. One JSON line per step;
// exit status 1 when any step failed. `sdkv2 s3` or `sdkv2 dynamodb` runs one part; `sdkv2 faults`
// (localaws's fault injection and the SDK's retries) and `sdkv2 tls` (HTTPS configured by the
// environment) run only when asked for.
package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"

	c "localaws.test/common"
)

// loadConfig is config.LoadDefaultConfig (credentials from the environment) with the SDK's
// default HTTP client, whose dialer also resolves *.localhost; attempts 1 turns retries off so that
// every error the server answers shows up in the step that caused it (0: the SDK's default, 3). This SDK version predates
// AWS_ENDPOINT_URL: each client gets the endpoint through its EndpointResolver.
func loadConfig(ctx context.Context, attempts int) aws.Config {
	client := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.DialContext = c.LocalhostDial(&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second})
	})
	// The endpoints are plain HTTP; the config loader could not add an AWS_CA_BUNDLE to the
	// wrapped client anyway (it needs a *BuildableClient) and would fail.
	os.Unsetenv("AWS_CA_BUNDLE")
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(c.Region()), config.WithHTTPClient(bodyRaceGuard{client}),
		config.WithRetryMaxAttempts(attempts))
	if err != nil {
		panic(err)
	}
	return cfg
}

// bodyRaceGuard works around a race in this SDK version (aws/aws-sdk-go-v2#1825, #2737; fixed
// upstream in 2025 by retrying): smithy-go closes the request body as soon as the response headers
// arrive, and net/http, after writing the body, copies it once more to find its end; with the
// body's WriteTo exposed that copy then fails with io.EOF and net/http closes the connection
// under the response being read ("use of closed network connection"). A fast local server
// answers inside that window. Hiding WriteTo makes the final copy a plain Read that ends with
// io.EOF, which is no error; the bytes on the wire are unchanged.
type bodyRaceGuard struct{ client *awshttp.BuildableClient }

func (g bodyRaceGuard) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = struct{ io.ReadCloser }{req.Body}
	}
	return g.client.Do(req)
}

// expectCode fails unless err is an API error with that code.
func expectCode(what string, err error, code string) error {
	if err == nil {
		return c.Errorf("%s: succeeded, want error %s", what, code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return c.Errorf("%s: error %v is not an API error, want %s", what, err, code)
	}
	if ae.ErrorCode() != code {
		return c.Errorf("%s: error code %s (%v), want %s", what, ae.ErrorCode(), err, code)
	}
	return nil
}

func main() {
	r := c.NewRunner()
	endpoint := c.Endpoint()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if r.Only["tls"] { // an https AWS_ENDPOINT_URL and AWS_CA_BUNDLE: asked for by name
		runTLS(ctx, r, endpoint) // before loadConfig, which unsets AWS_CA_BUNDLE
		r.Exit()
	}
	cfg := loadConfig(ctx, 1)
	if r.Wants("s3") {
		runS3(ctx, r, cfg, endpoint)
	}
	if r.Wants("versioning") {
		runVersioning(ctx, r, cfg, endpoint)
	}
	if r.Wants("bucketops") {
		runBucketOps(ctx, r, cfg, endpoint)
	}
	if r.Wants("dynamodb") {
		runDynamoDB(ctx, r, cfg, endpoint)
	}
	if r.Only["faults"] { // localaws only (POST /_localaws/faults): asked for by name
		runFaults(ctx, r, loadConfig(ctx, 0), endpoint)
	}
	r.Exit()
}
