//! The structures of DynamoDB's API the mock server reads and writes,
//! declared once each (see [`crate::wire`]): one line per member, in the
//! model's order, with its wire name and `req` where DynamoDB requires it.
//!
//! Members the mock never reads or sends (vector indexes, replica and
//! witness groups, archival summaries) are not declared: they
//! are skipped when read. `ReplicaUpdates` is the exception, read as a list
//! of opaque structures so that the engine can refuse it.

use crate::sdk::*;
use crate::wire::{enums, opaque, shape};

use aws_sdk_dynamodb::operation::describe_time_to_live::{DescribeTimeToLiveInput, DescribeTimeToLiveOutput};
use aws_sdk_dynamodb::operation::list_tags_of_resource::{ListTagsOfResourceInput, ListTagsOfResourceOutput};
use aws_sdk_dynamodb::operation::tag_resource::{TagResourceInput, TagResourceOutput};
use aws_sdk_dynamodb::operation::untag_resource::{UntagResourceInput, UntagResourceOutput};
use aws_sdk_dynamodb::operation::update_time_to_live::{UpdateTimeToLiveInput, UpdateTimeToLiveOutput};

enums!(
    AttributeAction,
    BillingMode,
    ComparisonOperator,
    ConditionalOperator,
    GlobalTableSettingsReplicationMode,
    IndexStatus,
    KeyType,
    MultiRegionConsistency,
    ProjectionType,
    ReturnConsumedCapacity,
    ReturnItemCollectionMetrics,
    ReturnValue,
    ReturnValuesOnConditionCheckFailure,
    ScalarAttributeType,
    Select,
    SseStatus,
    SseType,
    StreamViewType,
    TableClass,
    TableStatus,
    TimeToLiveStatus,
);

opaque!(ReplicationGroupUpdate = "ReplicationGroupUpdate");

// ---------------------------------------------------------------------------
// Items

shape! {
    GetItemInput = "GetItemInput" try {
        table_name "TableName" req,
        key "Key" req,
        attributes_to_get "AttributesToGet",
        consistent_read "ConsistentRead",
        return_consumed_capacity "ReturnConsumedCapacity",
        projection_expression "ProjectionExpression",
        expression_attribute_names "ExpressionAttributeNames",
    }
    GetItemOutput = "GetItemOutput" {
        item "Item",
        consumed_capacity "ConsumedCapacity",
    }
    PutItemInput = "PutItemInput" try {
        table_name "TableName" req,
        item "Item" req,
        expected "Expected",
        return_values "ReturnValues",
        return_consumed_capacity "ReturnConsumedCapacity",
        return_item_collection_metrics "ReturnItemCollectionMetrics",
        conditional_operator "ConditionalOperator",
        condition_expression "ConditionExpression",
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
    PutItemOutput = "PutItemOutput" {
        attributes "Attributes",
        consumed_capacity "ConsumedCapacity",
        item_collection_metrics "ItemCollectionMetrics",
    }
    UpdateItemInput = "UpdateItemInput" try {
        table_name "TableName" req,
        key "Key" req,
        attribute_updates "AttributeUpdates",
        expected "Expected",
        conditional_operator "ConditionalOperator",
        return_values "ReturnValues",
        return_consumed_capacity "ReturnConsumedCapacity",
        return_item_collection_metrics "ReturnItemCollectionMetrics",
        update_expression "UpdateExpression",
        condition_expression "ConditionExpression",
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
    UpdateItemOutput = "UpdateItemOutput" {
        attributes "Attributes",
        consumed_capacity "ConsumedCapacity",
        item_collection_metrics "ItemCollectionMetrics",
    }
    DeleteItemInput = "DeleteItemInput" try {
        table_name "TableName" req,
        key "Key" req,
        expected "Expected",
        conditional_operator "ConditionalOperator",
        return_values "ReturnValues",
        return_consumed_capacity "ReturnConsumedCapacity",
        return_item_collection_metrics "ReturnItemCollectionMetrics",
        condition_expression "ConditionExpression",
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
    DeleteItemOutput = "DeleteItemOutput" {
        attributes "Attributes",
        consumed_capacity "ConsumedCapacity",
        item_collection_metrics "ItemCollectionMetrics",
    }
    QueryInput = "QueryInput" try {
        table_name "TableName" req,
        index_name "IndexName",
        select "Select",
        attributes_to_get "AttributesToGet",
        limit "Limit",
        consistent_read "ConsistentRead",
        key_conditions "KeyConditions",
        query_filter "QueryFilter",
        conditional_operator "ConditionalOperator",
        scan_index_forward "ScanIndexForward",
        exclusive_start_key "ExclusiveStartKey",
        return_consumed_capacity "ReturnConsumedCapacity",
        projection_expression "ProjectionExpression",
        filter_expression "FilterExpression",
        key_condition_expression "KeyConditionExpression",
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
    }
    QueryOutput = "QueryOutput" {
        items "Items",
        count "Count",
        scanned_count "ScannedCount",
        last_evaluated_key "LastEvaluatedKey",
        consumed_capacity "ConsumedCapacity",
    }
    ScanInput = "ScanInput" try {
        table_name "TableName" req,
        index_name "IndexName",
        attributes_to_get "AttributesToGet",
        limit "Limit",
        select "Select",
        scan_filter "ScanFilter",
        conditional_operator "ConditionalOperator",
        exclusive_start_key "ExclusiveStartKey",
        return_consumed_capacity "ReturnConsumedCapacity",
        total_segments "TotalSegments",
        segment "Segment",
        projection_expression "ProjectionExpression",
        filter_expression "FilterExpression",
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
        consistent_read "ConsistentRead",
    }
    ScanOutput = "ScanOutput" {
        items "Items",
        count "Count",
        scanned_count "ScannedCount",
        last_evaluated_key "LastEvaluatedKey",
        consumed_capacity "ConsumedCapacity",
    }
    ExpectedAttributeValue = "ExpectedAttributeValue" {
        value "Value",
        exists "Exists",
        comparison_operator "ComparisonOperator",
        attribute_value_list "AttributeValueList",
    }
    Condition = "Condition" try {
        attribute_value_list "AttributeValueList",
        comparison_operator "ComparisonOperator" req,
    }
    AttributeValueUpdate = "AttributeValueUpdate" {
        value "Value",
        action "Action",
    }
    ConsumedCapacity = "ConsumedCapacity" {
        table_name "TableName",
        capacity_units "CapacityUnits",
        read_capacity_units "ReadCapacityUnits",
        write_capacity_units "WriteCapacityUnits",
        table "Table",
        local_secondary_indexes "LocalSecondaryIndexes",
        global_secondary_indexes "GlobalSecondaryIndexes",
    }
    Capacity = "Capacity" {
        read_capacity_units "ReadCapacityUnits",
        write_capacity_units "WriteCapacityUnits",
        capacity_units "CapacityUnits",
    }
    ItemCollectionMetrics = "ItemCollectionMetrics" {
        item_collection_key "ItemCollectionKey",
        size_estimate_range_gb "SizeEstimateRangeGB",
    }
}

// ---------------------------------------------------------------------------
// Batches and transactions

shape! {
    BatchGetItemInput = "BatchGetItemInput" try {
        request_items "RequestItems",
        return_consumed_capacity "ReturnConsumedCapacity",
    }
    BatchGetItemOutput = "BatchGetItemOutput" {
        responses "Responses",
        unprocessed_keys "UnprocessedKeys",
        consumed_capacity "ConsumedCapacity",
    }
    KeysAndAttributes = "KeysAndAttributes" try {
        keys "Keys" req,
        attributes_to_get "AttributesToGet",
        consistent_read "ConsistentRead",
        projection_expression "ProjectionExpression",
        expression_attribute_names "ExpressionAttributeNames",
    }
    BatchWriteItemInput = "BatchWriteItemInput" try {
        request_items "RequestItems",
        return_consumed_capacity "ReturnConsumedCapacity",
        return_item_collection_metrics "ReturnItemCollectionMetrics",
    }
    BatchWriteItemOutput = "BatchWriteItemOutput" {
        unprocessed_items "UnprocessedItems",
        item_collection_metrics "ItemCollectionMetrics",
        consumed_capacity "ConsumedCapacity",
    }
    WriteRequest = "WriteRequest" {
        put_request "PutRequest",
        delete_request "DeleteRequest",
    }
    PutRequest = "PutRequest" try {
        item "Item" req,
    }
    DeleteRequest = "DeleteRequest" try {
        key "Key" req,
    }
    TransactGetItemsInput = "TransactGetItemsInput" try {
        transact_items "TransactItems" req,
        return_consumed_capacity "ReturnConsumedCapacity",
    }
    TransactGetItemsOutput = "TransactGetItemsOutput" {
        consumed_capacity "ConsumedCapacity",
        responses "Responses",
    }
    TransactGetItem = "TransactGetItem" {
        get "Get" req,
    }
    Get = "Get" try {
        key "Key" req,
        table_name "TableName" req,
        projection_expression "ProjectionExpression",
        expression_attribute_names "ExpressionAttributeNames",
    }
    ItemResponse = "ItemResponse" {
        item "Item",
    }
    TransactWriteItemsInput = "TransactWriteItemsInput" try {
        transact_items "TransactItems" req,
        return_consumed_capacity "ReturnConsumedCapacity",
        return_item_collection_metrics "ReturnItemCollectionMetrics",
        client_request_token "ClientRequestToken",
    }
    TransactWriteItemsOutput = "TransactWriteItemsOutput" {
        consumed_capacity "ConsumedCapacity",
        item_collection_metrics "ItemCollectionMetrics",
    }
    TransactWriteItem = "TransactWriteItem" {
        condition_check "ConditionCheck",
        put "Put",
        delete "Delete",
        update "Update",
    }
    ConditionCheck = "ConditionCheck" try {
        key "Key" req,
        table_name "TableName" req,
        condition_expression "ConditionExpression" req,
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
    Put = "Put" try {
        item "Item" req,
        table_name "TableName" req,
        condition_expression "ConditionExpression",
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
    Delete = "Delete" try {
        key "Key" req,
        table_name "TableName" req,
        condition_expression "ConditionExpression",
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
    Update = "Update" try {
        key "Key" req,
        update_expression "UpdateExpression" req,
        table_name "TableName" req,
        condition_expression "ConditionExpression",
        expression_attribute_names "ExpressionAttributeNames",
        expression_attribute_values "ExpressionAttributeValues",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
}

// ---------------------------------------------------------------------------
// Tables

shape! {
    CreateTableInput = "CreateTableInput" try {
        attribute_definitions "AttributeDefinitions",
        table_name "TableName" req,
        key_schema "KeySchema",
        local_secondary_indexes "LocalSecondaryIndexes",
        global_secondary_indexes "GlobalSecondaryIndexes",
        billing_mode "BillingMode",
        provisioned_throughput "ProvisionedThroughput",
        stream_specification "StreamSpecification",
        sse_specification "SSESpecification",
        tags "Tags",
        table_class "TableClass",
        deletion_protection_enabled "DeletionProtectionEnabled",
        warm_throughput "WarmThroughput",
        resource_policy "ResourcePolicy",
        on_demand_throughput "OnDemandThroughput",
        global_table_source_arn "GlobalTableSourceArn",
        global_table_settings_replication_mode "GlobalTableSettingsReplicationMode",
    }
    CreateTableOutput = "CreateTableOutput" {
        table_description "TableDescription",
    }
    UpdateTableInput = "UpdateTableInput" try {
        attribute_definitions "AttributeDefinitions",
        table_name "TableName" req,
        billing_mode "BillingMode",
        provisioned_throughput "ProvisionedThroughput",
        global_secondary_index_updates "GlobalSecondaryIndexUpdates",
        stream_specification "StreamSpecification",
        sse_specification "SSESpecification",
        replica_updates "ReplicaUpdates",
        table_class "TableClass",
        deletion_protection_enabled "DeletionProtectionEnabled",
        multi_region_consistency "MultiRegionConsistency",
        on_demand_throughput "OnDemandThroughput",
        warm_throughput "WarmThroughput",
        global_table_settings_replication_mode "GlobalTableSettingsReplicationMode",
        disassociation_protection_enabled "DisassociationProtectionEnabled",
    }
    UpdateTableOutput = "UpdateTableOutput" {
        table_description "TableDescription",
    }
    DeleteTableInput = "DeleteTableInput" try {
        table_name "TableName" req,
    }
    DeleteTableOutput = "DeleteTableOutput" {
        table_description "TableDescription",
    }
    DescribeTableInput = "DescribeTableInput" try {
        table_name "TableName" req,
    }
    DescribeTableOutput = "DescribeTableOutput" {
        table "Table",
    }
    ListTablesInput = "ListTablesInput" try {
        exclusive_start_table_name "ExclusiveStartTableName",
        limit "Limit",
    }
    ListTablesOutput = "ListTablesOutput" {
        table_names "TableNames",
        last_evaluated_table_name "LastEvaluatedTableName",
    }
    TagResourceInput = "TagResourceInput" try {
        resource_arn "ResourceArn" req,
        tags "Tags" req,
    }
    TagResourceOutput = "TagResourceOutput" {}
    UntagResourceInput = "UntagResourceInput" try {
        resource_arn "ResourceArn" req,
        tag_keys "TagKeys" req,
    }
    UntagResourceOutput = "UntagResourceOutput" {}
    ListTagsOfResourceInput = "ListTagsOfResourceInput" try {
        resource_arn "ResourceArn" req,
        next_token "NextToken",
    }
    ListTagsOfResourceOutput = "ListTagsOfResourceOutput" {
        tags "Tags",
        next_token "NextToken",
    }
    UpdateTimeToLiveInput = "UpdateTimeToLiveInput" try {
        table_name "TableName" req,
        time_to_live_specification "TimeToLiveSpecification" req,
    }
    UpdateTimeToLiveOutput = "UpdateTimeToLiveOutput" {
        time_to_live_specification "TimeToLiveSpecification",
    }
    DescribeTimeToLiveInput = "DescribeTimeToLiveInput" try {
        table_name "TableName" req,
    }
    DescribeTimeToLiveOutput = "DescribeTimeToLiveOutput" {
        time_to_live_description "TimeToLiveDescription",
    }
}

shape! {
    AttributeDefinition = "AttributeDefinition" try {
        attribute_name "AttributeName" req,
        attribute_type "AttributeType" req,
    }
    KeySchemaElement = "KeySchemaElement" try {
        attribute_name "AttributeName" req,
        key_type "KeyType" req,
    }
    Projection = "Projection" {
        projection_type "ProjectionType",
        non_key_attributes "NonKeyAttributes",
    }
    ProvisionedThroughput = "ProvisionedThroughput" try {
        read_capacity_units "ReadCapacityUnits" req,
        write_capacity_units "WriteCapacityUnits" req,
    }
    OnDemandThroughput = "OnDemandThroughput" {
        max_read_request_units "MaxReadRequestUnits",
        max_write_request_units "MaxWriteRequestUnits",
    }
    WarmThroughput = "WarmThroughput" {
        read_units_per_second "ReadUnitsPerSecond",
        write_units_per_second "WriteUnitsPerSecond",
    }
    LocalSecondaryIndex = "LocalSecondaryIndex" try {
        index_name "IndexName" req,
        key_schema "KeySchema" req,
        projection "Projection" req,
    }
    GlobalSecondaryIndex = "GlobalSecondaryIndex" try {
        index_name "IndexName" req,
        key_schema "KeySchema" req,
        projection "Projection" req,
        provisioned_throughput "ProvisionedThroughput",
        on_demand_throughput "OnDemandThroughput",
        warm_throughput "WarmThroughput",
    }
    StreamSpecification = "StreamSpecification" try {
        stream_enabled "StreamEnabled" req,
        stream_view_type "StreamViewType",
    }
    SseSpecification = "SSESpecification" {
        enabled "Enabled",
        sse_type "SSEType",
        kms_master_key_id "KMSMasterKeyId",
    }
    Tag = "Tag" try {
        key "Key" req,
        value "Value" req,
    }
    GlobalSecondaryIndexUpdate = "GlobalSecondaryIndexUpdate" {
        update "Update",
        create "Create",
        delete "Delete",
    }
    CreateGlobalSecondaryIndexAction = "CreateGlobalSecondaryIndexAction" try {
        index_name "IndexName" req,
        key_schema "KeySchema" req,
        projection "Projection" req,
        provisioned_throughput "ProvisionedThroughput",
        on_demand_throughput "OnDemandThroughput",
        warm_throughput "WarmThroughput",
    }
    UpdateGlobalSecondaryIndexAction = "UpdateGlobalSecondaryIndexAction" try {
        index_name "IndexName" req,
        provisioned_throughput "ProvisionedThroughput",
        on_demand_throughput "OnDemandThroughput",
        warm_throughput "WarmThroughput",
    }
    DeleteGlobalSecondaryIndexAction = "DeleteGlobalSecondaryIndexAction" try {
        index_name "IndexName" req,
    }
    TimeToLiveSpecification = "TimeToLiveSpecification" try {
        enabled "Enabled" req,
        attribute_name "AttributeName" req,
    }
    TimeToLiveDescription = "TimeToLiveDescription" {
        time_to_live_status "TimeToLiveStatus",
        attribute_name "AttributeName",
    }
    TableDescription = "TableDescription" {
        attribute_definitions "AttributeDefinitions",
        table_name "TableName",
        key_schema "KeySchema",
        table_status "TableStatus",
        creation_date_time "CreationDateTime",
        provisioned_throughput "ProvisionedThroughput",
        table_size_bytes "TableSizeBytes",
        item_count "ItemCount",
        table_arn "TableArn",
        table_id "TableId",
        billing_mode_summary "BillingModeSummary",
        local_secondary_indexes "LocalSecondaryIndexes",
        global_secondary_indexes "GlobalSecondaryIndexes",
        stream_specification "StreamSpecification",
        latest_stream_label "LatestStreamLabel",
        latest_stream_arn "LatestStreamArn",
        global_table_version "GlobalTableVersion",
        global_table_settings_replication_mode "GlobalTableSettingsReplicationMode",
        restore_summary "RestoreSummary",
        sse_description "SSEDescription",
        table_class_summary "TableClassSummary",
        deletion_protection_enabled "DeletionProtectionEnabled",
        disassociation_protection_enabled "DisassociationProtectionEnabled",
        on_demand_throughput "OnDemandThroughput",
        warm_throughput "WarmThroughput",
        multi_region_consistency "MultiRegionConsistency",
    }
    ProvisionedThroughputDescription = "ProvisionedThroughputDescription" {
        last_increase_date_time "LastIncreaseDateTime",
        last_decrease_date_time "LastDecreaseDateTime",
        number_of_decreases_today "NumberOfDecreasesToday",
        read_capacity_units "ReadCapacityUnits",
        write_capacity_units "WriteCapacityUnits",
    }
    BillingModeSummary = "BillingModeSummary" {
        billing_mode "BillingMode",
        last_update_to_pay_per_request_date_time "LastUpdateToPayPerRequestDateTime",
    }
    LocalSecondaryIndexDescription = "LocalSecondaryIndexDescription" {
        index_name "IndexName",
        key_schema "KeySchema",
        projection "Projection",
        index_size_bytes "IndexSizeBytes",
        item_count "ItemCount",
        index_arn "IndexArn",
    }
    GlobalSecondaryIndexDescription = "GlobalSecondaryIndexDescription" {
        index_name "IndexName",
        key_schema "KeySchema",
        projection "Projection",
        index_status "IndexStatus",
        backfilling "Backfilling",
        provisioned_throughput "ProvisionedThroughput",
        index_size_bytes "IndexSizeBytes",
        item_count "ItemCount",
        index_arn "IndexArn",
        on_demand_throughput "OnDemandThroughput",
        warm_throughput "WarmThroughput",
    }
    GlobalSecondaryIndexWarmThroughputDescription = "GlobalSecondaryIndexWarmThroughputDescription" {
        read_units_per_second "ReadUnitsPerSecond",
        write_units_per_second "WriteUnitsPerSecond",
        status "Status",
    }
    TableWarmThroughputDescription = "TableWarmThroughputDescription" {
        read_units_per_second "ReadUnitsPerSecond",
        write_units_per_second "WriteUnitsPerSecond",
        status "Status",
    }
    TableClassSummary = "TableClassSummary" {
        table_class "TableClass",
        last_update_date_time "LastUpdateDateTime",
    }
    SseDescription = "SSEDescription" {
        status "Status",
        sse_type "SSEType",
        kms_master_key_arn "KMSMasterKeyArn",
        inaccessible_encryption_date_time "InaccessibleEncryptionDateTime",
    }
}

// ---------------------------------------------------------------------------
// Backups, point-in-time recovery, resource policies, limits and endpoints

enums!(
    BackupStatus,
    BackupType,
    BackupTypeFilter,
    ContinuousBackupsStatus,
    PointInTimeRecoveryStatus,
);

shape! {
    DescribeLimitsInput = "DescribeLimitsInput" try {}
    DescribeLimitsOutput = "DescribeLimitsOutput" {
        account_max_read_capacity_units "AccountMaxReadCapacityUnits",
        account_max_write_capacity_units "AccountMaxWriteCapacityUnits",
        table_max_read_capacity_units "TableMaxReadCapacityUnits",
        table_max_write_capacity_units "TableMaxWriteCapacityUnits",
    }
    DescribeEndpointsInput = "DescribeEndpointsRequest" try {}
    DescribeEndpointsOutput = "DescribeEndpointsResponse" try {
        endpoints "Endpoints" req,
    }
    Endpoint = "Endpoint" try {
        address "Address" req,
        cache_period_in_minutes "CachePeriodInMinutes" req,
    }
    CreateBackupInput = "CreateBackupInput" try {
        table_name "TableName" req,
        backup_name "BackupName" req,
    }
    CreateBackupOutput = "CreateBackupOutput" {
        backup_details "BackupDetails",
    }
    DescribeBackupInput = "DescribeBackupInput" try {
        backup_arn "BackupArn" req,
    }
    DescribeBackupOutput = "DescribeBackupOutput" {
        backup_description "BackupDescription",
    }
    DeleteBackupInput = "DeleteBackupInput" try {
        backup_arn "BackupArn" req,
    }
    DeleteBackupOutput = "DeleteBackupOutput" {
        backup_description "BackupDescription",
    }
    ListBackupsInput = "ListBackupsInput" try {
        table_name "TableName",
        limit "Limit",
        time_range_lower_bound "TimeRangeLowerBound",
        time_range_upper_bound "TimeRangeUpperBound",
        exclusive_start_backup_arn "ExclusiveStartBackupArn",
        backup_type "BackupType",
    }
    ListBackupsOutput = "ListBackupsOutput" {
        backup_summaries "BackupSummaries",
        last_evaluated_backup_arn "LastEvaluatedBackupArn",
    }
    RestoreTableFromBackupInput = "RestoreTableFromBackupInput" try {
        target_table_name "TargetTableName" req,
        backup_arn "BackupArn" req,
        billing_mode_override "BillingModeOverride",
        global_secondary_index_override "GlobalSecondaryIndexOverride",
        local_secondary_index_override "LocalSecondaryIndexOverride",
        provisioned_throughput_override "ProvisionedThroughputOverride",
        on_demand_throughput_override "OnDemandThroughputOverride",
        sse_specification_override "SSESpecificationOverride",
    }
    RestoreTableFromBackupOutput = "RestoreTableFromBackupOutput" {
        table_description "TableDescription",
    }
    UpdateContinuousBackupsInput = "UpdateContinuousBackupsInput" try {
        table_name "TableName" req,
        point_in_time_recovery_specification "PointInTimeRecoverySpecification" req,
    }
    UpdateContinuousBackupsOutput = "UpdateContinuousBackupsOutput" {
        continuous_backups_description "ContinuousBackupsDescription",
    }
    DescribeContinuousBackupsInput = "DescribeContinuousBackupsInput" try {
        table_name "TableName" req,
    }
    DescribeContinuousBackupsOutput = "DescribeContinuousBackupsOutput" {
        continuous_backups_description "ContinuousBackupsDescription",
    }
    RestoreTableToPointInTimeInput = "RestoreTableToPointInTimeInput" try {
        source_table_arn "SourceTableArn",
        source_table_name "SourceTableName",
        target_table_name "TargetTableName" req,
        use_latest_restorable_time "UseLatestRestorableTime",
        restore_date_time "RestoreDateTime",
        billing_mode_override "BillingModeOverride",
        global_secondary_index_override "GlobalSecondaryIndexOverride",
        local_secondary_index_override "LocalSecondaryIndexOverride",
        provisioned_throughput_override "ProvisionedThroughputOverride",
        on_demand_throughput_override "OnDemandThroughputOverride",
        sse_specification_override "SSESpecificationOverride",
    }
    RestoreTableToPointInTimeOutput = "RestoreTableToPointInTimeOutput" {
        table_description "TableDescription",
    }
    PutResourcePolicyInput = "PutResourcePolicyInput" try {
        resource_arn "ResourceArn" req,
        policy "Policy" req,
        expected_revision_id "ExpectedRevisionId",
        confirm_remove_self_resource_access "ConfirmRemoveSelfResourceAccess",
    }
    PutResourcePolicyOutput = "PutResourcePolicyOutput" {
        revision_id "RevisionId",
    }
    GetResourcePolicyInput = "GetResourcePolicyInput" try {
        resource_arn "ResourceArn" req,
    }
    GetResourcePolicyOutput = "GetResourcePolicyOutput" {
        policy "Policy",
        revision_id "RevisionId",
    }
    DeleteResourcePolicyInput = "DeleteResourcePolicyInput" try {
        resource_arn "ResourceArn" req,
        expected_revision_id "ExpectedRevisionId",
    }
    DeleteResourcePolicyOutput = "DeleteResourcePolicyOutput" {
        revision_id "RevisionId",
    }
}

shape! {
    BackupDetails = "BackupDetails" try {
        backup_arn "BackupArn" req,
        backup_name "BackupName" req,
        backup_size_bytes "BackupSizeBytes",
        backup_status "BackupStatus" req,
        backup_type "BackupType" req,
        backup_creation_date_time "BackupCreationDateTime" req,
        backup_expiry_date_time "BackupExpiryDateTime",
    }
    BackupDescription = "BackupDescription" {
        backup_details "BackupDetails",
        source_table_details "SourceTableDetails",
        source_table_feature_details "SourceTableFeatureDetails",
    }
    SourceTableDetails = "SourceTableDetails" try {
        table_name "TableName" req,
        table_id "TableId" req,
        table_arn "TableArn",
        table_size_bytes "TableSizeBytes",
        key_schema "KeySchema" req,
        table_creation_date_time "TableCreationDateTime" req,
        provisioned_throughput "ProvisionedThroughput" req,
        on_demand_throughput "OnDemandThroughput",
        item_count "ItemCount",
        billing_mode "BillingMode",
    }
    SourceTableFeatureDetails = "SourceTableFeatureDetails" {
        local_secondary_indexes "LocalSecondaryIndexes",
        global_secondary_indexes "GlobalSecondaryIndexes",
        stream_description "StreamDescription",
        time_to_live_description "TimeToLiveDescription",
        sse_description "SSEDescription",
    }
    LocalSecondaryIndexInfo = "LocalSecondaryIndexInfo" {
        index_name "IndexName",
        key_schema "KeySchema",
        projection "Projection",
    }
    GlobalSecondaryIndexInfo = "GlobalSecondaryIndexInfo" {
        index_name "IndexName",
        key_schema "KeySchema",
        projection "Projection",
        provisioned_throughput "ProvisionedThroughput",
        on_demand_throughput "OnDemandThroughput",
    }
    BackupSummary = "BackupSummary" {
        table_name "TableName",
        table_id "TableId",
        table_arn "TableArn",
        backup_arn "BackupArn",
        backup_name "BackupName",
        backup_creation_date_time "BackupCreationDateTime",
        backup_expiry_date_time "BackupExpiryDateTime",
        backup_status "BackupStatus",
        backup_type "BackupType",
        backup_size_bytes "BackupSizeBytes",
    }
    PointInTimeRecoverySpecification = "PointInTimeRecoverySpecification" try {
        point_in_time_recovery_enabled "PointInTimeRecoveryEnabled" req,
        recovery_period_in_days "RecoveryPeriodInDays",
    }
    ContinuousBackupsDescription = "ContinuousBackupsDescription" try {
        continuous_backups_status "ContinuousBackupsStatus" req,
        point_in_time_recovery_description "PointInTimeRecoveryDescription",
    }
    PointInTimeRecoveryDescription = "PointInTimeRecoveryDescription" {
        point_in_time_recovery_status "PointInTimeRecoveryStatus",
        recovery_period_in_days "RecoveryPeriodInDays",
        earliest_restorable_date_time "EarliestRestorableDateTime",
        latest_restorable_date_time "LatestRestorableDateTime",
    }
    RestoreSummary = "RestoreSummary" try {
        source_backup_arn "SourceBackupArn",
        source_table_arn "SourceTableArn",
        restore_date_time "RestoreDateTime" req,
        restore_in_progress "RestoreInProgress" req,
    }
}

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------
// PartiQL

enums!(BatchStatementErrorCodeEnum);

shape! {
    ExecuteStatementInput = "ExecuteStatementInput" try {
        statement "Statement" req,
        parameters "Parameters",
        consistent_read "ConsistentRead",
        next_token "NextToken",
        return_consumed_capacity "ReturnConsumedCapacity",
        limit "Limit",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
    ExecuteStatementOutput = "ExecuteStatementOutput" {
        items "Items",
        next_token "NextToken",
        consumed_capacity "ConsumedCapacity",
        last_evaluated_key "LastEvaluatedKey",
    }
    BatchExecuteStatementInput = "BatchExecuteStatementInput" try {
        statements "Statements" req,
        return_consumed_capacity "ReturnConsumedCapacity",
    }
    BatchExecuteStatementOutput = "BatchExecuteStatementOutput" {
        responses "Responses",
        consumed_capacity "ConsumedCapacity",
    }
    BatchStatementRequest = "BatchStatementRequest" try {
        statement "Statement" req,
        parameters "Parameters",
        consistent_read "ConsistentRead",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
    BatchStatementResponse = "BatchStatementResponse" {
        error "Error",
        table_name "TableName",
        item "Item",
    }
    BatchStatementError = "BatchStatementError" {
        code "Code",
        message "Message",
        item "Item",
    }
    ExecuteTransactionInput = "ExecuteTransactionInput" try {
        transact_statements "TransactStatements" req,
        client_request_token "ClientRequestToken",
        return_consumed_capacity "ReturnConsumedCapacity",
    }
    ExecuteTransactionOutput = "ExecuteTransactionOutput" {
        responses "Responses",
        consumed_capacity "ConsumedCapacity",
    }
    ParameterizedStatement = "ParameterizedStatement" try {
        statement "Statement" req,
        parameters "Parameters",
        return_values_on_condition_check_failure "ReturnValuesOnConditionCheckFailure",
    }
}
