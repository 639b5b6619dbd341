package main

// Issue 14 through the AWS SDK for Go v1: bucket encryption defaults and SSE headers, bucket
// tagging and the reads infrastructure tools make of an unconfigured bucket, and a lifecycle rule
// that expires an object once the emulator clock has moved past it. (SSE-C is not here: this SDK
// refuses to send customer keys over plain HTTP, "cannot send SSE keys over HTTP".)

import (
	"bytes"
	"strings"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/s3"

	c "localaws.test/common"
)

func runBucketOps(r *c.Runner, endpoint string) {
	sp := s3.New(newSession(endpoint, true))
	bucket := aws.String("go-v1-bucketops-" + c.Suffix())
	data := c.RandomBytes(50_000, 41)

	r.Step("bucketops.unconfigured-reads", func() error {
		if _, err := sp.CreateBucket(&s3.CreateBucketInput{Bucket: bucket}); err != nil {
			return err
		}
		enc, err := sp.GetBucketEncryption(&s3.GetBucketEncryptionInput{Bucket: bucket})
		if err != nil {
			return err
		}
		rules := enc.ServerSideEncryptionConfiguration.Rules
		if len(rules) != 1 || aws.StringValue(rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm) != "AES256" {
			return c.Errorf("default encryption %v, want one AES256 rule", rules)
		}
		logging, err := sp.GetBucketLogging(&s3.GetBucketLoggingInput{Bucket: bucket})
		if err != nil {
			return err
		}
		if logging.LoggingEnabled != nil {
			return c.Errorf("logging enabled on a new bucket: %v", logging.LoggingEnabled)
		}
		pay, err := sp.GetBucketRequestPayment(&s3.GetBucketRequestPaymentInput{Bucket: bucket})
		if err != nil {
			return err
		}
		if err := c.Equal("Payer", aws.StringValue(pay.Payer), "BucketOwner"); err != nil {
			return err
		}
		if _, err := sp.GetBucketAccelerateConfiguration(&s3.GetBucketAccelerateConfigurationInput{Bucket: bucket}); err != nil {
			return err
		}
		if _, err := sp.GetBucketNotificationConfiguration(&s3.GetBucketNotificationConfigurationRequest{Bucket: bucket}); err != nil {
			return err
		}
		_, err = sp.GetBucketReplication(&s3.GetBucketReplicationInput{Bucket: bucket})
		if err := expectCode("GetBucketReplication", err, "ReplicationConfigurationNotFoundError"); err != nil {
			return err
		}
		_, err = sp.GetBucketLifecycleConfiguration(&s3.GetBucketLifecycleConfigurationInput{Bucket: bucket})
		if err := expectCode("GetBucketLifecycleConfiguration", err, "NoSuchLifecycleConfiguration"); err != nil {
			return err
		}
		_, err = sp.GetBucketTagging(&s3.GetBucketTaggingInput{Bucket: bucket})
		return expectCode("GetBucketTagging", err, "NoSuchTagSet")
	})
	r.Step("bucketops.bucket-tagging", func() error {
		tags := []*s3.Tag{{Key: aws.String("team"), Value: aws.String("coffee")}}
		if _, err := sp.PutBucketTagging(&s3.PutBucketTaggingInput{Bucket: bucket, Tagging: &s3.Tagging{TagSet: tags}}); err != nil {
			return err
		}
		got, err := sp.GetBucketTagging(&s3.GetBucketTaggingInput{Bucket: bucket})
		if err != nil {
			return err
		}
		if len(got.TagSet) != 1 || aws.StringValue(got.TagSet[0].Key) != "team" || aws.StringValue(got.TagSet[0].Value) != "coffee" {
			return c.Errorf("tags read back as %v", got.TagSet)
		}
		if _, err := sp.DeleteBucketTagging(&s3.DeleteBucketTaggingInput{Bucket: bucket}); err != nil {
			return err
		}
		_, err = sp.GetBucketTagging(&s3.GetBucketTaggingInput{Bucket: bucket})
		return expectCode("GetBucketTagging after delete", err, "NoSuchTagSet")
	})
	r.Step("bucketops.sse-headers", func() error {
		plain, err := sp.PutObject(&s3.PutObjectInput{Bucket: bucket, Key: aws.String("s3.bin"), Body: bytes.NewReader(data)})
		if err != nil {
			return err
		}
		if err := c.Equal("default SSE on PUT", aws.StringValue(plain.ServerSideEncryption), "AES256"); err != nil {
			return err
		}
		kms, err := sp.PutObject(&s3.PutObjectInput{Bucket: bucket, Key: aws.String("kms.bin"), Body: bytes.NewReader(data),
			ServerSideEncryption: aws.String("aws:kms"), SSEKMSKeyId: aws.String("alias/coffee")})
		if err != nil {
			return err
		}
		if err := c.Equal("KMS SSE", aws.StringValue(kms.ServerSideEncryption), "aws:kms"); err != nil {
			return err
		}
		if aws.StringValue(kms.ETag) == c.QuotedMD5(data) {
			return c.Errorf("a KMS-encrypted object's ETag is its MD5 (AWS: it is not)")
		}
		head, err := sp.HeadObject(&s3.HeadObjectInput{Bucket: bucket, Key: aws.String("kms.bin")})
		if err != nil {
			return err
		}
		if err := c.Equal("HEAD SSE", aws.StringValue(head.ServerSideEncryption), "aws:kms"); err != nil {
			return err
		}
		return c.Equal("HEAD key id", aws.StringValue(head.SSEKMSKeyId), aws.StringValue(kms.SSEKMSKeyId))
	})
	r.Step("bucketops.lifecycle-expires-on-the-clock", func() error {
		_, err := sp.PutBucketLifecycleConfiguration(&s3.PutBucketLifecycleConfigurationInput{Bucket: bucket,
			LifecycleConfiguration: &s3.BucketLifecycleConfiguration{Rules: []*s3.LifecycleRule{{
				ID: aws.String("tmp-files"), Status: aws.String("Enabled"),
				Filter:     &s3.LifecycleRuleFilter{Prefix: aws.String("tmp/")},
				Expiration: &s3.LifecycleExpiration{Days: aws.Int64(3)},
			}}}})
		if err != nil {
			return err
		}
		put, err := sp.PutObject(&s3.PutObjectInput{Bucket: bucket, Key: aws.String("tmp/a"), Body: bytes.NewReader([]byte("x"))})
		if err != nil {
			return err
		}
		if !strings.Contains(aws.StringValue(put.Expiration), `rule-id="tmp-files"`) {
			return c.Errorf("PUT Expiration %q, want the rule id", aws.StringValue(put.Expiration))
		}
		defer c.ResetClock(endpoint)
		if err := c.AdvanceClockAndSweep(endpoint, "2d"); err != nil {
			return err
		}
		if _, err := sp.HeadObject(&s3.HeadObjectInput{Bucket: bucket, Key: aws.String("tmp/a")}); err != nil {
			return c.Errorf("expired two days early: %v", err)
		}
		if err := c.AdvanceClockAndSweep(endpoint, "2d"); err != nil {
			return err
		}
		_, err = sp.HeadObject(&s3.HeadObjectInput{Bucket: bucket, Key: aws.String("tmp/a")})
		return expectCode("HEAD after expiry", err, "NotFound")
	})
	r.Step("bucketops.delete-bucket", func() error {
		if _, err := sp.DeleteBucketLifecycle(&s3.DeleteBucketLifecycleInput{Bucket: bucket}); err != nil {
			return err
		}
		for _, k := range []string{"s3.bin", "kms.bin"} {
			if _, err := sp.DeleteObject(&s3.DeleteObjectInput{Bucket: bucket, Key: aws.String(k)}); err != nil {
				return err
			}
		}
		_, err := sp.DeleteBucket(&s3.DeleteBucketInput{Bucket: bucket})
		return err
	})
}
