//! The structures of the DynamoDB Streams API the mock server reads and
//! writes (target prefix `DynamoDBStreams_20120810`), declared once each as
//! in `shapes.rs`. The streams SDK's attribute values are written with the
//! DynamoDB codec (`crate::wire::attr`): the JSON is the same.

use aws_sdk_dynamodbstreams::types::*;

use crate::streams::{
    DescribeStreamInput, DescribeStreamOutput, GetRecordsInput, GetRecordsOutput, GetShardIteratorInput,
    GetShardIteratorOutput, ListStreamsInput, ListStreamsOutput,
};
use crate::wire::{Encode, enums, shape};

enums!(KeyType, OperationType, ShardIteratorType, StreamStatus, StreamViewType);

impl Encode for AttributeValue {
    fn encode(&self, out: &mut Vec<u8>) {
        crate::streams::from_stream_value(self.clone()).encode(out);
    }
}

impl Encode for Identity {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        let mut first = true;
        if let Some(p) = &self.principal_id {
            crate::wire::write_member(out, &mut first, "PrincipalId");
            p.encode(out);
        }
        if let Some(t) = &self.r#type {
            crate::wire::write_member(out, &mut first, "Type");
            t.encode(out);
        }
        out.push(b'}');
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

/// GetRecords' answer (written only, as the records in it).
impl Encode for GetRecordsOutput {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        let mut first = true;
        if let Some(v) = &self.records {
            crate::wire::write_member(out, &mut first, "Records");
            v.encode(out);
        }
        if let Some(v) = &self.next_shard_iterator {
            crate::wire::write_member(out, &mut first, "NextShardIterator");
            v.encode(out);
        }
        out.push(b'}');
    }
}

/// A record is only written (`Record` has no decoder: no request holds one).
impl Encode for Record {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        let mut first = true;
        let mut member = |out: &mut Vec<u8>, name: &str, value: &dyn Encode| {
            crate::wire::write_member(out, &mut first, name);
            value.encode(out);
        };
        if let Some(v) = &self.event_id {
            member(out, "eventID", v);
        }
        if let Some(v) = &self.event_name {
            member(out, "eventName", v);
        }
        if let Some(v) = &self.event_version {
            member(out, "eventVersion", v);
        }
        if let Some(v) = &self.event_source {
            member(out, "eventSource", v);
        }
        if let Some(v) = &self.aws_region {
            member(out, "awsRegion", v);
        }
        if let Some(v) = &self.dynamodb {
            member(out, "dynamodb", v);
        }
        if let Some(v) = &self.user_identity {
            member(out, "userIdentity", v);
        }
        out.push(b'}');
    }
}

impl Encode for StreamRecord {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        let mut first = true;
        let mut member = |out: &mut Vec<u8>, name: &str, value: &dyn Encode| {
            crate::wire::write_member(out, &mut first, name);
            value.encode(out);
        };
        if let Some(v) = &self.approximate_creation_date_time {
            member(out, "ApproximateCreationDateTime", v);
        }
        if let Some(v) = &self.keys {
            member(out, "Keys", v);
        }
        if let Some(v) = &self.new_image {
            member(out, "NewImage", v);
        }
        if let Some(v) = &self.old_image {
            member(out, "OldImage", v);
        }
        if let Some(v) = &self.sequence_number {
            member(out, "SequenceNumber", v);
        }
        if let Some(v) = &self.size_bytes {
            member(out, "SizeBytes", v);
        }
        if let Some(v) = &self.stream_view_type {
            member(out, "StreamViewType", v);
        }
        out.push(b'}');
    }
}
