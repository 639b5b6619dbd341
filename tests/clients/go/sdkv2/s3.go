package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	c "localaws.test/common"
)

func getBytes(ctx context.Context, svc *s3.Client, in *s3.GetObjectInput) ([]byte, *s3.GetObjectOutput, error) {
	out, err := svc.GetObject(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return b, out, err
}

func listAll(ctx context.Context, svc *s3.Client, in *s3.ListObjectsV2Input) (keys, prefixes []string, pageSizes []int, err error) {
	p := s3.NewListObjectsV2Paginator(svc, in)
	for p.HasMorePages() && len(pageSizes) < 100 {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, o := range page.Contents {
			keys = append(keys, *o.Key)
		}
		for _, cp := range page.CommonPrefixes {
			prefixes = append(prefixes, *cp.Prefix)
		}
		n := len(page.Contents) + len(page.CommonPrefixes)
		if int(page.KeyCount) != n {
			return nil, nil, nil, c.Errorf("KeyCount %d for %d keys and prefixes", page.KeyCount, n)
		}
		pageSizes = append(pageSizes, n)
	}
	return keys, prefixes, pageSizes, nil
}

func runS3(ctx context.Context, r *c.Runner, cfg aws.Config, endpoint string) {
	sp := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.EndpointResolver = s3.EndpointResolverFromURL(endpoint)
		o.UsePathStyle = true
	})
	sv := s3.NewFromConfig(cfg, func(o *s3.Options) { // <bucket>.s3.localhost
		o.EndpointResolver = s3.EndpointResolverFromURL(c.VirtualHostEndpoint(endpoint))
	})
	presignP, presignV := s3.NewPresignClient(sp), s3.NewPresignClient(sv)
	bucket := "go-v2-" + c.Suffix()
	b := aws.String(bucket)
	pathURL := func(key string) string { return endpoint + "/" + bucket + "/" + c.EscapeKey(key) }
	u, _ := url.Parse(c.VirtualHostEndpoint(endpoint))
	vhostURL := func(key string) string { return "http://" + bucket + "." + u.Host + "/" + c.EscapeKey(key) }

	smallKey := "docs/hello world+ü.txt"
	small := []byte("hello from the AWS SDK for Go v2\n")
	shaKey := "docs/sha256.bin"
	shaBody := c.RandomBytes(3000, 7)
	vhostKey := "vhost/a b.txt"
	vhostBody := []byte("written through <bucket>.s3.localhost\n")
	big := c.RandomBytes(20<<20, 1)
	const part = 5 << 20
	bigParts := [][]byte{big[:part], big[part : 2*part], big[2*part : 3*part], big[3*part:]}

	r.Step("s3.create-bucket", func() error {
		_, err := sp.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
		return err
	})
	r.Step("s3.wait-bucket-exists", func() error {
		return s3.NewBucketExistsWaiter(sp).Wait(ctx, &s3.HeadBucketInput{Bucket: b}, time.Minute)
	})
	r.Step("s3.list-buckets", func() error {
		out, err := sp.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			return err
		}
		for _, x := range out.Buckets {
			if *x.Name == bucket {
				return nil
			}
		}
		return c.Errorf("bucket %s not in ListBuckets", bucket)
	})
	r.Step("s3.put-object-crc32", func() error {
		out, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(smallKey), Body: bytes.NewReader(small),
			ContentType: aws.String("text/plain; charset=utf-8"), Metadata: map[string]string{"origin": "go-v2"},
			ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			return err
		}
		if err := c.Equal("ETag", aws.ToString(out.ETag), c.QuotedMD5(small)); err != nil {
			return err
		}
		return c.Equal("ChecksumCRC32", aws.ToString(out.ChecksumCRC32), c.CRC32(small))
	})
	r.Step("s3.get-object-checksum-mode", func() error {
		got, out, err := getBytes(ctx, sp, &s3.GetObjectInput{Bucket: b, Key: aws.String(smallKey), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			return err
		}
		if err := c.SameBytes("body", got, small); err != nil {
			return err
		}
		if err := c.Equal("ChecksumCRC32", aws.ToString(out.ChecksumCRC32), c.CRC32(small)); err != nil {
			return err
		}
		if err := c.Equal("Content-Type", aws.ToString(out.ContentType), "text/plain; charset=utf-8"); err != nil {
			return err
		}
		return c.Equal("x-amz-meta-origin", out.Metadata["origin"], "go-v2")
	})
	r.Step("s3.put-object-sha256", func() error {
		out, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(shaKey), Body: bytes.NewReader(shaBody),
			ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
		if err != nil {
			return err
		}
		if err := c.Equal("ChecksumSHA256", aws.ToString(out.ChecksumSHA256), c.SHA256(shaBody)); err != nil {
			return err
		}
		got, gout, err := getBytes(ctx, sp, &s3.GetObjectInput{Bucket: b, Key: aws.String(shaKey), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			return err
		}
		if err := c.SameBytes("body", got, shaBody); err != nil {
			return err
		}
		return c.Equal("ChecksumSHA256 on GET", aws.ToString(gout.ChecksumSHA256), c.SHA256(shaBody))
	})
	r.Step("s3.put-object-bad-checksum", func() error {
		_, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("docs/bad.bin"), Body: bytes.NewReader(small),
			ChecksumCRC32: aws.String(c.CRC32([]byte("something else")))})
		if err := expectCode("PutObject with a wrong x-amz-checksum-crc32", err, "BadDigest"); err != nil {
			return err
		}
		_, err = sp.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("docs/bad.bin")})
		return expectCode("HeadObject of the refused upload", err, "NotFound")
	})
	r.Step("s3.vhost.put-object", func() error {
		out, err := sv.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(vhostKey), Body: bytes.NewReader(vhostBody)})
		if err != nil {
			return err
		}
		return c.Equal("ETag", aws.ToString(out.ETag), c.QuotedMD5(vhostBody))
	})
	r.Step("s3.vhost.get-object", func() error {
		for key, want := range map[string][]byte{vhostKey: vhostBody, smallKey: small} {
			got, _, err := getBytes(ctx, sv, &s3.GetObjectInput{Bucket: b, Key: aws.String(key)})
			if err != nil {
				return err
			}
			if err := c.SameBytes(key, got, want); err != nil {
				return err
			}
		}
		return nil
	})
	r.Step("s3.vhost.list-objects", func() error {
		keys, _, _, err := listAll(ctx, sv, &s3.ListObjectsV2Input{Bucket: b, Prefix: aws.String("vhost/")})
		if err != nil {
			return err
		}
		return c.Equal("keys", strings.Join(keys, ","), vhostKey)
	})

	// feature/s3/manager: 20 MiB in four 5 MiB parts with CRC32 part checksums, read back with
	// concurrent ranged GETs; and a small object (one PutObject).
	r.Step("s3.manager.upload-20MiB", func() error {
		up := manager.NewUploader(sp, func(u *manager.Uploader) { u.PartSize = part })
		res, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("big/20MiB.bin"), Body: bytes.NewReader(big),
			ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			return err
		}
		if res.UploadID == "" || len(res.CompletedParts) != 4 {
			return c.Errorf("20 MiB upload: UploadID %q, %d parts", res.UploadID, len(res.CompletedParts))
		}
		for i, p := range res.CompletedParts {
			if err := c.Equal(fmt.Sprintf("part %d ChecksumCRC32", i+1), aws.ToString(p.ChecksumCRC32), c.CRC32(bigParts[i])); err != nil {
				return err
			}
		}
		head, err := sp.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("big/20MiB.bin"), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			return err
		}
		if err := c.Equal("ContentLength", head.ContentLength, int64(len(big))); err != nil {
			return err
		}
		if err := c.Equal("ETag", aws.ToString(head.ETag), c.MultipartETag(bigParts...)); err != nil {
			return err
		}
		return c.Equal("composite ChecksumCRC32", aws.ToString(head.ChecksumCRC32), c.CompositeCRC32(bigParts...))
	})
	r.Step("s3.manager.download-20MiB", func() error {
		dl := manager.NewDownloader(sp, func(d *manager.Downloader) { d.PartSize = part })
		buf := manager.NewWriteAtBuffer(make([]byte, 0, len(big)))
		n, err := dl.Download(ctx, buf, &s3.GetObjectInput{Bucket: b, Key: aws.String("big/20MiB.bin")})
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
		res, err := manager.NewUploader(sp).Upload(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("small/1000.bin"), Body: bytes.NewReader(smallBin)})
		if err != nil {
			return err
		}
		if res.UploadID != "" {
			return c.Errorf("1000-byte upload used multipart")
		}
		return c.Equal("ETag", aws.ToString(res.ETag), c.QuotedMD5(smallBin))
	})
	r.Step("s3.manager.download-small", func() error {
		buf := manager.NewWriteAtBuffer(nil)
		n, err := manager.NewDownloader(sp).Download(ctx, buf, &s3.GetObjectInput{Bucket: b, Key: aws.String("small/1000.bin")})
		if err != nil {
			return err
		}
		if err := c.Equal("bytes downloaded", n, int64(len(smallBin))); err != nil {
			return err
		}
		return c.SameBytes("small object", buf.Bytes(), smallBin)
	})

	// Presigned URLs used with plain net/http.
	r.Step("s3.presign.get", func() error {
		for _, pc := range []*s3.PresignClient{presignP, presignV} {
			req, err := pc.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String(smallKey)}, s3.WithPresignExpires(15*time.Minute))
			if err != nil {
				return err
			}
			if err := c.ExpectBody("presigned GET "+req.URL, req.URL, req.SignedHeader, small); err != nil {
				return err
			}
		}
		return nil
	})
	presignedPut := []byte("uploaded with a presigned PUT URL\n")
	r.Step("s3.presign.put", func() error {
		req, err := presignP.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("presigned/put.txt"), ContentType: aws.String("text/plain")},
			s3.WithPresignExpires(15*time.Minute))
		if err != nil {
			return err
		}
		// This SDK version signs only Host (the URL has X-Amz-SignedHeaders=host): the caller
		// sends Content-Type itself, unsigned.
		hdr := req.SignedHeader.Clone()
		hdr.Set("Content-Type", "text/plain")
		if _, err := c.Expect("presigned PUT", req.Method, req.URL, presignedPut, hdr, 200, ""); err != nil {
			return err
		}
		got, out, err := getBytes(ctx, sp, &s3.GetObjectInput{Bucket: b, Key: aws.String("presigned/put.txt")})
		if err != nil {
			return err
		}
		if err := c.SameBytes("presigned PUT object", got, presignedPut); err != nil {
			return err
		}
		return c.Equal("Content-Type", aws.ToString(out.ContentType), "text/plain")
	})
	r.Step("s3.presign.tampered", func() error {
		req, err := presignP.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String(smallKey)})
		if err != nil {
			return err
		}
		_, err = c.Expect("presigned URL for another key", "GET", strings.Replace(req.URL, c.EscapeKey(smallKey), "small/1000.bin", 1),
			nil, nil, 403, "SignatureDoesNotMatch")
		return err
	})

	// ACLs the way AWS wants them since April 2023.
	jpg := c.RandomBytes(64<<10, 6)
	putPublic := func() error {
		_, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("public/graph.jpg"), Body: bytes.NewReader(jpg),
			ContentType: aws.String("image/jpeg"), ACL: types.ObjectCannedACLPublicRead})
		return err
	}
	r.Step("s3.acl.refused-by-default", func() error {
		return expectCode("PutObject public-read on a new bucket", putPublic(), "AccessControlListNotSupported")
	})
	r.Step("s3.acl.ownership-controls", func() error {
		_, err := sp.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b,
			OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerPreferred}}}})
		return err
	})
	r.Step("s3.acl.delete-public-access-block", func() error {
		_, err := sp.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: b})
		return err
	})
	r.Step("s3.acl.put-public-read", putPublic)
	r.Step("s3.acl.get-object-acl", func() error {
		out, err := sp.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: aws.String("public/graph.jpg")})
		if err != nil {
			return err
		}
		for _, g := range out.Grants {
			if aws.ToString(g.Grantee.URI) == c.AllUsers && g.Permission == types.PermissionRead {
				return nil
			}
		}
		return c.Errorf("no AllUsers READ grant in %+v", out.Grants)
	})
	r.Step("s3.acl.anonymous-get", func() error {
		for _, u := range []string{pathURL("public/graph.jpg"), vhostURL("public/graph.jpg")} {
			if err := c.ExpectBody("anonymous GET "+u, u, nil, jpg); err != nil {
				return err
			}
		}
		_, err := c.Expect("anonymous GET of a private object", "GET", pathURL(smallKey), nil, nil, 403, "AccessDenied")
		return err
	})

	// Explicit multipart upload with CRC32 part checksums; ListParts through its paginator.
	mpKey := "mp/explicit.bin"
	parts := c.MultipartParts()
	var uploadID string
	var completed []types.CompletedPart
	r.Step("s3.multipart.create", func() error {
		out, err := sp.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String(mpKey),
			ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			return err
		}
		uploadID = aws.ToString(out.UploadId)
		return c.Equal("ChecksumAlgorithm", out.ChecksumAlgorithm, types.ChecksumAlgorithmCrc32)
	})
	r.Step("s3.multipart.upload-parts", func() error {
		for i, p := range parts {
			out, err := sp.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String(mpKey), UploadId: aws.String(uploadID),
				PartNumber: int32(i + 1), Body: bytes.NewReader(p), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
			if err != nil {
				return err
			}
			if err := c.Equal(fmt.Sprintf("part %d ETag", i+1), aws.ToString(out.ETag), c.QuotedMD5(p)); err != nil {
				return err
			}
			if err := c.Equal(fmt.Sprintf("part %d ChecksumCRC32", i+1), aws.ToString(out.ChecksumCRC32), c.CRC32(p)); err != nil {
				return err
			}
			completed = append(completed, types.CompletedPart{ETag: out.ETag, PartNumber: int32(i + 1), ChecksumCRC32: out.ChecksumCRC32})
		}
		return nil
	})
	r.Step("s3.multipart.list-parts-pages", func() error {
		p := s3.NewListPartsPaginator(sp, &s3.ListPartsInput{Bucket: b, Key: aws.String(mpKey), UploadId: aws.String(uploadID), MaxParts: 2})
		var got []types.Part
		pages := 0
		for p.HasMorePages() && pages < 10 {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			got = append(got, page.Parts...)
			pages++
		}
		if err := c.Equal("pages", pages, 2); err != nil {
			return err
		}
		if len(got) != len(parts) {
			return c.Errorf("%d parts listed, want %d", len(got), len(parts))
		}
		for i, x := range got {
			if x.PartNumber != int32(i+1) || x.Size != int64(len(parts[i])) || aws.ToString(x.ChecksumCRC32) != c.CRC32(parts[i]) {
				return c.Errorf("part %d listed as %+v", i+1, x)
			}
		}
		return nil
	})
	r.Step("s3.multipart.complete", func() error {
		out, err := sp.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String(mpKey), UploadId: aws.String(uploadID),
			MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
		if err != nil {
			return err
		}
		if err := c.Equal("ETag", aws.ToString(out.ETag), c.MultipartETag(parts...)); err != nil {
			return err
		}
		return c.Equal("ChecksumCRC32", aws.ToString(out.ChecksumCRC32), c.CompositeCRC32(parts...))
	})
	r.Step("s3.multipart.get", func() error {
		got, _, err := getBytes(ctx, sp, &s3.GetObjectInput{Bucket: b, Key: aws.String(mpKey), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			return err
		}
		return c.SameBytes("multipart object", got, bytes.Join(parts, nil))
	})
	r.Step("s3.multipart.abort", func() error {
		out, err := sp.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("mp/aborted.bin")})
		if err != nil {
			return err
		}
		if _, err := sp.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("mp/aborted.bin"), UploadId: out.UploadId,
			PartNumber: 1, Body: bytes.NewReader(small)}); err != nil {
			return err
		}
		if _, err := sp.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: b, Key: aws.String("mp/aborted.bin"), UploadId: out.UploadId}); err != nil {
			return err
		}
		_, err = sp.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: aws.String("mp/aborted.bin"), UploadId: out.UploadId})
		if err := expectCode("ListParts of an aborted upload", err, "NoSuchUpload"); err != nil {
			return err
		}
		ups, err := sp.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: b})
		if err != nil {
			return err
		}
		return c.Equal("uploads left", len(ups.Uploads), 0)
	})

	// Listing across pages.
	listKeys := c.ListKeys()
	r.Step("s3.list.put-25", func() error {
		for _, k := range listKeys {
			if _, err := sp.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(k), Body: strings.NewReader(k)}); err != nil {
				return err
			}
		}
		return nil
	})
	r.Step("s3.list.v2-paginator", func() error {
		keys, _, pages, err := listAll(ctx, sp, &s3.ListObjectsV2Input{Bucket: b, Prefix: aws.String("list/"), MaxKeys: 10})
		if err != nil {
			return err
		}
		if err := c.Equal("keys", strings.Join(keys, ","), strings.Join(listKeys, ",")); err != nil {
			return err
		}
		return c.Equal("page sizes", fmt.Sprint(pages), "[10 10 5]")
	})
	r.Step("s3.list.v2-delimiter-paginator", func() error {
		keys, prefixes, pages, err := listAll(ctx, sp, &s3.ListObjectsV2Input{Bucket: b, Prefix: aws.String("list/"), Delimiter: aws.String("/"), MaxKeys: 10})
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
	r.Step("s3.errors", func() error {
		_, err := sp.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("missing")})
		if err := expectCode("HeadObject missing key", err, "NotFound"); err != nil {
			return err
		}
		_, err = sp.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("missing")})
		if err := expectCode("GetObject missing key", err, "NoSuchKey"); err != nil {
			return err
		}
		_, err = sp.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket + "-missing"), Key: aws.String("k")})
		return expectCode("GetObject missing bucket", err, "NoSuchBucket")
	})

	r.Step("s3.delete-objects", func() error {
		keys, _, _, err := listAll(ctx, sp, &s3.ListObjectsV2Input{Bucket: b})
		if err != nil {
			return err
		}
		want := append([]string{"big/20MiB.bin", smallKey, shaKey, "mp/explicit.bin", "presigned/put.txt", "public/graph.jpg",
			"small/1000.bin", vhostKey}, listKeys...)
		sort.Strings(want)
		if err := c.Equal("keys before cleanup", strings.Join(keys, ","), strings.Join(want, ",")); err != nil {
			return err
		}
		var ids []types.ObjectIdentifier
		for _, k := range keys {
			ids = append(ids, types.ObjectIdentifier{Key: aws.String(k)})
		}
		out, err := sp.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &types.Delete{Objects: ids}})
		if err != nil {
			return err
		}
		if len(out.Errors) != 0 || len(out.Deleted) != len(keys) {
			return c.Errorf("DeleteObjects: %d deleted, errors %+v", len(out.Deleted), out.Errors)
		}
		left, _, _, err := listAll(ctx, sp, &s3.ListObjectsV2Input{Bucket: b})
		if err != nil {
			return err
		}
		return c.Equal("keys left", len(left), 0)
	})
	r.Step("s3.delete-bucket", func() error {
		if _, err := sp.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b}); err != nil {
			return err
		}
		return s3.NewBucketNotExistsWaiter(sp).Wait(ctx, &s3.HeadBucketInput{Bucket: b}, time.Minute)
	})
}
