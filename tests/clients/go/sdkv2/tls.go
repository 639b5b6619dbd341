package main

// HTTPS with environment configuration only (docs/harness.md, "HTTPS"): config.LoadDefaultConfig
// with no options reads the CA from AWS_CA_BUNDLE into its own HTTP client, the credentials and
// region from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION; this SDK version (config
// 1.17) predates AWS_ENDPOINT_URL, so the endpoint goes to each client's EndpointResolver. Run
// without AWS_CA_BUNDLE every step fails certificate verification (test_go_sdk.py checks both).

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	c "localaws.test/common"
)

func runTLS(ctx context.Context, r *c.Runner, endpoint string) {
	if !strings.HasPrefix(endpoint, "https://") {
		r.Step("tls.endpoint", func() error { return c.Errorf("AWS_ENDPOINT_URL %s is not https", endpoint) })
		return
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		r.Step("tls.load-config", func() error { return err })
		return
	}
	svc := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.EndpointResolver = s3.EndpointResolverFromURL(endpoint)
		o.UsePathStyle = true
	})
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.EndpointResolver = dynamodb.EndpointResolverFromURL(endpoint) })
	bucket, table := "go-v2-tls-"+c.Suffix(), "go-v2-tls-"+c.Suffix()
	body := []byte("hello over https from the AWS SDK for Go v2\n")

	r.Step("tls.s3-create-and-list-buckets", func() error {
		if _, err := svc.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			return err
		}
		out, err := svc.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			return err
		}
		for _, b := range out.Buckets {
			if aws.ToString(b.Name) == bucket {
				return nil
			}
		}
		return c.Errorf("ListBuckets does not list %s", bucket)
	})
	r.Step("tls.s3-put-get", func() error {
		if _, err := svc.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k"), Body: bytes.NewReader(body)}); err != nil {
			return err
		}
		out, err := svc.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")})
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
	r.Step("tls.ddb-create-put-get", func() error {
		_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String(table),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		})
		if err != nil {
			return err
		}
		item := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}, "v": &types.AttributeValueMemberN{Value: "42"}}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			return err
		}
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}})
		if err != nil {
			return err
		}
		v, ok := out.Item["v"].(*types.AttributeValueMemberN)
		if !ok {
			return c.Errorf("GetItem: %v, want v = 42", out.Item)
		}
		return c.Equal("v", v.Value, "42")
	})
}
