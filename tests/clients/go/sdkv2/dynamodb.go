package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	c "localaws.test/common"
)

type av = types.AttributeValue

func key(pk string, sk int) map[string]av {
	return map[string]av{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberN{Value: fmt.Sprint(sk)}}
}

func str(s string) av { return &types.AttributeValueMemberS{Value: s} }

func sOf(item map[string]av, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// crcCounter counts responses with and without X-Amz-Crc32, seen below the SDK's own CRC32
// check (which silently skips responses without the header).
type crcCounter struct{ with, without, gzipped int64 }

func (k *crcCounter) option(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("CountCRC32Header",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Response != nil && resp.StatusCode != 0 {
					if resp.Header.Get("Content-Encoding") == "gzip" {
						atomic.AddInt64(&k.gzipped, 1)
					}
					if resp.Header.Get("X-Amz-Crc32") != "" {
						atomic.AddInt64(&k.with, 1)
					} else {
						atomic.AddInt64(&k.without, 1)
					}
				}
				return out, md, err
			}), middleware.After)
	})
}

func runDynamoDB(ctx context.Context, r *c.Runner, cfg aws.Config, endpoint string) {
	var crc crcCounter
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.EndpointResolver = dynamodb.EndpointResolverFromURL(endpoint) }, crc.option)
	// A second client that asks for gzip responses (off by default in this SDK).
	var gzCRC crcCounter
	gz := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.EndpointResolver = dynamodb.EndpointResolverFromURL(endpoint)
		o.EnableAcceptEncodingGzip = true
	}, gzCRC.option)
	table := "go_v2_orders_" + c.Suffix()
	tbl := aws.String(table)

	r.Step("ddb.create-table", func() error {
		_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:   tbl,
			BillingMode: types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{
				{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
				{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
				{AttributeName: aws.String("status"), AttributeType: types.ScalarAttributeTypeS},
			},
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
			},
			GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
				IndexName: aws.String("by_status"),
				KeySchema: []types.KeySchemaElement{
					{AttributeName: aws.String("status"), KeyType: types.KeyTypeHash},
					{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
				},
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
			}},
		})
		return err
	})
	r.Step("ddb.wait-table-exists", func() error {
		out, err := dynamodb.NewTableExistsWaiter(db).WaitForOutput(ctx, &dynamodb.DescribeTableInput{TableName: tbl}, 2*time.Minute)
		if err != nil {
			return err
		}
		if len(out.Table.GlobalSecondaryIndexes) != 1 || aws.ToString(out.Table.GlobalSecondaryIndexes[0].IndexName) != "by_status" {
			return c.Errorf("GlobalSecondaryIndexes %+v", out.Table.GlobalSecondaryIndexes)
		}
		return c.Equal("TableStatus", out.Table.TableStatus, types.TableStatusActive)
	})
	r.Step("ddb.list-tables-paginator", func() error {
		p := dynamodb.NewListTablesPaginator(db, &dynamodb.ListTablesInput{})
		for i := 0; p.HasMorePages() && i < 100; i++ {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, n := range page.TableNames {
				if n == table {
					return nil
				}
			}
		}
		return c.Errorf("table %s not listed", table)
	})

	first := c.Order{PK: "cust-0", SK: 1, Status: "open", Total: 12.5, Tags: []string{"gift", "rush"},
		Lines: []c.Line{{SKU: "A-1", Qty: 2}, {SKU: "B-7", Qty: 1}}, Meta: map[string]string{"source": "web", "coupon": ""},
		Blob: []byte{0, 1, 2, 250}, Paid: false, Note: "leave at the door", Count: 1}
	r.Step("ddb.put-item", func() error {
		item, err := attributevalue.MarshalMap(first)
		if err != nil {
			return err
		}
		_, err = db.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: item})
		return err
	})
	r.Step("ddb.get-item", func() error {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: tbl, Key: key("cust-0", 1), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return err
		}
		var got c.Order
		if err := attributevalue.UnmarshalMap(out.Item, &got); err != nil {
			return err
		}
		sort.Strings(got.Tags)
		if !c.Same(got, first) {
			return c.Errorf("item read back as %+v, want %+v", got, first)
		}
		return nil
	})
	r.Step("ddb.conditional-put-fails", func() error {
		item, _ := attributevalue.MarshalMap(first)
		_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")})
		var ccf *types.ConditionalCheckFailedException
		if !errors.As(err, &ccf) {
			return c.Errorf("PutItem attribute_not_exists on an existing item: %v, want ConditionalCheckFailedException", err)
		}
		return nil
	})
	r.Step("ddb.update-item-expression", func() error {
		upd := expression.Set(expression.Name("status"), expression.Value("shipped")).
			Set(expression.Name("total"), expression.Name("total").Plus(expression.Value(2.25))).
			Set(expression.Name("paid"), expression.Value(true)).
			Add(expression.Name("count"), expression.Value(1)).
			Remove(expression.Name("note"))
		expr, err := expression.NewBuilder().WithUpdate(upd).
			WithCondition(expression.Name("status").Equal(expression.Value("open"))).Build()
		if err != nil {
			return err
		}
		out, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: key("cust-0", 1),
			UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ReturnValues: types.ReturnValueAllNew})
		if err != nil {
			return err
		}
		var got c.Order
		if err := attributevalue.UnmarshalMap(out.Attributes, &got); err != nil {
			return err
		}
		sort.Strings(got.Tags)
		want := first
		want.Status, want.Total, want.Paid, want.Count, want.Note = "shipped", 14.75, true, 2, ""
		if !c.Same(got, want) {
			return c.Errorf("ALL_NEW %+v, want %+v", got, want)
		}
		return nil
	})
	r.Step("ddb.conditional-update-fails", func() error {
		_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: key("cust-0", 1),
			UpdateExpression: aws.String("SET #t = :z"), ConditionExpression: aws.String("#s = :open"),
			ExpressionAttributeNames:  map[string]string{"#s": "status", "#t": "total"},
			ExpressionAttributeValues: map[string]av{":z": &types.AttributeValueMemberN{Value: "0"}, ":open": str("open")}})
		return expectCode("UpdateItem with a false condition", err, "ConditionalCheckFailedException")
	})

	all := c.Orders()
	r.Step("ddb.batch-write", func() error {
		for start := 0; start < len(all); start += 25 {
			end := start + 25
			if end > len(all) {
				end = len(all)
			}
			var reqs []types.WriteRequest
			for _, o := range all[start:end] {
				item, err := attributevalue.MarshalMap(o)
				if err != nil {
					return err
				}
				reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
			}
			pending := map[string][]types.WriteRequest{table: reqs}
			for attempt := 0; len(pending) > 0; attempt++ {
				if attempt == 5 {
					return c.Errorf("items still unprocessed after 5 attempts")
				}
				out, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
				if err != nil {
					return err
				}
				pending = out.UnprocessedItems
			}
		}
		return nil
	})
	r.Step("ddb.query-paginator", func() error {
		p := dynamodb.NewQueryPaginator(db, &dynamodb.QueryInput{TableName: tbl, KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]av{":p": str("cust-A")}, Limit: aws.Int32(7)})
		var got []c.Order
		pages := 0
		for p.HasMorePages() && pages < 100 {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			var items []c.Order
			if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
				return err
			}
			got = append(got, items...)
			pages++
		}
		if err := c.Equal("pages", pages, 5); err != nil {
			return err
		}
		if !c.Same(got, all[:31]) {
			return c.Errorf("query returned %d items, want the 31 of cust-A in sort-key order", len(got))
		}
		return nil
	})
	r.Step("ddb.query-gsi-paginator", func() error {
		keyCond := expression.Key("status").Equal(expression.Value("shipped"))
		expr, err := expression.NewBuilder().WithKeyCondition(keyCond).Build()
		if err != nil {
			return err
		}
		p := dynamodb.NewQueryPaginator(db, &dynamodb.QueryInput{TableName: tbl, IndexName: aws.String("by_status"),
			KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
			Limit: aws.Int32(5)})
		count, pages := 0, 0
		for p.HasMorePages() && pages < 100 {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			count += len(page.Items)
			pages++
		}
		if err := c.Equal("items", count, 16); err != nil {
			return err
		}
		return c.Equal("pages", pages, 4)
	})
	r.Step("ddb.scan-paginator", func() error {
		p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: tbl, Limit: aws.Int32(10)})
		seen := map[string]bool{}
		n, pages := 0, 0
		for p.HasMorePages() && pages < 100 {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			var items []c.Order
			if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
				return err
			}
			for _, o := range items {
				seen[fmt.Sprintf("%s/%d", o.PK, o.SK)] = true
			}
			n += len(items)
			pages++
		}
		if n != len(all)+1 || len(seen) != n {
			return c.Errorf("scan returned %d items (%d distinct), want %d", n, len(seen), len(all)+1)
		}
		return c.Equal("pages", pages, 5)
	})
	r.Step("ddb.scan-filter-paginator", func() error {
		p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: tbl, Limit: aws.Int32(10), FilterExpression: aws.String("#s = :s"),
			ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]av{":s": str("shipped")}})
		count, scanned, pages := 0, 0, 0
		for p.HasMorePages() && pages < 100 {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			count += int(page.Count)
			scanned += int(page.ScannedCount)
			pages++
		}
		if count != 16 || scanned != len(all)+1 {
			return c.Errorf("Count %d, ScannedCount %d; want 16, %d", count, scanned, len(all)+1)
		}
		return c.Equal("pages (Limit counts items read, not returned)", pages, 5)
	})
	r.Step("ddb.scan-gzip", func() error {
		out, err := gz.Scan(ctx, &dynamodb.ScanInput{TableName: tbl})
		if err != nil {
			return err
		}
		if gzCRC.gzipped == 0 {
			return c.Errorf("a %d-item Scan with Accept-Encoding: gzip was not compressed", out.Count)
		}
		if int(out.Count) != len(all)+1 {
			return c.Errorf("gzip scan: %d items, want %d", out.Count, len(all)+1)
		}
		var items []c.Order
		return attributevalue.UnmarshalListOfMaps(out.Items, &items)
	})
	r.Step("ddb.batch-get", func() error {
		keys := []map[string]av{key("cust-A", 999)}
		for i := 1; i <= 10; i++ {
			keys = append(keys, key("cust-B", i))
		}
		pending := map[string]types.KeysAndAttributes{table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
		var got []c.Order
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt == 5 {
				return c.Errorf("keys still unprocessed after 5 attempts")
			}
			out, err := db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				return err
			}
			var items []c.Order
			if err := attributevalue.UnmarshalListOfMaps(out.Responses[table], &items); err != nil {
				return err
			}
			got = append(got, items...)
			pending = out.UnprocessedKeys
		}
		sort.Slice(got, func(i, j int) bool { return got[i].SK < got[j].SK })
		if !c.Same(got, all[31:41]) {
			return c.Errorf("BatchGetItem returned %+v", got)
		}
		return nil
	})
	r.Step("ddb.transact-write", func() error {
		newItem, _ := attributevalue.MarshalMap(c.Order{PK: "cust-C", SK: 1, Status: "open"})
		_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String("go-v2-tx-" + table), TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: tbl, Item: newItem, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
			{Update: &types.Update{TableName: tbl, Key: key("cust-A", 1), UpdateExpression: aws.String("SET #s = :s"),
				ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]av{":s": str("returned")}}},
			{ConditionCheck: &types.ConditionCheck{TableName: tbl, Key: key("cust-A", 2), ConditionExpression: aws.String("attribute_exists(pk)")}},
			{Delete: &types.Delete{TableName: tbl, Key: key("cust-B", 16)}},
		}})
		if err != nil {
			return err
		}
		out, err := db.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
			{Get: &types.Get{TableName: tbl, Key: key("cust-C", 1)}},
			{Get: &types.Get{TableName: tbl, Key: key("cust-A", 1)}},
			{Get: &types.Get{TableName: tbl, Key: key("cust-B", 16)}},
		}})
		if err != nil {
			return err
		}
		if len(out.Responses) != 3 || out.Responses[0].Item == nil || out.Responses[2].Item != nil {
			return c.Errorf("TransactGetItems after the transaction: %+v", out.Responses)
		}
		return c.Equal("cust-A/1 status", sOf(out.Responses[1].Item, "status"), "returned")
	})
	r.Step("ddb.transact-write-cancelled", func() error {
		newItem, _ := attributevalue.MarshalMap(c.Order{PK: "cust-C", SK: 2, Status: "open"})
		_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: tbl, Item: newItem}},
			{ConditionCheck: &types.ConditionCheck{TableName: tbl, Key: key("cust-A", 3), ConditionExpression: aws.String("#s = :s"),
				ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]av{":s": str("open")},
				ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
			{Delete: &types.Delete{TableName: tbl, Key: key("cust-A", 4)}},
		}})
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			return c.Errorf("TransactWriteItems with a false condition: %v, want TransactionCanceledException", err)
		}
		var codes []string
		for _, reason := range tce.CancellationReasons {
			codes = append(codes, aws.ToString(reason.Code))
		}
		if err := c.Equal("CancellationReasons", strings.Join(codes, ","), "None,ConditionalCheckFailed,None"); err != nil {
			return err
		}
		if old := tce.CancellationReasons[1].Item; sOf(old, "status") != "shipped" {
			return c.Errorf("ALL_OLD item of the failed check: %+v", old)
		}
		out, err := db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
			table: {Keys: []map[string]av{key("cust-C", 2), key("cust-A", 4)}, ConsistentRead: aws.Bool(true)}}})
		if err != nil {
			return err
		}
		if len(out.Responses[table]) != 1 || sOf(out.Responses[table][0], "pk") != "cust-A" {
			return c.Errorf("after the cancelled transaction: %+v (want only cust-A/4)", out.Responses[table])
		}
		return nil
	})
	r.Step("ddb.delete-item", func() error {
		out, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: tbl, Key: key("cust-A", 31), ReturnValues: types.ReturnValueAllOld})
		if err != nil {
			return err
		}
		var old c.Order
		if err := attributevalue.UnmarshalMap(out.Attributes, &old); err != nil {
			return err
		}
		if !c.Same(old, all[30]) {
			return c.Errorf("ALL_OLD %+v, want %+v", old, all[30])
		}
		return nil
	})
	r.Step("ddb.errors", func() error {
		_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table + "_missing"), Key: key("x", 1)})
		var rnf *types.ResourceNotFoundException
		if !errors.As(err, &rnf) {
			return c.Errorf("GetItem on a missing table: %v, want ResourceNotFoundException", err)
		}
		_, err = db.GetItem(ctx, &dynamodb.GetItemInput{TableName: tbl, Key: map[string]av{"pk": str("x")}})
		return expectCode("GetItem without the sort key", err, "ValidationException")
	})
	r.Step("ddb.delete-table", func() error {
		if _, err := db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: tbl}); err != nil {
			return err
		}
		return dynamodb.NewTableNotExistsWaiter(db).Wait(ctx, &dynamodb.DescribeTableInput{TableName: tbl}, 2*time.Minute)
	})
	r.Step("ddb.crc32-checked", func() error {
		if crc.without != 0 || crc.with == 0 || gzCRC.without != 0 || gzCRC.with == 0 {
			return c.Errorf("X-Amz-Crc32 missing: %d/%d responses without it (gzip client %d/%d)",
				crc.without, crc.with+crc.without, gzCRC.without, gzCRC.with+gzCRC.without)
		}
		return nil
	})
}
