//! The structures of the DynamoDB Streams API the mock server reads and
//! writes (target prefix `DynamoDBStreams_20120810`), declared once each as
//! in `shapes.rs`. The streams SDK's attribute values are written with the
//! DynamoDB codec (`crate::wire::attr`): the JSON is the same.

use aws_sdk_dynamodbstreams::types::*;

use crate::streams::{
    DescribeStreamInput, DescribeStreamOutput, GetRecordsInput, GetRecordsOutput, GetShardIteratorInput,
    GetShardIteratorOutput, ListStreamsInput, ListStreamsOutput,
};
use crate::wire::{Encode, enums, shape, written};

enums!(KeyType, OperationType, ShardIteratorType, StreamStatus, StreamViewType);

impl Encode for AttributeValue {
    fn encode(&self, out: &mut Vec<u8>) {
        crate::streams::from_stream_value(self.clone()).encode(out);
    }
}

shape! {
    ListStreamsInput = "ListStreamsInput" try {
        table_name "TableName",
        limit "Limit",
        exclusive_start_stream_arn "ExclusiveStartStreamArn",
    }
    ListStreamsOutput = "ListStreamsOutput" {
        streams "Streams",
        last_evaluated_stream_arn "LastEvaluatedStreamArn",
    }
    Stream = "Stream" {
        stream_arn "StreamArn",
        table_name "TableName",
        stream_label "StreamLabel",
    }
    DescribeStreamInput = "DescribeStreamInput" try {
        stream_arn "StreamArn" req,
        limit "Limit",
        exclusive_start_shard_id "ExclusiveStartShardId",
    }
    DescribeStreamOutput = "DescribeStreamOutput" {
        stream_description "StreamDescription",
    }
    StreamDescription = "StreamDescription" {
        stream_arn "StreamArn",
        stream_label "StreamLabel",
        stream_status "StreamStatus",
        stream_view_type "StreamViewType",
        creation_request_date_time "CreationRequestDateTime",
        table_name "TableName",
        key_schema "KeySchema",
        shards "Shards",
        last_evaluated_shard_id "LastEvaluatedShardId",
    }
    KeySchemaElement = "KeySchemaElement" try {
        attribute_name "AttributeName" req,
        key_type "KeyType" req,
    }
    Shard = "Shard" {
        shard_id "ShardId",
        sequence_number_range "SequenceNumberRange",
        parent_shard_id "ParentShardId",
    }
    SequenceNumberRange = "SequenceNumberRange" {
        starting_sequence_number "StartingSequenceNumber",
        ending_sequence_number "EndingSequenceNumber",
    }
    GetShardIteratorInput = "GetShardIteratorInput" try {
        stream_arn "StreamArn" req,
        shard_id "ShardId" req,
        shard_iterator_type "ShardIteratorType" req,
        sequence_number "SequenceNumber",
    }
    GetShardIteratorOutput = "GetShardIteratorOutput" {
        shard_iterator "ShardIterator",
    }
    GetRecordsInput = "GetRecordsInput" try {
        shard_iterator "ShardIterator" req,
        limit "Limit",
    }
}

// Written only: no request holds a record.
written! {
    GetRecordsOutput {
        records "Records",
        next_shard_iterator "NextShardIterator",
    }
    Record {
        event_id "eventID",
        event_name "eventName",
        event_version "eventVersion",
        event_source "eventSource",
        aws_region "awsRegion",
        dynamodb "dynamodb",
        user_identity "userIdentity",
    }
    StreamRecord {
        approximate_creation_date_time "ApproximateCreationDateTime",
        keys "Keys",
        new_image "NewImage",
        old_image "OldImage",
        sequence_number "SequenceNumber",
        size_bytes "SizeBytes",
        stream_view_type "StreamViewType",
    }
    Identity {
        principal_id "PrincipalId",
        r#type "Type",
    }
}
