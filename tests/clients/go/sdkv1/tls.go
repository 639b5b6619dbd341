package main

// HTTPS with environment configuration only (docs/harness.md, "HTTPS"): the session reads the CA
// from AWS_CA_BUNDLE, the credentials and region from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_REGION; this SDK version (1.44) predates AWS_ENDPOINT_URL, so the endpoint is passed on. Run
// without AWS_CA_BUNDLE every step fails certificate verification (test_go_sdk.py checks both).

import (
	"bytes"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/dynamodb"
	"github.com/aws/aws-sdk-go/service/s3"

	c "localaws.test/common"
)

func runTLS(r *c.Runner, endpoint string) {
	if !strings.HasPrefix(endpoint, "https://") {
		r.Step("tls.endpoint", func() error { return c.Errorf("AWS_ENDPOINT_URL %s is not https", endpoint) })
		return
	}
	// The SDK's defaults otherwise: session.NewSession loads AWS_CA_BUNDLE into its HTTP client.
	// No retries: without the CA, DynamoDB's 10 retries of the refused handshake would take a minute.
	sess := session.Must(session.NewSession(&aws.Config{Endpoint: aws.String(endpoint), S3ForcePathStyle: aws.Bool(true),
		MaxRetries: aws.Int(0)}))
	svc, db := s3.New(sess), dynamodb.New(sess)
	bucket := "go-v1-tls-" + c.Suffix()
	body := []byte("hello over https from the AWS SDK for Go v1\n")

	r.Step("tls.s3-create-and-list-buckets", func() error {
		if _, err := svc.CreateBucket(&s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			return err
		}
		out, err := svc.ListBuckets(&s3.ListBucketsInput{})
		if err != nil {
			return err
		}
		for _, b := range out.Buckets {
			if aws.StringValue(b.Name) == bucket {
				return nil
			}
		}
		return c.Errorf("ListBuckets does not list %s", bucket)
	})
	r.Step("tls.s3-put-get", func() error {
		if _, err := svc.PutObject(&s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k"), Body: bytes.NewReader(body)}); err != nil {
			return err
		}
		out, err := svc.GetObject(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")})
		if err != nil {
			return err
		}
		defer out.Body.Close()
		got, err := io.ReadAll(out.Body)
		if err != nil {
			return err
		}
		return c.SameBytes("object", got, body)
	})
	r.Step("tls.ddb-create-put-get", func() error { return ddbRoundTrip(db, "go-v1-tls-"+c.Suffix()) })
}

func ddbRoundTrip(db *dynamodb.DynamoDB, table string) error {
	_, err := db.CreateTable(&dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		BillingMode:          aws.String(dynamodb.BillingModePayPerRequest),
		AttributeDefinitions: []*dynamodb.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: aws.String("S")}},
		KeySchema:            []*dynamodb.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: aws.String("HASH")}},
	})
	if err != nil {
		return err
	}
	item := map[string]*dynamodb.AttributeValue{"pk": {S: aws.String("a")}, "v": {N: aws.String("42")}}
	if _, err := db.PutItem(&dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		return err
	}
	out, err := db.GetItem(&dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]*dynamodb.AttributeValue{"pk": {S: aws.String("a")}},
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return err
	}
	if out.Item == nil || out.Item["v"] == nil {
		return c.Errorf("GetItem: %v, want v = 42", out.Item)
	}
	return c.Equal("v", aws.StringValue(out.Item["v"].N), "42")
}
