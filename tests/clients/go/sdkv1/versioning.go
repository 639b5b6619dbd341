package main

// S3 versioning and Object Lock through the AWS SDK for Go v1: versions, ListObjectVersionsPages,
// reads by version id, delete markers, a retention that refuses deletes until bypassed.

import (
	"bytes"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/s3"

	c "localaws.test/common"
)

func runVersioning(r *c.Runner, endpoint string) {
	sp := s3.New(newSession(endpoint, true))
	bucket := aws.String("go-v1-versions-" + c.Suffix())
	key := aws.String("doc.txt")
	var ids []string
	var marker string
	get := func(in *s3.GetObjectInput) ([]byte, error) {
		out, err := sp.GetObject(in)
		if err != nil {
			return nil, err
		}
		defer out.Body.Close()
		return io.ReadAll(out.Body)
	}

	r.Step("versioning.enable", func() error {
		if _, err := sp.CreateBucket(&s3.CreateBucketInput{Bucket: bucket}); err != nil {
			return err
		}
		if _, err := sp.PutBucketVersioning(&s3.PutBucketVersioningInput{Bucket: bucket,
			VersioningConfiguration: &s3.VersioningConfiguration{Status: aws.String("Enabled")}}); err != nil {
			return err
		}
		out, err := sp.GetBucketVersioning(&s3.GetBucketVersioningInput{Bucket: bucket})
		if err != nil {
			return err
		}
		return c.Equal("Status", aws.StringValue(out.Status), "Enabled")
	})
	r.Step("versioning.put-versions", func() error {
		for i := 0; i < 3; i++ {
			out, err := sp.PutObject(&s3.PutObjectInput{Bucket: bucket, Key: key, Body: bytes.NewReader([]byte{byte('a' + i)})})
			if err != nil {
				return err
			}
			if v := aws.StringValue(out.VersionId); v == "" || v == "null" {
				return c.Errorf("PutObject VersionId %q", v)
			}
			ids = append(ids, aws.StringValue(out.VersionId))
		}
		return nil
	})
	r.Step("versioning.get-by-version-id", func() error {
		got, err := get(&s3.GetObjectInput{Bucket: bucket, Key: key, VersionId: aws.String(ids[0])})
		if err != nil {
			return err
		}
		return c.SameBytes("first version", got, []byte("a"))
	})
	r.Step("versioning.delete-marker", func() error {
		out, err := sp.DeleteObject(&s3.DeleteObjectInput{Bucket: bucket, Key: key})
		if err != nil {
			return err
		}
		if !aws.BoolValue(out.DeleteMarker) {
			return c.Errorf("DeleteObject: no DeleteMarker")
		}
		marker = aws.StringValue(out.VersionId)
		_, err = get(&s3.GetObjectInput{Bucket: bucket, Key: key})
		return expectCode("GetObject behind a marker", err, "NoSuchKey")
	})
	r.Step("versioning.list-object-versions-pages", func() error {
		// The SDK's own pager over NextKeyMarker / NextVersionIdMarker, two entries a page.
		var got []string
		pages := 0
		err := sp.ListObjectVersionsPages(&s3.ListObjectVersionsInput{Bucket: bucket, MaxKeys: aws.Int64(2)},
			func(p *s3.ListObjectVersionsOutput, last bool) bool {
				for _, m := range p.DeleteMarkers {
					got = append(got, "marker:"+aws.StringValue(m.VersionId))
				}
				for _, v := range p.Versions {
					got = append(got, aws.StringValue(v.VersionId))
				}
				pages++
				return pages < 10
			})
		if err != nil {
			return err
		}
		want := []string{"marker:" + marker, ids[2], ids[1], ids[0]}
		return c.Equal("versions", strings.Join(got, ","), strings.Join(want, ","))
	})
	r.Step("versioning.delete-marker-by-id-restores", func() error {
		if _, err := sp.DeleteObject(&s3.DeleteObjectInput{Bucket: bucket, Key: key, VersionId: aws.String(marker)}); err != nil {
			return err
		}
		got, err := get(&s3.GetObjectInput{Bucket: bucket, Key: key})
		if err != nil {
			return err
		}
		return c.SameBytes("current after the marker went", got, []byte("c"))
	})
	r.Step("versioning.errors", func() error {
		_, err := get(&s3.GetObjectInput{Bucket: bucket, Key: key, VersionId: aws.String("not-a-version")})
		if err := expectCode("malformed version id", err, "InvalidArgument"); err != nil {
			return err
		}
		_, err = sp.DeleteBucket(&s3.DeleteBucketInput{Bucket: bucket})
		return expectCode("DeleteBucket with versions", err, "BucketNotEmpty")
	})
	r.Step("versioning.empty-and-delete-bucket", func() error {
		for _, id := range ids {
			if _, err := sp.DeleteObject(&s3.DeleteObjectInput{Bucket: bucket, Key: key, VersionId: aws.String(id)}); err != nil {
				return err
			}
		}
		_, err := sp.DeleteBucket(&s3.DeleteBucketInput{Bucket: bucket})
		return err
	})

	lock := aws.String("go-v1-lock-" + c.Suffix())
	var locked *string
	r.Step("object-lock.retention-refuses-delete", func() error {
		if _, err := sp.CreateBucket(&s3.CreateBucketInput{Bucket: lock, ObjectLockEnabledForBucket: aws.Bool(true)}); err != nil {
			return err
		}
		// The SDK sends Content-MD5 for uploads with Object Lock parameters, as S3 requires.
		out, err := sp.PutObject(&s3.PutObjectInput{Bucket: lock, Key: key, Body: bytes.NewReader([]byte("kept")),
			ObjectLockMode: aws.String("GOVERNANCE"), ObjectLockRetainUntilDate: aws.Time(time.Now().Add(24 * time.Hour))})
		if err != nil {
			return err
		}
		locked = out.VersionId
		ret, err := sp.GetObjectRetention(&s3.GetObjectRetentionInput{Bucket: lock, Key: key, VersionId: locked})
		if err != nil {
			return err
		}
		if err := c.Equal("Mode", aws.StringValue(ret.Retention.Mode), "GOVERNANCE"); err != nil {
			return err
		}
		_, err = sp.DeleteObject(&s3.DeleteObjectInput{Bucket: lock, Key: key, VersionId: locked})
		return expectCode("delete of a retained version", err, "AccessDenied")
	})
	r.Step("object-lock.bypass-and-delete-bucket", func() error {
		if _, err := sp.DeleteObject(&s3.DeleteObjectInput{Bucket: lock, Key: key, VersionId: locked,
			BypassGovernanceRetention: aws.Bool(true)}); err != nil {
			return err
		}
		_, err := sp.DeleteBucket(&s3.DeleteBucketInput{Bucket: lock})
		return err
	})
}
