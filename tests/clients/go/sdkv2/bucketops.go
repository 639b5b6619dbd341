package main

// Issue 14 through the AWS SDK for Go v2: bucket encryption defaults and SSE headers, SSE-C with
// ranges, bucket tagging and the reads infrastructure tools make of an unconfigured bucket, and a
// lifecycle rule that expires an object once the emulator clock has moved past it.

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	c "localaws.test/common"
)

// allowSSEC sets the bucket's BlockedEncryptionTypes to NONE. Since April 2026 S3 blocks SSE-C
// uploads to new buckets; this SDK version predates the BlockedEncryptionTypes member, so the
// request is built and signed by hand (SigV4 from the SDK's own signer).
func allowSSEC(ctx context.Context, cfg aws.Config, endpoint, bucket string) error {
	body := []byte("<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>" +
		"<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BlockedEncryptionTypes>" +
		"<EncryptionType>NONE</EncryptionType></BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>")
	req, err := http.NewRequestWithContext(ctx, "PUT", endpoint+"/"+bucket+"?encryption", bytes.NewReader(body))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	digest := md5.Sum(body)
	req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(digest[:]))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return err
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "s3", cfg.Region, time.Now()); err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return c.Equal("PutBucketEncryption (BlockedEncryptionTypes NONE) status", resp.StatusCode, 200)
}

func runBucketOps(ctx context.Context, r *c.Runner, cfg aws.Config, endpoint string) {
	sp := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.EndpointResolver = s3.EndpointResolverFromURL(endpoint)
		o.UsePathStyle = true
	})
	bucket := aws.String("go-v2-bucketops-" + c.Suffix())
	data := c.RandomBytes(100_000, 14)

	r.Step("bucketops.unconfigured-reads", func() error {
		if _, err := sp.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket}); err != nil {
			return err
		}
		enc, err := sp.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: bucket})
		if err != nil {
			return err
		}
		rules := enc.ServerSideEncryptionConfiguration.Rules
		if len(rules) != 1 || rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 {
			return c.Errorf("default encryption %+v, want one AES256 rule", rules)
		}
		logging, err := sp.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: bucket})
		if err != nil {
			return err
		}
		if logging.LoggingEnabled != nil {
			return c.Errorf("logging enabled on a new bucket: %+v", logging.LoggingEnabled)
		}
		pay, err := sp.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: bucket})
		if err != nil {
			return err
		}
		if err := c.Equal("Payer", string(pay.Payer), "BucketOwner"); err != nil {
			return err
		}
		acc, err := sp.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: bucket})
		if err != nil {
			return err
		}
		if err := c.Equal("accelerate Status", string(acc.Status), ""); err != nil {
			return err
		}
		notif, err := sp.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: bucket})
		if err != nil {
			return err
		}
		if len(notif.TopicConfigurations)+len(notif.QueueConfigurations)+len(notif.LambdaFunctionConfigurations) != 0 {
			return c.Errorf("notifications on a new bucket: %+v", notif)
		}
		_, err = sp.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: bucket})
		if err := expectCode("GetBucketReplication", err, "ReplicationConfigurationNotFoundError"); err != nil {
			return err
		}
		_, err = sp.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: bucket})
		if err := expectCode("GetBucketLifecycleConfiguration", err, "NoSuchLifecycleConfiguration"); err != nil {
			return err
		}
		_, err = sp.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: bucket})
		return expectCode("GetBucketTagging", err, "NoSuchTagSet")
	})
	r.Step("bucketops.bucket-tagging", func() error {
		tags := []types.Tag{{Key: aws.String("team"), Value: aws.String("coffee")}, {Key: aws.String("env"), Value: aws.String("")}}
		if _, err := sp.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: bucket, Tagging: &types.Tagging{TagSet: tags}}); err != nil {
			return err
		}
		got, err := sp.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: bucket})
		if err != nil {
			return err
		}
		seen := map[string]string{}
		for _, t := range got.TagSet {
			seen[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		if want := map[string]string{"team": "coffee", "env": ""}; !c.Same(seen, want) {
			return c.Errorf("tags read back as %v, want %v", seen, want)
		}
		_, err = sp.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: bucket, Tagging: &types.Tagging{
			TagSet: []types.Tag{{Key: aws.String("aws:reserved"), Value: aws.String("x")}}}})
		if err := expectCode("reserved tag key", err, "InvalidTag"); err != nil {
			return err
		}
		if _, err := sp.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: bucket}); err != nil {
			return err
		}
		_, err = sp.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: bucket})
		return expectCode("GetBucketTagging after delete", err, "NoSuchTagSet")
	})
	r.Step("bucketops.sse-headers", func() error {
		plain, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("s3.bin"), Body: bytes.NewReader(data)})
		if err != nil {
			return err
		}
		if err := c.Equal("default SSE on PUT", string(plain.ServerSideEncryption), "AES256"); err != nil {
			return err
		}
		if err := c.Equal("SSE-S3 ETag", aws.ToString(plain.ETag), c.QuotedMD5(data)); err != nil {
			return err
		}
		kms, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("kms.bin"), Body: bytes.NewReader(data),
			ServerSideEncryption: types.ServerSideEncryptionAwsKms, BucketKeyEnabled: true})
		if err != nil {
			return err
		}
		if err := c.Equal("KMS SSE", string(kms.ServerSideEncryption), "aws:kms"); err != nil {
			return err
		}
		if !strings.HasPrefix(aws.ToString(kms.SSEKMSKeyId), "arn:aws:kms:") {
			return c.Errorf("SSEKMSKeyId %q, want a KMS key ARN", aws.ToString(kms.SSEKMSKeyId))
		}
		if aws.ToString(kms.ETag) == c.QuotedMD5(data) {
			return c.Errorf("a KMS-encrypted object's ETag is its MD5 (AWS: it is not)")
		}
		head, err := sp.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("kms.bin")})
		if err != nil {
			return err
		}
		if err := c.Equal("HEAD SSE", string(head.ServerSideEncryption), "aws:kms"); err != nil {
			return err
		}
		if err := c.Equal("HEAD key id", aws.ToString(head.SSEKMSKeyId), aws.ToString(kms.SSEKMSKeyId)); err != nil {
			return err
		}
		return c.Equal("HEAD bucket key", head.BucketKeyEnabled, true)
	})
	r.Step("bucketops.sse-c-round-trip-and-range", func() error {
		_, key, md5 := c.CustomerKey(1)
		_, key2, md52 := c.CustomerKey(2)
		k := aws.String("secret.bin")
		sse := func(in *s3.PutObjectInput) *s3.PutObjectInput {
			in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(key), aws.String(md5)
			return in
		}
		// A new bucket refuses SSE-C uploads, as AWS's since April 2026.
		_, err := sp.PutObject(ctx, sse(&s3.PutObjectInput{Bucket: bucket, Key: k, Body: bytes.NewReader(data)}))
		if err := expectCode("SSE-C upload to a new bucket", err, "AccessDenied"); err != nil {
			return err
		}
		if err := allowSSEC(ctx, cfg, endpoint, *bucket); err != nil {
			return err
		}
		put, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: k, Body: bytes.NewReader(data),
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(key), SSECustomerKeyMD5: aws.String(md5)})
		if err != nil {
			return err
		}
		if err := c.Equal("PUT key MD5", aws.ToString(put.SSECustomerKeyMD5), md5); err != nil {
			return err
		}
		got, out, err := getBytes(ctx, sp, &s3.GetObjectInput{Bucket: bucket, Key: k,
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(key), SSECustomerKeyMD5: aws.String(md5)})
		if err != nil {
			return err
		}
		if err := c.SameBytes("SSE-C GET", got, data); err != nil {
			return err
		}
		if err := c.Equal("GET algorithm", aws.ToString(out.SSECustomerAlgorithm), "AES256"); err != nil {
			return err
		}
		part, _, err := getBytes(ctx, sp, &s3.GetObjectInput{Bucket: bucket, Key: k, Range: aws.String("bytes=1000-70016"),
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(key), SSECustomerKeyMD5: aws.String(md5)})
		if err != nil {
			return err
		}
		if err := c.SameBytes("SSE-C range", part, data[1000:70017]); err != nil {
			return err
		}
		_, _, err = getBytes(ctx, sp, &s3.GetObjectInput{Bucket: bucket, Key: k})
		if err := expectCode("GET without the key", err, "InvalidRequest"); err != nil {
			return err
		}
		_, _, err = getBytes(ctx, sp, &s3.GetObjectInput{Bucket: bucket, Key: k,
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(key2), SSECustomerKeyMD5: aws.String(md52)})
		return expectCode("GET with another key", err, "AccessDenied")
	})
	r.Step("bucketops.lifecycle-expires-on-the-clock", func() error {
		_, err := sp.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: bucket,
			LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{
				ID: aws.String("tmp-files"), Status: types.ExpirationStatusEnabled,
				Filter:     &types.LifecycleRuleFilterMemberPrefix{Value: "tmp/"},
				Expiration: &types.LifecycleExpiration{Days: 3},
			}}}})
		if err != nil {
			return err
		}
		got, err := sp.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: bucket})
		if err != nil {
			return err
		}
		if len(got.Rules) != 1 || aws.ToString(got.Rules[0].ID) != "tmp-files" || got.Rules[0].Expiration.Days != 3 {
			return c.Errorf("lifecycle rules read back as %+v", got.Rules)
		}
		put, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("tmp/a"), Body: bytes.NewReader([]byte("x"))})
		if err != nil {
			return err
		}
		if !strings.Contains(aws.ToString(put.Expiration), `rule-id="tmp-files"`) {
			return c.Errorf("PUT Expiration %q, want the rule id", aws.ToString(put.Expiration))
		}
		if _, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("keep/a"), Body: bytes.NewReader([]byte("x"))}); err != nil {
			return err
		}
		defer c.ResetClock(endpoint)
		if err := c.AdvanceClockAndSweep(endpoint, "2d"); err != nil {
			return err
		}
		if _, err := sp.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("tmp/a")}); err != nil {
			return c.Errorf("expired two days early: %v", err)
		}
		if err := c.AdvanceClockAndSweep(endpoint, "2d"); err != nil {
			return err
		}
		_, err = sp.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("tmp/a")})
		if err := expectCode("HEAD after expiry", err, "NotFound"); err != nil {
			return err
		}
		_, err = sp.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("keep/a")})
		return err
	})
	r.Step("bucketops.delete-bucket", func() error {
		if _, err := sp.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: bucket}); err != nil {
			return err
		}
		for _, k := range []string{"s3.bin", "kms.bin", "secret.bin", "keep/a"} {
			if _, err := sp.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: aws.String(k)}); err != nil {
				return err
			}
		}
		_, err := sp.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: bucket})
		return err
	})
}
