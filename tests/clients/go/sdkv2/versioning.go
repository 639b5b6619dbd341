package main

// S3 versioning and Object Lock through the AWS SDK for Go v2: versions, the version paginator,
// reads by version id, delete markers, a retention that refuses deletes until bypassed.

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	c "localaws.test/common"
)

func runVersioning(ctx context.Context, r *c.Runner, cfg aws.Config, endpoint string) {
	sp := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.EndpointResolver = s3.EndpointResolverFromURL(endpoint)
		o.UsePathStyle = true
	})
	bucket := aws.String("go-v2-versions-" + c.Suffix())
	key := aws.String("doc.txt")
	var ids []string
	var marker string

	r.Step("versioning.enable", func() error {
		if _, err := sp.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket}); err != nil {
			return err
		}
		if _, err := sp.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: bucket,
			VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
			return err
		}
		out, err := sp.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: bucket})
		if err != nil {
			return err
		}
		return c.Equal("Status", string(out.Status), "Enabled")
	})
	r.Step("versioning.put-versions", func() error {
		for i := 0; i < 3; i++ {
			out, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: key,
				Body: bytes.NewReader([]byte{byte('a' + i)})})
			if err != nil {
				return err
			}
			if aws.ToString(out.VersionId) == "" || aws.ToString(out.VersionId) == "null" {
				return c.Errorf("PutObject VersionId %q", aws.ToString(out.VersionId))
			}
			ids = append(ids, aws.ToString(out.VersionId))
		}
		return nil
	})
	r.Step("versioning.get-by-version-id", func() error {
		got, out, err := getBytes(ctx, sp, &s3.GetObjectInput{Bucket: bucket, Key: key, VersionId: aws.String(ids[0])})
		if err != nil {
			return err
		}
		if err := c.SameBytes("first version", got, []byte("a")); err != nil {
			return err
		}
		return c.Equal("VersionId", aws.ToString(out.VersionId), ids[0])
	})
	r.Step("versioning.delete-marker", func() error {
		out, err := sp.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: key})
		if err != nil {
			return err
		}
		if !out.DeleteMarker {
			return c.Errorf("DeleteObject: no DeleteMarker")
		}
		marker = aws.ToString(out.VersionId)
		_, err = sp.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: key})
		return expectCode("GetObject behind a marker", err, "NoSuchKey")
	})
	r.Step("versioning.list-object-versions-paged", func() error {
		// The SDK's own paging over NextKeyMarker / NextVersionIdMarker, two entries a page.
		var got []string
		in := &s3.ListObjectVersionsInput{Bucket: bucket, MaxKeys: 2}
		for pages := 0; pages < 10; pages++ {
			out, err := sp.ListObjectVersions(ctx, in)
			if err != nil {
				return err
			}
			for _, m := range out.DeleteMarkers {
				got = append(got, "marker:"+aws.ToString(m.VersionId))
			}
			for _, v := range out.Versions {
				got = append(got, aws.ToString(v.VersionId))
			}
			if !out.IsTruncated {
				break
			}
			in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
		}
		// Pages of two: [marker, v3], [v2, v1] (markers are listed before versions within a page).
		want := []string{"marker:" + marker, ids[2], ids[1], ids[0]}
		return c.Equal("versions", strings.Join(got, ","), strings.Join(want, ","))
	})
	r.Step("versioning.delete-marker-by-id-restores", func() error {
		if _, err := sp.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: key, VersionId: aws.String(marker)}); err != nil {
			return err
		}
		got, _, err := getBytes(ctx, sp, &s3.GetObjectInput{Bucket: bucket, Key: key})
		if err != nil {
			return err
		}
		return c.SameBytes("current after the marker went", got, []byte("c"))
	})
	r.Step("versioning.errors", func() error {
		_, err := sp.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: key, VersionId: aws.String("not-a-version")})
		if err := expectCode("malformed version id", err, "InvalidArgument"); err != nil {
			return err
		}
		_, err = sp.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: bucket})
		return expectCode("DeleteBucket with versions", err, "BucketNotEmpty")
	})
	r.Step("versioning.empty-and-delete-bucket", func() error {
		for _, id := range ids {
			if _, err := sp.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: key, VersionId: aws.String(id)}); err != nil {
				return err
			}
		}
		_, err := sp.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: bucket})
		return err
	})

	lock := aws.String("go-v2-lock-" + c.Suffix())
	var locked string
	r.Step("object-lock.retention-refuses-delete", func() error {
		if _, err := sp.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: lock, ObjectLockEnabledForBucket: true}); err != nil {
			return err
		}
		out, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: lock, Key: key, Body: bytes.NewReader([]byte("kept")),
			ChecksumAlgorithm: types.ChecksumAlgorithmCrc32, ObjectLockMode: types.ObjectLockModeGovernance,
			ObjectLockRetainUntilDate: aws.Time(time.Now().Add(24 * time.Hour))})
		if err != nil {
			return err
		}
		locked = aws.ToString(out.VersionId)
		ret, err := sp.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: lock, Key: key, VersionId: out.VersionId})
		if err != nil {
			return err
		}
		if err := c.Equal("Mode", string(ret.Retention.Mode), "GOVERNANCE"); err != nil {
			return err
		}
		_, err = sp.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: lock, Key: key, VersionId: out.VersionId})
		return expectCode("delete of a retained version", err, "AccessDenied")
	})
	r.Step("object-lock.bypass-and-delete-bucket", func() error {
		if _, err := sp.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: lock, Key: key, VersionId: aws.String(locked),
			BypassGovernanceRetention: true}); err != nil {
			return err
		}
		_, err := sp.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: lock})
		return err
	})
}
