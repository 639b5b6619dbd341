package main

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/s3"
	"github.com/aws/aws-sdk-go/service/s3/s3manager"

	c "localaws.test/common"
)

func getBytes(svc *s3.S3, in *s3.GetObjectInput) ([]byte, *s3.GetObjectOutput, error) {
	out, err := svc.GetObject(in)
	if err != nil {
		return nil, nil, err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return b, out, err
}

func listAll(svc *s3.S3, in *s3.ListObjectsV2Input) (keys, prefixes []string, pageSizes []int, err error) {
	err = svc.ListObjectsV2Pages(in, func(p *s3.ListObjectsV2Output, last bool) bool {
		for _, o := range p.Contents {
			keys = append(keys, *o.Key)
		}
		for _, cp := range p.CommonPrefixes {
			prefixes = append(prefixes, *cp.Prefix)
		}
		pageSizes = append(pageSizes, len(p.Contents)+len(p.CommonPrefixes))
		if int(aws.Int64Value(p.KeyCount)) != len(p.Contents)+len(p.CommonPrefixes) {
			err = c.Errorf("KeyCount %d for %d keys and %d prefixes", aws.Int64Value(p.KeyCount), len(p.Contents), len(p.CommonPrefixes))
			return false
		}
		return len(pageSizes) < 100
	})
	return
}

func runS3(r *c.Runner, endpoint string) {
	sp := s3.New(newSession(endpoint, true))                         // path style
	sv := s3.New(newSession(c.VirtualHostEndpoint(endpoint), false)) // <bucket>.s3.localhost
	bucket := "go-v1-" + c.Suffix()
	pathURL := func(key string) string { return endpoint + "/" + bucket + "/" + c.EscapeKey(key) }
	u, _ := url.Parse(c.VirtualHostEndpoint(endpoint))
	vhostURL := func(key string) string { return "http://" + bucket + "." + u.Host + "/" + c.EscapeKey(key) }

	smallKey := "docs/hello world+ü.txt"
	small := []byte("hello from the AWS SDK for Go v1\n")
	vhostKey := "vhost/a b.txt"
	vhostBody := []byte("written through <bucket>.s3.localhost\n")
	big := c.RandomBytes(20<<20, 1)
	const part = 5 << 20

	r.Step("s3.create-bucket", func() error {
		_, err := sp.CreateBucket(&s3.CreateBucketInput{Bucket: aws.String(bucket)})
		return err
	})
	r.Step("s3.head-bucket", func() error {
		_, err := sp.HeadBucket(&s3.HeadBucketInput{Bucket: aws.String(bucket)})
		return err
	})
	r.Step("s3.list-buckets", func() error {
		out, err := sp.ListBuckets(&s3.ListBucketsInput{})
		if err != nil {
			return err
		}
		for _, b := range out.Buckets {
			if *b.Name == bucket {
				return nil
			}
		}
		return c.Errorf("bucket %s not in ListBuckets", bucket)
	})
	r.Step("s3.put-object", func() error {
		out, err := sp.PutObject(&s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(smallKey),
			Body: bytes.NewReader(small), ContentType: aws.String("text/plain; charset=utf-8"),
			Metadata: map[string]*string{"Origin": aws.String("go-v1")}})
		if err != nil {
			return err
		}
		return c.Equal("ETag", aws.StringValue(out.ETag), c.QuotedMD5(small))
	})
	r.Step("s3.get-object", func() error {
		b, out, err := getBytes(sp, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(smallKey)})
		if err != nil {
			return err
		}
		if err := c.SameBytes("body", b, small); err != nil {
			return err
		}
		if err := c.Equal("Content-Type", aws.StringValue(out.ContentType), "text/plain; charset=utf-8"); err != nil {
			return err
		}
		if err := c.Equal("ContentLength", aws.Int64Value(out.ContentLength), int64(len(small))); err != nil {
			return err
		}
		return c.Equal("x-amz-meta-origin", aws.StringValue(out.Metadata["Origin"]), "go-v1")
	})
	r.Step("s3.get-object-range", func() error {
		b, out, err := getBytes(sp, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(smallKey), Range: aws.String("bytes=6-9")})
		if err != nil {
			return err
		}
		if err := c.SameBytes("range body", b, small[6:10]); err != nil {
			return err
		}
		return c.Equal("Content-Range", aws.StringValue(out.ContentRange), fmt.Sprintf("bytes 6-9/%d", len(small)))
	})
	r.Step("s3.vhost.put-object", func() error {
		out, err := sv.PutObject(&s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(vhostKey), Body: bytes.NewReader(vhostBody)})
		if err != nil {
			return err
		}
		return c.Equal("ETag", aws.StringValue(out.ETag), c.QuotedMD5(vhostBody))
	})
	r.Step("s3.vhost.get-object", func() error {
		for key, want := range map[string][]byte{vhostKey: vhostBody, smallKey: small} {
			b, _, err := getBytes(sv, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			if err != nil {
				return err
			}
			if err := c.SameBytes(key, b, want); err != nil {
				return err
			}
		}
		b, _, err := getBytes(sp, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(vhostKey)})
		if err != nil {
			return err
		}
		return c.SameBytes("path-style read of the virtual-hosted write", b, vhostBody)
	})
	r.Step("s3.vhost.list-objects", func() error {
		keys, _, _, err := listAll(sv, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("vhost/")})
		if err != nil {
			return err
		}
		return c.Equal("keys", strings.Join(keys, ","), vhostKey)
	})
	r.Step("s3.copy-object", func() error {
		_, err := sp.CopyObject(&s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("docs/copy.txt"),
			CopySource: aws.String(bucket + "/" + c.EscapeKey(smallKey))})
		if err != nil {
			return err
		}
		b, _, err := getBytes(sp, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("docs/copy.txt")})
		if err != nil {
			return err
		}
		return c.SameBytes("copy", b, small)
	})

	// s3manager: a 20 MiB object in four 5 MiB parts (concurrent UploadPart calls, each with
	// Expect: 100-Continue), read back with concurrent ranged GETs; and a small one (one PutObject).
	r.Step("s3.manager.upload-20MiB", func() error {
		up := s3manager.NewUploaderWithClient(sp, func(u *s3manager.Uploader) { u.PartSize = part })
		res, err := up.Upload(&s3manager.UploadInput{Bucket: aws.String(bucket), Key: aws.String("big/20MiB.bin"), Body: bytes.NewReader(big)})
		if err != nil {
			return err
		}
		if res.UploadID == "" {
			return c.Errorf("20 MiB upload was not multipart")
		}
		head, err := sp.HeadObject(&s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("big/20MiB.bin")})
		if err != nil {
			return err
		}
		if err := c.Equal("ContentLength", aws.Int64Value(head.ContentLength), int64(len(big))); err != nil {
			return err
		}
		return c.Equal("ETag", aws.StringValue(head.ETag), c.MultipartETag(big[:part], big[part:2*part], big[2*part:3*part], big[3*part:]))
	})
	r.Step("s3.manager.download-20MiB", func() error {
		dl := s3manager.NewDownloaderWithClient(sp, func(d *s3manager.Downloader) { d.PartSize = part })
		buf := aws.NewWriteAtBuffer(make([]byte, 0, len(big)))
		n, err := dl.Download(buf, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("big/20MiB.bin")})
		if err != nil {
			return err
		}
		if err := c.Equal("bytes downloaded", n, int64(len(big))); err != nil {
			return err
		}
		return c.SameBytes("20 MiB object", buf.Bytes(), big)
	})
	smallBin := c.RandomBytes(1000, 5)
	r.Step("s3.manager.upload-small", func() error {
		up := s3manager.NewUploaderWithClient(sp)
		res, err := up.Upload(&s3manager.UploadInput{Bucket: aws.String(bucket), Key: aws.String("small/1000.bin"), Body: bytes.NewReader(smallBin)})
		if err != nil {
			return err
		}
		if res.UploadID != "" {
			return c.Errorf("1000-byte upload used multipart")
		}
		return c.Equal("ETag", aws.StringValue(res.ETag), c.QuotedMD5(smallBin))
	})
	r.Step("s3.manager.download-small", func() error {
		buf := aws.NewWriteAtBuffer(nil)
		n, err := s3manager.NewDownloaderWithClient(sp).Download(buf, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("small/1000.bin")})
		if err != nil {
			return err
		}
		if err := c.Equal("bytes downloaded", n, int64(len(smallBin))); err != nil {
			return err
		}
		return c.SameBytes("small object", buf.Bytes(), smallBin)
	})

	// A stream of unknown length (an io.Reader without Seek): the uploader buffers 5 MiB parts
	// and learns the size at the end (12 MiB: parts of 5, 5 and 2 MiB).
	stream := c.RandomBytes(12<<20, 8)
	r.Step("s3.manager.upload-stream", func() error {
		up := s3manager.NewUploaderWithClient(sp, func(u *s3manager.Uploader) { u.PartSize = part })
		res, err := up.Upload(&s3manager.UploadInput{Bucket: aws.String(bucket), Key: aws.String("big/stream.bin"),
			Body: io.MultiReader(bytes.NewReader(stream))})
		if err != nil {
			return err
		}
		if res.UploadID == "" {
			return c.Errorf("12 MiB stream was not uploaded in parts")
		}
		b, out, err := getBytes(sp, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("big/stream.bin")})
		if err != nil {
			return err
		}
		if err := c.Equal("ETag", aws.StringValue(out.ETag), c.MultipartETag(stream[:part], stream[part:2*part], stream[2*part:])); err != nil {
			return err
		}
		return c.SameBytes("streamed object", b, stream)
	})
	// The book's dotted bucket name, path style and virtual-hosted (<a.b>.s3.localhost, fine over http).
	dotted := "kevintruvu.coffeeshopranker." + strings.TrimPrefix(bucket, "go-v1-")
	r.Step("s3.dotted-bucket", func() error {
		if _, err := sp.CreateBucket(&s3.CreateBucketInput{Bucket: aws.String(dotted)}); err != nil {
			return err
		}
		body := []byte("graph")
		if _, err := sv.PutObject(&s3.PutObjectInput{Bucket: aws.String(dotted), Key: aws.String("Test Folder/graph.jpg"), Body: bytes.NewReader(body)}); err != nil {
			return err
		}
		for _, svc := range []*s3.S3{sp, sv} {
			b, _, err := getBytes(svc, &s3.GetObjectInput{Bucket: aws.String(dotted), Key: aws.String("Test Folder/graph.jpg")})
			if err != nil {
				return err
			}
			if err := c.SameBytes("object in the dotted bucket", b, body); err != nil {
				return err
			}
		}
		if _, err := sp.DeleteObject(&s3.DeleteObjectInput{Bucket: aws.String(dotted), Key: aws.String("Test Folder/graph.jpg")}); err != nil {
			return err
		}
		_, err := sv.DeleteBucket(&s3.DeleteBucketInput{Bucket: aws.String(dotted)})
		return err
	})

	// Presigned URLs used with plain net/http.
	r.Step("s3.presign.get", func() error {
		for _, svc := range []*s3.S3{sp, sv} {
			req, _ := svc.GetObjectRequest(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(smallKey)})
			u, err := req.Presign(15 * time.Minute)
			if err != nil {
				return err
			}
			if err := c.ExpectBody("presigned GET "+u, u, nil, small); err != nil {
				return err
			}
		}
		return nil
	})
	presignedPut := []byte("uploaded with a presigned PUT URL\n")
	r.Step("s3.presign.put", func() error {
		req, _ := sp.PutObjectRequest(&s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("presigned/put.txt"), ContentType: aws.String("text/plain")})
		u, hdr, err := req.PresignRequest(15 * time.Minute)
		if err != nil {
			return err
		}
		res, err := c.Expect("presigned PUT", "PUT", u, presignedPut, hdr, 200, "")
		if err != nil {
			return err
		}
		if err := c.Equal("ETag", res.Header.Get("ETag"), c.QuotedMD5(presignedPut)); err != nil {
			return err
		}
		b, out, err := getBytes(sp, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("presigned/put.txt")})
		if err != nil {
			return err
		}
		if err := c.SameBytes("presigned PUT object", b, presignedPut); err != nil {
			return err
		}
		return c.Equal("Content-Type", aws.StringValue(out.ContentType), "text/plain")
	})
	r.Step("s3.presign.tampered", func() error {
		req, _ := sp.GetObjectRequest(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(smallKey)})
		u, err := req.Presign(15 * time.Minute)
		if err != nil {
			return err
		}
		u = strings.Replace(u, c.EscapeKey(smallKey), "docs/copy.txt", 1)
		_, err = c.Expect("presigned URL for another key", "GET", u, nil, nil, 403, "SignatureDoesNotMatch")
		return err
	})
	r.Step("s3.presign.expired", func() error {
		req, _ := sp.GetObjectRequest(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(smallKey)})
		u, err := req.Presign(time.Second)
		if err != nil {
			return err
		}
		time.Sleep(2100 * time.Millisecond) // the server compares whole seconds
		_, err = c.Expect("expired presigned URL", "GET", u, nil, nil, 403, "AccessDenied")
		return err
	})

	// ACLs the way AWS wants them since April 2023.
	jpg := c.RandomBytes(64<<10, 6)
	putPublic := func() error {
		_, err := sp.PutObject(&s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("public/graph.jpg"),
			Body: bytes.NewReader(jpg), ContentType: aws.String("image/jpeg"), ACL: aws.String(s3.ObjectCannedACLPublicRead)})
		return err
	}
	r.Step("s3.acl.refused-by-default", func() error {
		return expectCode("PutObject public-read on a new bucket", putPublic(), "AccessControlListNotSupported")
	})
	r.Step("s3.acl.anonymous-denied", func() error {
		_, err := c.Expect("anonymous GET of a private object", "GET", pathURL(smallKey), nil, nil, 403, "AccessDenied")
		return err
	})
	r.Step("s3.acl.ownership-controls", func() error {
		_, err := sp.PutBucketOwnershipControls(&s3.PutBucketOwnershipControlsInput{Bucket: aws.String(bucket),
			OwnershipControls: &s3.OwnershipControls{Rules: []*s3.OwnershipControlsRule{{ObjectOwnership: aws.String(s3.ObjectOwnershipBucketOwnerPreferred)}}}})
		if err != nil {
			return err
		}
		out, err := sp.GetBucketOwnershipControls(&s3.GetBucketOwnershipControlsInput{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		if len(out.OwnershipControls.Rules) != 1 {
			return c.Errorf("%d ownership rules", len(out.OwnershipControls.Rules))
		}
		return c.Equal("ObjectOwnership", aws.StringValue(out.OwnershipControls.Rules[0].ObjectOwnership), s3.ObjectOwnershipBucketOwnerPreferred)
	})
	r.Step("s3.acl.delete-public-access-block", func() error {
		_, err := sp.DeletePublicAccessBlock(&s3.DeletePublicAccessBlockInput{Bucket: aws.String(bucket)})
		return err
	})
	r.Step("s3.acl.put-public-read", putPublic)
	r.Step("s3.acl.get-object-acl", func() error {
		out, err := sp.GetObjectAcl(&s3.GetObjectAclInput{Bucket: aws.String(bucket), Key: aws.String("public/graph.jpg")})
		if err != nil {
			return err
		}
		var publicRead, ownerFull bool
		for _, g := range out.Grants {
			if aws.StringValue(g.Grantee.URI) == c.AllUsers && aws.StringValue(g.Permission) == "READ" {
				publicRead = true
			}
			if aws.StringValue(g.Grantee.ID) == aws.StringValue(out.Owner.ID) && aws.StringValue(g.Permission) == "FULL_CONTROL" {
				ownerFull = true
			}
		}
		if !publicRead || !ownerFull {
			return c.Errorf("grants %v: want AllUsers READ and owner FULL_CONTROL", out.Grants)
		}
		return nil
	})
	r.Step("s3.acl.anonymous-get", func() error {
		for _, u := range []string{pathURL("public/graph.jpg"), vhostURL("public/graph.jpg")} {
			res, err := c.Expect("anonymous GET "+u, "GET", u, nil, nil, 200, "")
			if err != nil {
				return err
			}
			if err := c.SameBytes(u, res.Body, jpg); err != nil {
				return err
			}
			if err := c.Equal("Content-Type", res.Header.Get("Content-Type"), "image/jpeg"); err != nil {
				return err
			}
		}
		// The bucket's other objects stay private.
		_, err := c.Expect("anonymous GET of a private object", "GET", pathURL(smallKey), nil, nil, 403, "AccessDenied")
		return err
	})

	// Explicit multipart upload.
	mpKey := "mp/explicit.bin"
	parts := c.MultipartParts()
	var uploadID string
	var completed []*s3.CompletedPart
	r.Step("s3.multipart.create", func() error {
		out, err := sp.CreateMultipartUpload(&s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(mpKey),
			ContentType: aws.String("application/x-test")})
		if err != nil {
			return err
		}
		uploadID = aws.StringValue(out.UploadId)
		if uploadID == "" {
			return c.Errorf("no UploadId")
		}
		return nil
	})
	r.Step("s3.multipart.upload-parts", func() error {
		for i, p := range parts {
			out, err := sp.UploadPart(&s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(mpKey), UploadId: aws.String(uploadID),
				PartNumber: aws.Int64(int64(i + 1)), Body: bytes.NewReader(p)})
			if err != nil {
				return err
			}
			if err := c.Equal(fmt.Sprintf("part %d ETag", i+1), aws.StringValue(out.ETag), c.QuotedMD5(p)); err != nil {
				return err
			}
			completed = append(completed, &s3.CompletedPart{ETag: out.ETag, PartNumber: aws.Int64(int64(i + 1))})
		}
		return nil
	})
	r.Step("s3.multipart.list-parts", func() error {
		out, err := sp.ListParts(&s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String(mpKey), UploadId: aws.String(uploadID)})
		if err != nil {
			return err
		}
		if len(out.Parts) != len(parts) {
			return c.Errorf("%d parts listed, want %d", len(out.Parts), len(parts))
		}
		for i, p := range out.Parts {
			if aws.Int64Value(p.PartNumber) != int64(i+1) || aws.Int64Value(p.Size) != int64(len(parts[i])) || aws.StringValue(p.ETag) != c.QuotedMD5(parts[i]) {
				return c.Errorf("part %d listed as %v", i+1, p)
			}
		}
		return nil
	})
	r.Step("s3.multipart.list-uploads", func() error {
		out, err := sp.ListMultipartUploads(&s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		for _, up := range out.Uploads {
			if aws.StringValue(up.UploadId) == uploadID && aws.StringValue(up.Key) == mpKey {
				return nil
			}
		}
		return c.Errorf("upload %s not listed in %v", uploadID, out.Uploads)
	})
	r.Step("s3.multipart.complete", func() error {
		out, err := sp.CompleteMultipartUpload(&s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(mpKey),
			UploadId: aws.String(uploadID), MultipartUpload: &s3.CompletedMultipartUpload{Parts: completed}})
		if err != nil {
			return err
		}
		return c.Equal("ETag", aws.StringValue(out.ETag), c.MultipartETag(parts...))
	})
	r.Step("s3.multipart.get", func() error {
		b, out, err := getBytes(sp, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(mpKey)})
		if err != nil {
			return err
		}
		if err := c.SameBytes("multipart object", b, bytes.Join(parts, nil)); err != nil {
			return err
		}
		if err := c.Equal("Content-Type", aws.StringValue(out.ContentType), "application/x-test"); err != nil {
			return err
		}
		b, out, err = getBytes(sp, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(mpKey), PartNumber: aws.Int64(2)})
		if err != nil {
			return err
		}
		if err := c.Equal("PartsCount", aws.Int64Value(out.PartsCount), int64(3)); err != nil {
			return err
		}
		return c.SameBytes("GET partNumber=2", b, parts[1])
	})
	r.Step("s3.multipart.too-small", func() error {
		out, err := sp.CreateMultipartUpload(&s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/small.bin")})
		if err != nil {
			return err
		}
		var cps []*s3.CompletedPart
		for i := 1; i <= 2; i++ {
			p, err := sp.UploadPart(&s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String("mp/small.bin"), UploadId: out.UploadId,
				PartNumber: aws.Int64(int64(i)), Body: bytes.NewReader(c.RandomBytes(1024, int64(i)))})
			if err != nil {
				return err
			}
			cps = append(cps, &s3.CompletedPart{ETag: p.ETag, PartNumber: aws.Int64(int64(i))})
		}
		_, err = sp.CompleteMultipartUpload(&s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/small.bin"),
			UploadId: out.UploadId, MultipartUpload: &s3.CompletedMultipartUpload{Parts: cps}})
		if err := expectCode("CompleteMultipartUpload with a 1 KiB first part", err, "EntityTooSmall"); err != nil {
			return err
		}
		_, err = sp.AbortMultipartUpload(&s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/small.bin"), UploadId: out.UploadId})
		return err
	})
	r.Step("s3.multipart.abort", func() error {
		out, err := sp.CreateMultipartUpload(&s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/aborted.bin")})
		if err != nil {
			return err
		}
		if _, err := sp.UploadPart(&s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String("mp/aborted.bin"), UploadId: out.UploadId,
			PartNumber: aws.Int64(1), Body: bytes.NewReader(small)}); err != nil {
			return err
		}
		if _, err := sp.AbortMultipartUpload(&s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp/aborted.bin"), UploadId: out.UploadId}); err != nil {
			return err
		}
		_, err = sp.ListParts(&s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("mp/aborted.bin"), UploadId: out.UploadId})
		if err := expectCode("ListParts of an aborted upload", err, "NoSuchUpload"); err != nil {
			return err
		}
		ups, err := sp.ListMultipartUploads(&s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		if len(ups.Uploads) != 0 {
			return c.Errorf("uploads still listed: %v", ups.Uploads)
		}
		_, err = sp.HeadObject(&s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("mp/aborted.bin")})
		return expectCode("HeadObject of an aborted upload's key", err, "NotFound")
	})

	// Listing across pages.
	listKeys := c.ListKeys()
	r.Step("s3.list.put-25", func() error {
		for _, k := range listKeys {
			if _, err := sp.PutObject(&s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: strings.NewReader(k)}); err != nil {
				return err
			}
		}
		return nil
	})
	r.Step("s3.list.v2-pages", func() error {
		keys, _, pages, err := listAll(sp, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("list/"), MaxKeys: aws.Int64(10)})
		if err != nil {
			return err
		}
		if err := c.Equal("keys", strings.Join(keys, ","), strings.Join(listKeys, ",")); err != nil {
			return err
		}
		return c.Equal("page sizes", fmt.Sprint(pages), "[10 10 5]")
	})
	r.Step("s3.list.v2-delimiter-pages", func() error {
		keys, prefixes, pages, err := listAll(sp, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("list/"),
			Delimiter: aws.String("/"), MaxKeys: aws.Int64(10)})
		if err != nil {
			return err
		}
		if err := c.Equal("keys", strings.Join(keys, ","), strings.Join(listKeys[:23], ",")); err != nil {
			return err
		}
		if err := c.Equal("common prefixes", strings.Join(prefixes, ","), "list/sub/"); err != nil {
			return err
		}
		return c.Equal("page sizes", fmt.Sprint(pages), "[10 10 4]")
	})
	r.Step("s3.list.v1-pages", func() error {
		var keys []string
		pages := 0
		err := sp.ListObjectsPages(&s3.ListObjectsInput{Bucket: aws.String(bucket), Prefix: aws.String("list/"), MaxKeys: aws.Int64(10)},
			func(p *s3.ListObjectsOutput, last bool) bool {
				for _, o := range p.Contents {
					keys = append(keys, *o.Key)
				}
				pages++
				return pages < 100
			})
		if err != nil {
			return err
		}
		if err := c.Equal("keys", strings.Join(keys, ","), strings.Join(listKeys, ",")); err != nil {
			return err
		}
		return c.Equal("pages", pages, 3)
	})
	r.Step("s3.errors", func() error {
		_, err := sp.HeadObject(&s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
		if err := expectCode("HeadObject missing key", err, "NotFound"); err != nil {
			return err
		}
		_, err = sp.GetObject(&s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
		if err := expectCode("GetObject missing key", err, s3.ErrCodeNoSuchKey); err != nil {
			return err
		}
		_, err = sp.GetObject(&s3.GetObjectInput{Bucket: aws.String(bucket + "-missing"), Key: aws.String("k")})
		if err := expectCode("GetObject missing bucket", err, s3.ErrCodeNoSuchBucket); err != nil {
			return err
		}
		_, err = sp.DeleteBucket(&s3.DeleteBucketInput{Bucket: aws.String(bucket)})
		return expectCode("DeleteBucket of a bucket with objects", err, "BucketNotEmpty")
	})

	// Clean up: one DeleteObject, then DeleteObjects for the rest, then the bucket.
	r.Step("s3.delete-object", func() error {
		if _, err := sp.DeleteObject(&s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(smallKey)}); err != nil {
			return err
		}
		_, err := sp.HeadObject(&s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(smallKey)})
		return expectCode("HeadObject after DeleteObject", err, "NotFound")
	})
	r.Step("s3.delete-objects", func() error {
		keys, _, _, err := listAll(sp, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		want := append([]string{"big/20MiB.bin", "big/stream.bin", "docs/copy.txt", "mp/explicit.bin", "presigned/put.txt", "public/graph.jpg",
			"small/1000.bin", vhostKey}, listKeys...)
		sort.Strings(want)
		if err := c.Equal("keys before cleanup", strings.Join(keys, ","), strings.Join(want, ",")); err != nil {
			return err
		}
		var ids []*s3.ObjectIdentifier
		for _, k := range keys {
			ids = append(ids, &s3.ObjectIdentifier{Key: aws.String(k)})
		}
		out, err := sp.DeleteObjects(&s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3.Delete{Objects: ids}})
		if err != nil {
			return err
		}
		if len(out.Errors) != 0 || len(out.Deleted) != len(keys) {
			return c.Errorf("DeleteObjects: %d deleted, errors %v", len(out.Deleted), out.Errors)
		}
		var deleted []string
		for _, d := range out.Deleted {
			deleted = append(deleted, *d.Key)
		}
		sort.Strings(deleted)
		if err := c.Equal("deleted", strings.Join(deleted, ","), strings.Join(keys, ",")); err != nil {
			return err
		}
		left, _, _, err := listAll(sp, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		return c.Equal("keys left", len(left), 0)
	})
	r.Step("s3.delete-bucket", func() error {
		if _, err := sp.DeleteBucket(&s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
			return err
		}
		_, err := sp.HeadBucket(&s3.HeadBucketInput{Bucket: aws.String(bucket)})
		return expectCode("HeadBucket after DeleteBucket", err, "NotFound")
	})
}
