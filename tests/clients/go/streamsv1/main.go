// DynamoDB Streams through the AWS SDK for Go v1 (service/dynamodbstreams), run by
// tests/clients/test_go_sdk.py with LOCALAWS_ENDPOINT pointing at localaws.
// Exits non-zero with a message on the first unexpected result.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/dynamodb"
	"github.com/aws/aws-sdk-go/service/dynamodbstreams"
)

func check(err error, what string) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
		os.Exit(1)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	endpoint := os.Getenv("LOCALAWS_ENDPOINT")
	sess := session.Must(session.NewSession(&aws.Config{
		Region:      aws.String("us-east-1"),
		Endpoint:    aws.String(endpoint),
		Credentials: credentials.NewStaticCredentials("test", "test", ""),
		MaxRetries:  aws.Int(0),
	}))
	ddb := dynamodb.New(sess)
	st := dynamodbstreams.New(sess)
	out, err := ddb.CreateTable(&dynamodb.CreateTableInput{
		TableName:            aws.String("go-streams"),
		AttributeDefinitions: []*dynamodb.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: aws.String("S")}},
		KeySchema:            []*dynamodb.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: aws.String("HASH")}},
		BillingMode:          aws.String("PAY_PER_REQUEST"),
		StreamSpecification:  &dynamodb.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: aws.String("NEW_AND_OLD_IMAGES")},
	})
	check(err, "CreateTable")
	arn := out.TableDescription.LatestStreamArn
	for i := 0; i < 5; i++ {
		_, err = ddb.PutItem(&dynamodb.PutItemInput{TableName: aws.String("go-streams"), Item: map[string]*dynamodb.AttributeValue{
			"pk": {S: aws.String(fmt.Sprintf("k%d", i%3))}, "n": {N: aws.String(fmt.Sprint(i))}}})
		check(err, "PutItem")
	}
	ls, err := st.ListStreams(&dynamodbstreams.ListStreamsInput{TableName: aws.String("go-streams")})
	check(err, "ListStreams")
	if len(ls.Streams) != 1 || *ls.Streams[0].StreamArn != *arn {
		fail("ListStreams: %v", ls)
	}
	d, err := st.DescribeStream(&dynamodbstreams.DescribeStreamInput{StreamArn: arn})
	check(err, "DescribeStream")
	var events []string
	for _, sh := range d.StreamDescription.Shards {
		it, err := st.GetShardIterator(&dynamodbstreams.GetShardIteratorInput{StreamArn: arn, ShardId: sh.ShardId,
			ShardIteratorType: aws.String("TRIM_HORIZON")})
		check(err, "GetShardIterator")
		iter := it.ShardIterator
		for iter != nil {
			r, err := st.GetRecords(&dynamodbstreams.GetRecordsInput{ShardIterator: iter, Limit: aws.Int64(2)})
			check(err, "GetRecords")
			for _, rec := range r.Records {
				if rec.Dynamodb.ApproximateCreationDateTime == nil || rec.Dynamodb.SequenceNumber == nil {
					fail("record without time or sequence number: %v", rec)
				}
				events = append(events, *rec.EventName+":"+*rec.Dynamodb.Keys["pk"].S+":"+*rec.Dynamodb.NewImage["n"].N)
			}
			if len(r.Records) == 0 {
				break
			}
			iter = r.NextShardIterator
		}
	}
	want := "[INSERT:k0:0 INSERT:k1:1 INSERT:k2:2 MODIFY:k0:3 MODIFY:k1:4]"
	if fmt.Sprint(events) != want {
		fail("records: got %v, want %s", events, want)
	}
	_, err = st.GetRecords(&dynamodbstreams.GetRecordsInput{ShardIterator: aws.String("bm9wZQ==")})
	if err == nil {
		fail("GetRecords with a bad iterator succeeded")
	}
	fmt.Println("ok", len(events), "records")
}
