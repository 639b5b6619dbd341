package main

// localaws's fault injection (POST /_localaws/faults) against the SDK's default retryer (three
// attempts): two injected SlowDown answers to PutObject and two ThrottlingException answers to
// PutItem are retried away, the journal shows every attempt, and with one attempt the injected
// error reaches the caller.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	c "localaws.test/common"
)

func addFault(endpoint, rule string) error {
	_, err := c.Expect("add fault "+rule, "POST", endpoint+"/_localaws/faults", []byte(rule), nil, 201, "")
	return err
}

// expectAttempts fails unless the journal's entries for an operation are, oldest first, the
// given "status" or "status/fault error".
func expectAttempts(endpoint, operation string, want ...string) error {
	res, err := c.Expect("journal", "GET", endpoint+"/_localaws/requests", nil, nil, 200, "")
	if err != nil {
		return err
	}
	var doc struct {
		Requests []struct {
			Operation string
			Status    int
			Fault     *struct{ Error string }
		}
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil {
		return err
	}
	var got []string
	for _, e := range doc.Requests {
		if e.Operation != operation {
			continue
		}
		s := fmt.Sprint(e.Status)
		if e.Fault != nil {
			s += "/" + e.Fault.Error
		}
		got = append(got, s)
	}
	return c.Equal(operation+" attempts", strings.Join(got, " "), strings.Join(want, " "))
}

func runFaults(ctx context.Context, r *c.Runner, cfg aws.Config, endpoint string) {
	svc := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.EndpointResolver = s3.EndpointResolverFromURL(endpoint)
		o.UsePathStyle = true
	})
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.EndpointResolver = dynamodb.EndpointResolverFromURL(endpoint) })
	bucket, table := "go-faults-"+c.Suffix(), "go-faults-"+c.Suffix()

	r.Step("faults.setup", func() error {
		if _, err := svc.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			return err
		}
		_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String(table),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		})
		return err
	})
	r.Step("faults.s3-slowdown-retried", func() error {
		if err := addFault(endpoint, `{"service":"s3","operation":"PutObject","bucket":"`+bucket+`","error":"SlowDown","count":2}`); err != nil {
			return err
		}
		if _, err := svc.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k"), Body: bytes.NewReader([]byte("hello"))}); err != nil {
			return err
		}
		out, err := svc.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")})
		if err != nil {
			return err
		}
		defer out.Body.Close()
		body, _ := io.ReadAll(out.Body)
		if err := c.SameBytes("object", body, []byte("hello")); err != nil {
			return err
		}
		return expectAttempts(endpoint, "PutObject", "503/SlowDown", "503/SlowDown", "200")
	})
	r.Step("faults.ddb-throttling-retried", func() error {
		if err := addFault(endpoint, `{"service":"dynamodb","operation":"PutItem","table":"`+table+`","error":"ThrottlingException","count":2}`); err != nil {
			return err
		}
		item := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			return err
		}
		return expectAttempts(endpoint, "PutItem", "400/ThrottlingException", "400/ThrottlingException", "200")
	})
	r.Step("faults.error-reaches-caller-without-retries", func() error {
		if err := addFault(endpoint, `{"service":"dynamodb","operation":"GetItem","error":"InternalServerError"}`); err != nil {
			return err
		}
		_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}},
			func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 })
		return expectCode("GetItem", err, "InternalServerError")
	})
	c.Do("DELETE", endpoint+"/_localaws/faults", nil, nil)
}
