package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/request"
	"github.com/aws/aws-sdk-go/service/dynamodb"
	"github.com/aws/aws-sdk-go/service/dynamodb/dynamodbattribute"

	c "localaws.test/common"
)

func key(pk string, sk int) map[string]*dynamodb.AttributeValue {
	return map[string]*dynamodb.AttributeValue{"pk": {S: aws.String(pk)}, "sk": {N: aws.String(fmt.Sprint(sk))}}
}

func runDynamoDB(r *c.Runner, endpoint string) {
	db := dynamodb.New(newSession(endpoint, true))
	// The SDK checks X-Amz-Crc32 on every response that has one (service/dynamodb/customizations.go)
	// and silently skips responses without it: count both, so the check provably ran.
	var withCRC, withoutCRC int64
	db.Handlers.Unmarshal.PushFront(func(req *request.Request) {
		if req.HTTPResponse.Header.Get("X-Amz-Crc32") != "" {
			atomic.AddInt64(&withCRC, 1)
		} else {
			atomic.AddInt64(&withoutCRC, 1)
		}
	})
	db.Handlers.UnmarshalError.PushFront(func(req *request.Request) {
		if req.HTTPResponse.Header.Get("X-Amz-Crc32") == "" {
			atomic.AddInt64(&withoutCRC, 1)
		}
	})
	table := "go_v1_orders_" + c.Suffix()
	tbl := aws.String(table)

	r.Step("ddb.create-table", func() error {
		out, err := db.CreateTable(&dynamodb.CreateTableInput{
			TableName:   tbl,
			BillingMode: aws.String(dynamodb.BillingModePayPerRequest),
			AttributeDefinitions: []*dynamodb.AttributeDefinition{
				{AttributeName: aws.String("pk"), AttributeType: aws.String("S")},
				{AttributeName: aws.String("sk"), AttributeType: aws.String("N")},
				{AttributeName: aws.String("status"), AttributeType: aws.String("S")},
			},
			KeySchema: []*dynamodb.KeySchemaElement{
				{AttributeName: aws.String("pk"), KeyType: aws.String("HASH")},
				{AttributeName: aws.String("sk"), KeyType: aws.String("RANGE")},
			},
			GlobalSecondaryIndexes: []*dynamodb.GlobalSecondaryIndex{{
				IndexName: aws.String("by_status"),
				KeySchema: []*dynamodb.KeySchemaElement{
					{AttributeName: aws.String("status"), KeyType: aws.String("HASH")},
					{AttributeName: aws.String("sk"), KeyType: aws.String("RANGE")},
				},
				Projection: &dynamodb.Projection{ProjectionType: aws.String("ALL")},
			}},
		})
		if err != nil {
			return err
		}
		return c.Equal("TableName", aws.StringValue(out.TableDescription.TableName), table)
	})
	r.Step("ddb.wait-table-exists", func() error {
		return db.WaitUntilTableExists(&dynamodb.DescribeTableInput{TableName: tbl})
	})
	r.Step("ddb.describe-table", func() error {
		out, err := db.DescribeTable(&dynamodb.DescribeTableInput{TableName: tbl})
		if err != nil {
			return err
		}
		t := out.Table
		if err := c.Equal("TableStatus", aws.StringValue(t.TableStatus), "ACTIVE"); err != nil {
			return err
		}
		if len(t.GlobalSecondaryIndexes) != 1 || aws.StringValue(t.GlobalSecondaryIndexes[0].IndexName) != "by_status" {
			return c.Errorf("GlobalSecondaryIndexes %v", t.GlobalSecondaryIndexes)
		}
		return c.Equal("BillingMode", aws.StringValue(t.BillingModeSummary.BillingMode), dynamodb.BillingModePayPerRequest)
	})
	r.Step("ddb.list-tables", func() error {
		var names []string
		err := db.ListTablesPages(&dynamodb.ListTablesInput{}, func(p *dynamodb.ListTablesOutput, last bool) bool {
			names = append(names, aws.StringValueSlice(p.TableNames)...)
			return len(names) < 10000
		})
		if err != nil {
			return err
		}
		for _, n := range names {
			if n == table {
				return nil
			}
		}
		return c.Errorf("table %s not in %v", table, names)
	})

	first := c.Order{PK: "cust-0", SK: 1, Status: "open", Total: 12.5, Tags: []string{"gift", "rush"},
		Lines: []c.Line{{SKU: "A-1", Qty: 2}, {SKU: "B-7", Qty: 1}}, Meta: map[string]string{"source": "web", "coupon": ""},
		Blob: []byte{0, 1, 2, 250}, Paid: false, Note: "leave at the door", Count: 1}
	r.Step("ddb.put-item", func() error {
		item, err := dynamodbattribute.MarshalMap(first)
		if err != nil {
			return err
		}
		_, err = db.PutItem(&dynamodb.PutItemInput{TableName: tbl, Item: item})
		return err
	})
	r.Step("ddb.get-item", func() error {
		out, err := db.GetItem(&dynamodb.GetItemInput{TableName: tbl, Key: key("cust-0", 1), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return err
		}
		var got c.Order
		if err := dynamodbattribute.UnmarshalMap(out.Item, &got); err != nil {
			return err
		}
		sort.Strings(got.Tags)
		if !c.Same(got, first) {
			return c.Errorf("item read back as %+v, want %+v", got, first)
		}
		return nil
	})
	r.Step("ddb.conditional-put-fails", func() error {
		item, _ := dynamodbattribute.MarshalMap(first)
		_, err := db.PutItem(&dynamodb.PutItemInput{TableName: tbl, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")})
		return expectCode("PutItem attribute_not_exists on an existing item", err, dynamodb.ErrCodeConditionalCheckFailedException)
	})
	r.Step("ddb.update-item", func() error {
		out, err := db.UpdateItem(&dynamodb.UpdateItemInput{TableName: tbl, Key: key("cust-0", 1),
			UpdateExpression:          aws.String("SET #s = :s, #t = #t + :d, paid = :t ADD #c :one, tags :tag REMOVE note"),
			ConditionExpression:       aws.String("#s = :open"),
			ExpressionAttributeNames:  map[string]*string{"#s": aws.String("status"), "#c": aws.String("count"), "#t": aws.String("total")},
			ExpressionAttributeValues: map[string]*dynamodb.AttributeValue{":s": {S: aws.String("shipped")}, ":d": {N: aws.String("2.25")}, ":t": {BOOL: aws.Bool(true)}, ":one": {N: aws.String("1")}, ":open": {S: aws.String("open")}, ":tag": {SS: aws.StringSlice([]string{"fragile"})}},
			ReturnValues:              aws.String(dynamodb.ReturnValueAllNew)})
		if err != nil {
			return err
		}
		var got c.Order
		if err := dynamodbattribute.UnmarshalMap(out.Attributes, &got); err != nil {
			return err
		}
		sort.Strings(got.Tags)
		want := first
		want.Status, want.Total, want.Paid, want.Count, want.Note, want.Tags = "shipped", 14.75, true, 2, "", []string{"fragile", "gift", "rush"}
		if !c.Same(got, want) {
			return c.Errorf("ALL_NEW %+v, want %+v", got, want)
		}
		return nil
	})
	r.Step("ddb.conditional-update-fails", func() error {
		_, err := db.UpdateItem(&dynamodb.UpdateItemInput{TableName: tbl, Key: key("cust-0", 1),
			UpdateExpression: aws.String("SET #t = :z"), ConditionExpression: aws.String("#s = :open"),
			ExpressionAttributeNames:  map[string]*string{"#s": aws.String("status"), "#t": aws.String("total")},
			ExpressionAttributeValues: map[string]*dynamodb.AttributeValue{":z": {N: aws.String("0")}, ":open": {S: aws.String("open")}}})
		return expectCode("UpdateItem with a false condition", err, dynamodb.ErrCodeConditionalCheckFailedException)
	})

	all := c.Orders() // 31 for cust-A, 16 for cust-B, written 25 at a time
	r.Step("ddb.batch-write", func() error {
		for start := 0; start < len(all); start += 25 {
			end := start + 25
			if end > len(all) {
				end = len(all)
			}
			var reqs []*dynamodb.WriteRequest
			for _, o := range all[start:end] {
				item, err := dynamodbattribute.MarshalMap(o)
				if err != nil {
					return err
				}
				reqs = append(reqs, &dynamodb.WriteRequest{PutRequest: &dynamodb.PutRequest{Item: item}})
			}
			pending := map[string][]*dynamodb.WriteRequest{table: reqs}
			for attempt := 0; len(pending) > 0; attempt++ {
				if attempt == 5 {
					return c.Errorf("items still unprocessed after 5 attempts")
				}
				out, err := db.BatchWriteItem(&dynamodb.BatchWriteItemInput{RequestItems: pending})
				if err != nil {
					return err
				}
				pending = out.UnprocessedItems
			}
		}
		return nil
	})
	r.Step("ddb.query-pages", func() error {
		var got []c.Order
		pages := 0
		var uerr error
		err := db.QueryPages(&dynamodb.QueryInput{TableName: tbl, KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]*dynamodb.AttributeValue{":p": {S: aws.String("cust-A")}}, Limit: aws.Int64(7)},
			func(p *dynamodb.QueryOutput, last bool) bool {
				pages++
				var items []c.Order
				if uerr = dynamodbattribute.UnmarshalListOfMaps(p.Items, &items); uerr != nil {
					return false
				}
				if int(aws.Int64Value(p.Count)) != len(p.Items) {
					uerr = c.Errorf("Count %d for %d items", aws.Int64Value(p.Count), len(p.Items))
					return false
				}
				got = append(got, items...)
				return pages < 100
			})
		if err != nil {
			return err
		}
		if uerr != nil {
			return uerr
		}
		if err := c.Equal("pages", pages, 5); err != nil {
			return err
		}
		if !c.Same(got, all[:31]) {
			return c.Errorf("query returned %d items %+v..., want the 31 of cust-A in sort-key order", len(got), got[:1])
		}
		return nil
	})
	r.Step("ddb.query-desc-range", func() error {
		out, err := db.Query(&dynamodb.QueryInput{TableName: tbl, KeyConditionExpression: aws.String("pk = :p AND sk BETWEEN :a AND :b"),
			ExpressionAttributeValues: map[string]*dynamodb.AttributeValue{":p": {S: aws.String("cust-B")}, ":a": {N: aws.String("5")}, ":b": {N: aws.String("9")}},
			ScanIndexForward:          aws.Bool(false), ProjectionExpression: aws.String("sk")})
		if err != nil {
			return err
		}
		var sks []struct {
			SK int `dynamodbav:"sk"`
		}
		if err := dynamodbattribute.UnmarshalListOfMaps(out.Items, &sks); err != nil {
			return err
		}
		return c.Equal("sort keys", fmt.Sprint(sks), "[{9} {8} {7} {6} {5}]")
	})
	r.Step("ddb.query-gsi-pages", func() error {
		count, pages := 0, 0
		err := db.QueryPages(&dynamodb.QueryInput{TableName: tbl, IndexName: aws.String("by_status"), KeyConditionExpression: aws.String("#s = :s"),
			ExpressionAttributeNames: map[string]*string{"#s": aws.String("status")}, Limit: aws.Int64(5),
			ExpressionAttributeValues: map[string]*dynamodb.AttributeValue{":s": {S: aws.String("shipped")}}},
			func(p *dynamodb.QueryOutput, last bool) bool {
				count += len(p.Items)
				pages++
				return pages < 100
			})
		if err != nil {
			return err
		}
		// shipped: cust-0/1 plus every third sort key of cust-A (10) and cust-B (5).
		if err := c.Equal("items", count, 16); err != nil {
			return err
		}
		return c.Equal("pages", pages, 4) // 5+5+5+1
	})
	r.Step("ddb.scan-pages", func() error {
		var got []c.Order
		pages := 0
		var uerr error
		err := db.ScanPages(&dynamodb.ScanInput{TableName: tbl, Limit: aws.Int64(10)}, func(p *dynamodb.ScanOutput, last bool) bool {
			pages++
			var items []c.Order
			if uerr = dynamodbattribute.UnmarshalListOfMaps(p.Items, &items); uerr != nil {
				return false
			}
			got = append(got, items...)
			return pages < 100
		})
		if err != nil {
			return err
		}
		if uerr != nil {
			return uerr
		}
		if err := c.Equal("items", len(got), len(all)+1); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, o := range got {
			seen[fmt.Sprintf("%s/%d", o.PK, o.SK)] = true
		}
		if len(seen) != len(all)+1 {
			return c.Errorf("scan returned duplicates: %d distinct of %d", len(seen), len(got))
		}
		return c.Equal("pages", pages, 5)
	})
	r.Step("ddb.scan-filter-pages", func() error {
		count, scanned, pages := 0, 0, 0
		err := db.ScanPages(&dynamodb.ScanInput{TableName: tbl, Limit: aws.Int64(10), FilterExpression: aws.String("#s = :s"),
			ExpressionAttributeNames:  map[string]*string{"#s": aws.String("status")},
			ExpressionAttributeValues: map[string]*dynamodb.AttributeValue{":s": {S: aws.String("shipped")}}},
			func(p *dynamodb.ScanOutput, last bool) bool {
				count += len(p.Items)
				scanned += int(aws.Int64Value(p.ScannedCount))
				pages++
				return pages < 100
			})
		if err != nil {
			return err
		}
		if err := c.Equal("items", count, 16); err != nil {
			return err
		}
		if err := c.Equal("ScannedCount", scanned, len(all)+1); err != nil {
			return err
		}
		return c.Equal("pages (Limit counts items read, not returned)", pages, 5)
	})
	r.Step("ddb.batch-get", func() error {
		keys := []map[string]*dynamodb.AttributeValue{key("cust-A", 999)}
		for i := 1; i <= 10; i++ {
			keys = append(keys, key("cust-B", i))
		}
		pending := map[string]*dynamodb.KeysAndAttributes{table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
		var got []c.Order
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt == 5 {
				return c.Errorf("keys still unprocessed after 5 attempts")
			}
			out, err := db.BatchGetItem(&dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				return err
			}
			var items []c.Order
			if err := dynamodbattribute.UnmarshalListOfMaps(out.Responses[table], &items); err != nil {
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
		newItem, _ := dynamodbattribute.MarshalMap(c.Order{PK: "cust-C", SK: 1, Status: "open", Lines: []c.Line{}, Meta: map[string]string{}})
		_, err := db.TransactWriteItems(&dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String("go-v1-tx-" + table), TransactItems: []*dynamodb.TransactWriteItem{
			{Put: &dynamodb.Put{TableName: tbl, Item: newItem, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
			{Update: &dynamodb.Update{TableName: tbl, Key: key("cust-A", 1), UpdateExpression: aws.String("SET #s = :s"),
				ExpressionAttributeNames: map[string]*string{"#s": aws.String("status")}, ExpressionAttributeValues: map[string]*dynamodb.AttributeValue{":s": {S: aws.String("returned")}}}},
			{ConditionCheck: &dynamodb.ConditionCheck{TableName: tbl, Key: key("cust-A", 2), ConditionExpression: aws.String("attribute_exists(pk)")}},
			{Delete: &dynamodb.Delete{TableName: tbl, Key: key("cust-B", 16)}},
		}})
		if err != nil {
			return err
		}
		out, err := db.TransactGetItems(&dynamodb.TransactGetItemsInput{TransactItems: []*dynamodb.TransactGetItem{
			{Get: &dynamodb.Get{TableName: tbl, Key: key("cust-C", 1)}},
			{Get: &dynamodb.Get{TableName: tbl, Key: key("cust-A", 1)}},
			{Get: &dynamodb.Get{TableName: tbl, Key: key("cust-B", 16)}},
		}})
		if err != nil {
			return err
		}
		if len(out.Responses) != 3 || out.Responses[0].Item == nil || out.Responses[2].Item != nil {
			return c.Errorf("TransactGetItems after the transaction: %v", out.Responses)
		}
		return c.Equal("cust-A/1 status", aws.StringValue(out.Responses[1].Item["status"].S), "returned")
	})
	r.Step("ddb.transact-write-cancelled", func() error {
		newItem, _ := dynamodbattribute.MarshalMap(c.Order{PK: "cust-C", SK: 2, Status: "open", Lines: []c.Line{}, Meta: map[string]string{}})
		_, err := db.TransactWriteItems(&dynamodb.TransactWriteItemsInput{TransactItems: []*dynamodb.TransactWriteItem{
			{Put: &dynamodb.Put{TableName: tbl, Item: newItem}},
			{ConditionCheck: &dynamodb.ConditionCheck{TableName: tbl, Key: key("cust-A", 3), ConditionExpression: aws.String("#s = :s"),
				ExpressionAttributeNames: map[string]*string{"#s": aws.String("status")}, ExpressionAttributeValues: map[string]*dynamodb.AttributeValue{":s": {S: aws.String("open")}},
				ReturnValuesOnConditionCheckFailure: aws.String(dynamodb.ReturnValuesOnConditionCheckFailureAllOld)}},
			{Delete: &dynamodb.Delete{TableName: tbl, Key: key("cust-A", 4)}},
		}})
		if err := expectCode("TransactWriteItems with a false condition", err, dynamodb.ErrCodeTransactionCanceledException); err != nil {
			return err
		}
		var tce *dynamodb.TransactionCanceledException
		if !errors.As(err, &tce) {
			return c.Errorf("error %T is not a *dynamodb.TransactionCanceledException", err)
		}
		var codes []string
		for _, reason := range tce.CancellationReasons {
			codes = append(codes, aws.StringValue(reason.Code))
		}
		if err := c.Equal("CancellationReasons", strings.Join(codes, ","), "None,ConditionalCheckFailed,None"); err != nil {
			return err
		}
		if old := tce.CancellationReasons[1].Item; old == nil || aws.StringValue(old["status"].S) != "shipped" {
			return c.Errorf("ALL_OLD item of the failed check: %v", old)
		}
		out, err := db.BatchGetItem(&dynamodb.BatchGetItemInput{RequestItems: map[string]*dynamodb.KeysAndAttributes{
			table: {Keys: []map[string]*dynamodb.AttributeValue{key("cust-C", 2), key("cust-A", 4)}, ConsistentRead: aws.Bool(true)}}})
		if err != nil {
			return err
		}
		if len(out.Responses[table]) != 1 || aws.StringValue(out.Responses[table][0]["pk"].S) != "cust-A" {
			return c.Errorf("after the cancelled transaction: %v (want only cust-A/4)", out.Responses[table])
		}
		return nil
	})
	r.Step("ddb.delete-item", func() error {
		out, err := db.DeleteItem(&dynamodb.DeleteItemInput{TableName: tbl, Key: key("cust-A", 31), ReturnValues: aws.String(dynamodb.ReturnValueAllOld)})
		if err != nil {
			return err
		}
		var old c.Order
		if err := dynamodbattribute.UnmarshalMap(out.Attributes, &old); err != nil {
			return err
		}
		if !c.Same(old, all[30]) {
			return c.Errorf("ALL_OLD %+v, want %+v", old, all[30])
		}
		got, err := db.GetItem(&dynamodb.GetItemInput{TableName: tbl, Key: key("cust-A", 31), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return err
		}
		if got.Item != nil {
			return c.Errorf("item still there: %v", got.Item)
		}
		return nil
	})
	r.Step("ddb.errors", func() error {
		_, err := db.GetItem(&dynamodb.GetItemInput{TableName: aws.String(table + "_missing"), Key: key("x", 1)})
		if err := expectCode("GetItem on a missing table", err, dynamodb.ErrCodeResourceNotFoundException); err != nil {
			return err
		}
		_, err = db.GetItem(&dynamodb.GetItemInput{TableName: tbl, Key: map[string]*dynamodb.AttributeValue{"pk": {S: aws.String("x")}}})
		return expectCode("GetItem without the sort key", err, "ValidationException")
	})
	r.Step("ddb.delete-table", func() error {
		if _, err := db.DeleteTable(&dynamodb.DeleteTableInput{TableName: tbl}); err != nil {
			return err
		}
		return db.WaitUntilTableNotExists(&dynamodb.DescribeTableInput{TableName: tbl})
	})
	r.Step("ddb.crc32-checked", func() error {
		if withoutCRC != 0 || withCRC == 0 {
			return c.Errorf("%d responses without X-Amz-Crc32, %d with", withoutCRC, withCRC)
		}
		return nil
	})
}
