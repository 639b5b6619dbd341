package main

// localaws's fault injection (POST /_localaws/faults) against the SDK's default retryer
// (client.DefaultRetryer: 3 retries for S3, 10 for DynamoDB): injected SlowDown and InternalError
// answers from S3 and ThrottlingException and ProvisionedThroughputExceededException answers from
// DynamoDB are retried away, the journal shows every attempt; a non-retryable code (AccessDenied,
// ValidationException) reaches the caller at once as an awserr.Error; and with MaxRetries 0 the
// throttling error surfaces and nothing is stored.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/dynamodb"
	"github.com/aws/aws-sdk-go/service/s3"

	c "localaws.test/common"
)

// resetFaults removes every rule and empties the journal, so each step sees only its own attempts.
func resetFaults(endpoint string) error {
	for _, path := range []string{"/_localaws/faults", "/_localaws/requests"} {
		res, err := c.Do("DELETE", endpoint+path, nil, nil)
		if err != nil {
			return err
		}
		if res.Status/100 != 2 {
			return c.Errorf("DELETE %s: HTTP %d: %.300s", path, res.Status, res.Body)
		}
	}
	return nil
}

func addFault(endpoint, rule string) error {
	if err := resetFaults(endpoint); err != nil {
		return err
	}
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

func runFaults(r *c.Runner, endpoint string) {
	plain := newSession(endpoint, true) // MaxRetries 0
	// aws.UseServiceDefaultRetries: each client's DefaultRetryer with its service's retry count.
	retrying := plain.Copy(&aws.Config{MaxRetries: aws.Int(aws.UseServiceDefaultRetries)})
	svc, db := s3.New(retrying), dynamodb.New(retrying)
	dbOnce := dynamodb.New(plain)
	bucket, table := "go-v1-faults-"+c.Suffix(), "go-v1-faults-"+c.Suffix()
	key := map[string]*dynamodb.AttributeValue{"pk": {S: aws.String("a")}}

	r.Step("faults.setup", func() error {
		if _, err := s3.New(plain).CreateBucket(&s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			return err
		}
		_, err := dbOnce.CreateTable(&dynamodb.CreateTableInput{
			TableName:            aws.String(table),
			BillingMode:          aws.String(dynamodb.BillingModePayPerRequest),
			AttributeDefinitions: []*dynamodb.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: aws.String("S")}},
			KeySchema:            []*dynamodb.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: aws.String("HASH")}},
		})
		return err
	})
	r.Step("faults.s3-slowdown-retried", func() error {
		if err := addFault(endpoint, `{"service":"s3","operation":"PutObject","bucket":"`+bucket+`","error":"SlowDown","count":2}`); err != nil {
			return err
		}
		req, _ := svc.PutObjectRequest(&s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k"), Body: bytes.NewReader([]byte("hello"))})
		if err := req.Send(); err != nil {
			return err
		}
		if err := c.Equal("PutObject RetryCount", req.RetryCount, 2); err != nil {
			return err
		}
		return expectAttempts(endpoint, "PutObject", "503/SlowDown", "503/SlowDown", "200")
	})
	r.Step("faults.s3-internal-error-retried", func() error {
		if err := addFault(endpoint, `{"service":"s3","operation":"GetObject","bucket":"`+bucket+`","error":"InternalError","count":1}`); err != nil {
			return err
		}
		out, err := svc.GetObject(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")})
		if err != nil {
			return err
		}
		defer out.Body.Close()
		body, _ := io.ReadAll(out.Body)
		if err := c.SameBytes("object", body, []byte("hello")); err != nil {
			return err
		}
		return expectAttempts(endpoint, "GetObject", "500/InternalError", "200")
	})
	r.Step("faults.s3-access-denied-not-retried", func() error {
		if err := addFault(endpoint, `{"service":"s3","operation":"GetObject","bucket":"`+bucket+`","error":"AccessDenied"}`); err != nil {
			return err
		}
		_, err := svc.GetObject(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")})
		if err := expectCode("GetObject", err, "AccessDenied"); err != nil {
			return err
		}
		return expectAttempts(endpoint, "GetObject", "403/AccessDenied")
	})
	r.Step("faults.ddb-throttling-retried", func() error {
		if err := addFault(endpoint, `{"service":"dynamodb","operation":"PutItem","table":"`+table+`","error":"ThrottlingException","count":2}`); err != nil {
			return err
		}
		req, _ := db.PutItemRequest(&dynamodb.PutItemInput{TableName: aws.String(table), Item: key})
		if err := req.Send(); err != nil {
			return err
		}
		if err := c.Equal("PutItem RetryCount", req.RetryCount, 2); err != nil {
			return err
		}
		return expectAttempts(endpoint, "PutItem", "400/ThrottlingException", "400/ThrottlingException", "200")
	})
	r.Step("faults.ddb-provisioned-throughput-retried", func() error {
		if err := addFault(endpoint, `{"service":"dynamodb","operation":"GetItem","table":"`+table+`","error":"ProvisionedThroughputExceededException","count":2}`); err != nil {
			return err
		}
		out, err := db.GetItem(&dynamodb.GetItemInput{TableName: aws.String(table), Key: key})
		if err != nil {
			return err
		}
		if out.Item == nil {
			return c.Errorf("GetItem after the retries: no item")
		}
		return expectAttempts(endpoint, "GetItem", "400/ProvisionedThroughputExceededException",
			"400/ProvisionedThroughputExceededException", "200")
	})
	r.Step("faults.ddb-validation-not-retried", func() error {
		if err := addFault(endpoint, `{"service":"dynamodb","operation":"GetItem","table":"`+table+`","error":"ValidationException"}`); err != nil {
			return err
		}
		_, err := db.GetItem(&dynamodb.GetItemInput{TableName: aws.String(table), Key: key})
		if err := expectCode("GetItem", err, "ValidationException"); err != nil {
			return err
		}
		return expectAttempts(endpoint, "GetItem", "400/ValidationException")
	})
	r.Step("faults.ddb-throttling-surfaces-without-retries", func() error {
		if err := addFault(endpoint, `{"service":"dynamodb","operation":"PutItem","table":"`+table+`","error":"ThrottlingException","count":1}`); err != nil {
			return err
		}
		never := map[string]*dynamodb.AttributeValue{"pk": {S: aws.String("never")}}
		_, err := dbOnce.PutItem(&dynamodb.PutItemInput{TableName: aws.String(table), Item: never})
		if err := expectCode("PutItem", err, "ThrottlingException"); err != nil {
			return err
		}
		if err := expectAttempts(endpoint, "PutItem", "400/ThrottlingException"); err != nil {
			return err
		}
		// The failed attempt stored nothing (the rule is spent: this GetItem runs normally).
		out, err := dbOnce.GetItem(&dynamodb.GetItemInput{TableName: aws.String(table), Key: never})
		if err != nil {
			return err
		}
		if out.Item != nil {
			return c.Errorf("the throttled PutItem stored %v", out.Item)
		}
		return nil
	})
	resetFaults(endpoint)
}
