//! The DynamoDB JSON protocol (`application/x-amz-json-1.0`) for the table operations.
//!
//! Each operation has a decoder, `<op>_input`, which turns a request body into the SDK's input type, and an
//! encoder, `<op>_output`, which turns the SDK's output type into a response body. The JSON shapes mirror what
//! the AWS SDK serialises for requests and parses from responses, member for member:
//!
//! * control plane: `CreateTable`, `DescribeTable`, `UpdateTable`, `DeleteTable`, `ListTables`;
//! * tags and time to live: `TagResource`, `UntagResource`, `ListTagsOfResource`, `UpdateTimeToLive`,
//!   `DescribeTimeToLive`.
//!
//! Decoding follows the service, which deserialises the whole body before validating it: a member of the wrong
//! JSON type is a `SerializationException` (scalars are read by the shared helpers of [`super::codec`];
//! structures and lists here, with the service's wording: `Unexpected field type`, `Start of structure or map
//! found where not expected`, `Unrecognized collection type class com.amazonaws.dynamodb.v20120810.<Shape>`,
//! `Unexpected value type in payload`). Only then is a missing required member a `ValidationException` worded
//! as DynamoDB words it (`1 validation error detected: Value null at 'keySchema.1.member.keyType' failed to
//! satisfy constraint: Member must not be null`), up to ten gathered into one message. JSON `null` counts as
//! absent (a `null` structure in a list as an empty structure), unknown members are ignored, and enum members
//! are taken as they come (an unknown value becomes the enum's `Unknown` variant, for the engine to reject).
//!
//! Encoding emits every member that is set and omits the rest (an empty list that is set is emitted as `[]`);
//! timestamps are epoch seconds as JSON numbers with a fraction, as the service sends them.

use aws_sdk_dynamodb::operation::describe_time_to_live::{DescribeTimeToLiveInput, DescribeTimeToLiveOutput};
use aws_sdk_dynamodb::operation::list_tags_of_resource::{ListTagsOfResourceInput, ListTagsOfResourceOutput};
use aws_sdk_dynamodb::operation::tag_resource::{TagResourceInput, TagResourceOutput};
use aws_sdk_dynamodb::operation::untag_resource::{UntagResourceInput, UntagResourceOutput};
use aws_sdk_dynamodb::operation::update_time_to_live::{UpdateTimeToLiveInput, UpdateTimeToLiveOutput};
use aws_sdk_dynamodb::primitives::DateTime;

use super::codec::{
    Checks, CodecError, Json, MSG_OBJECT_NOT_EXPECTED, MSG_UNEXPECTED_FIELD, MSG_UNEXPECTED_VALUE, lower_first, obj,
    opt_bool, opt_i32, opt_i64, opt_str, ser, structure_as_array,
};
use crate::sdk::*;

type Obj = serde_json::Map<String, Json>;

// ---------------------------------------------------------------------------------------------------------------
// Decoding helpers
// ---------------------------------------------------------------------------------------------------------------

/// The validation path of member `key` under `parent` (`""` at the top level).
fn at(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        lower_first(key)
    } else {
        format!("{parent}.{}", lower_first(key))
    }
}

/// The error for a JSON array where a structure of model shape `T` belongs.
fn array_for<T: Decode>() -> CodecError {
    structure_as_array(T::SHAPE)
}

/// A decoded value, or the builder's complaint about a missing required member.
type Dec<T> = Result<Result<T, BuildError>, CodecError>;

/// A model structure that requests carry, with its decoder.
trait Decode: Sized {
    /// The model's name for the structure, as DynamoDB's error messages give it.
    const SHAPE: &'static str;

    /// Decodes the JSON object `o` found at validation path `path`.
    fn decode(cx: &mut Ctx, o: &Obj, path: &str) -> Dec<Self>;
}

/// Implements [`Decode`] for SDK types with the model shape name and the decoding function.
macro_rules! decode_impls {
    ($($ty:ty = $shape:literal by $f:ident;)*) => {
        $(
            impl Decode for $ty {
                const SHAPE: &'static str = $shape;
                fn decode(cx: &mut Ctx, o: &Obj, path: &str) -> Dec<Self> {
                    $f(cx, o, path)
                }
            }
        )*
    };
}

/// The state of one request's decoding: its validation problems, gathered
/// in the codec's one collector ([`Checks`]).
#[derive(Default)]
struct Ctx {
    checks: Checks,
}

impl Ctx {
    /// Notes a required member that is absent (or `null`).
    fn missing(&mut self, path: &str) {
        self.checks.require(None::<()>, path);
    }

    /// `Err(ValidationException)` if anything was noted.
    fn finish(self) -> Result<(), CodecError> {
        self.checks.finish()
    }

    fn note_if_none<T>(&mut self, v: Option<T>, path: &str, key: &str) -> Option<T> {
        if v.is_none() {
            self.missing(&at(path, key));
        }
        v
    }

    fn req_str(&mut self, o: &Obj, key: &str, path: &str) -> Result<Option<String>, CodecError> {
        let v = opt_str(o, key)?;
        Ok(self.note_if_none(v, path, key))
    }

    fn req_i64(&mut self, o: &Obj, key: &str, path: &str) -> Result<Option<i64>, CodecError> {
        let v = opt_i64(o, key)?;
        Ok(self.note_if_none(v, path, key))
    }

    fn req_bool(&mut self, o: &Obj, key: &str, path: &str) -> Result<Option<bool>, CodecError> {
        let v = opt_bool(o, key)?;
        Ok(self.note_if_none(v, path, key))
    }

    /// Decodes the structure `m` at `path`; `None` once a violation is noted.
    fn decode<T: Decode>(&mut self, m: &Obj, path: &str) -> Result<Option<T>, CodecError> {
        // Every required member is checked before building, so a build error is only a safety net.
        let built = T::decode(self, m, path)?;
        Ok(self.checks.built(built))
    }

    /// The structure member `key` of `o`.
    fn member<T: Decode>(&mut self, o: &Obj, key: &str, path: &str, required: bool) -> Result<Option<T>, CodecError> {
        let p = at(path, key);
        match o.get(key) {
            None | Some(Json::Null) => {
                if required {
                    self.missing(&p);
                }
                Ok(None)
            }
            Some(Json::Object(m)) => self.decode(m, &p),
            Some(Json::Array(_)) => Err(array_for::<T>()),
            Some(_) => Err(ser(MSG_UNEXPECTED_FIELD)),
        }
    }

    /// The list member `key` of `o`, as JSON values.
    fn items<'o>(&mut self, o: &'o Obj, key: &str, p: &str, required: bool) -> Result<Option<&'o [Json]>, CodecError> {
        match o.get(key) {
            None | Some(Json::Null) => {
                if required {
                    self.missing(p);
                }
                Ok(None)
            }
            Some(Json::Array(items)) => Ok(Some(items)),
            Some(Json::Object(_)) => Err(ser(MSG_OBJECT_NOT_EXPECTED)),
            Some(_) => Err(ser(MSG_UNEXPECTED_FIELD)),
        }
    }

    /// The list-of-structures member `key` of `o`. A `null` element reads as an empty structure, whose
    /// required members are then missing.
    fn list<T: Decode>(
        &mut self,
        o: &Obj,
        key: &str,
        path: &str,
        required: bool,
    ) -> Result<Option<Vec<T>>, CodecError> {
        let p = at(path, key);
        let Some(items) = self.items(o, key, &p, required)? else {
            return Ok(None);
        };
        let empty = Obj::new();
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let m = match item {
                Json::Object(m) => m,
                Json::Null => &empty,
                Json::Array(_) => return Err(array_for::<T>()),
                _ => return Err(ser(MSG_UNEXPECTED_VALUE)),
            };
            out.extend(self.decode(m, &format!("{p}.{}.member", i + 1))?);
        }
        Ok(Some(out))
    }

    /// The list-of-strings member `key` of `o`; a `null` element violates `<key>.member`'s not-null constraint.
    fn strings(&mut self, o: &Obj, key: &str, path: &str, required: bool) -> Result<Option<Vec<String>>, CodecError> {
        let p = at(path, key);
        let Some(items) = self.items(o, key, &p, required)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(items.len());
        let mut null = false;
        for item in items {
            // Checked through `opt_str`, so that a wrong element type is reported as for any string member.
            let one = Obj::from_iter([(String::new(), item.clone())]);
            match opt_str(&one, "")? {
                Some(s) => out.push(s),
                None => null = true,
            }
        }
        if null {
            self.missing(&format!("{p}.member"));
        }
        Ok(Some(out))
    }
}

fn validation(e: BuildError) -> CodecError {
    CodecError::Validation(e.to_string())
}

decode_impls! {
    AttributeDefinition = "AttributeDefinition" by attribute_definition;
    KeySchemaElement = "KeySchemaElement" by key_schema_element;
    Projection = "Projection" by projection;
    ProvisionedThroughput = "ProvisionedThroughput" by provisioned_throughput;
    OnDemandThroughput = "OnDemandThroughput" by on_demand_throughput;
    WarmThroughput = "WarmThroughput" by warm_throughput;
    LocalSecondaryIndex = "LocalSecondaryIndex" by local_secondary_index;
    GlobalSecondaryIndex = "GlobalSecondaryIndex" by global_secondary_index;
    StreamSpecification = "StreamSpecification" by stream_specification;
    SseSpecification = "SSESpecification" by sse_specification;
    Tag = "Tag" by tag;
    CreateGlobalSecondaryIndexAction = "CreateGlobalSecondaryIndexAction" by create_global_secondary_index_action;
    UpdateGlobalSecondaryIndexAction = "UpdateGlobalSecondaryIndexAction" by update_global_secondary_index_action;
    DeleteGlobalSecondaryIndexAction = "DeleteGlobalSecondaryIndexAction" by delete_global_secondary_index_action;
    GlobalSecondaryIndexUpdate = "GlobalSecondaryIndexUpdate" by global_secondary_index_update;
    TimeToLiveSpecification = "TimeToLiveSpecification" by time_to_live_specification;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoders of the model structures
// ---------------------------------------------------------------------------------------------------------------

fn attribute_definition(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<AttributeDefinition> {
    Ok(AttributeDefinition::builder()
        .set_attribute_name(cx.req_str(o, "AttributeName", p)?)
        .set_attribute_type(
            cx.req_str(o, "AttributeType", p)?
                .map(|s| ScalarAttributeType::from(s.as_str())),
        )
        .build())
}

fn key_schema_element(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<KeySchemaElement> {
    Ok(KeySchemaElement::builder()
        .set_attribute_name(cx.req_str(o, "AttributeName", p)?)
        .set_key_type(cx.req_str(o, "KeyType", p)?.map(|s| KeyType::from(s.as_str())))
        .build())
}

fn projection(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<Projection> {
    Ok(Ok(Projection::builder()
        .set_projection_type(opt_str(o, "ProjectionType")?.map(|s| ProjectionType::from(s.as_str())))
        .set_non_key_attributes(cx.strings(o, "NonKeyAttributes", p, false)?)
        .build()))
}

fn provisioned_throughput(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<ProvisionedThroughput> {
    Ok(ProvisionedThroughput::builder()
        .set_read_capacity_units(cx.req_i64(o, "ReadCapacityUnits", p)?)
        .set_write_capacity_units(cx.req_i64(o, "WriteCapacityUnits", p)?)
        .build())
}

fn on_demand_throughput(_: &mut Ctx, o: &Obj, _: &str) -> Dec<OnDemandThroughput> {
    Ok(Ok(OnDemandThroughput::builder()
        .set_max_read_request_units(opt_i64(o, "MaxReadRequestUnits")?)
        .set_max_write_request_units(opt_i64(o, "MaxWriteRequestUnits")?)
        .build()))
}

fn warm_throughput(_: &mut Ctx, o: &Obj, _: &str) -> Dec<WarmThroughput> {
    Ok(Ok(WarmThroughput::builder()
        .set_read_units_per_second(opt_i64(o, "ReadUnitsPerSecond")?)
        .set_write_units_per_second(opt_i64(o, "WriteUnitsPerSecond")?)
        .build()))
}

fn local_secondary_index(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<LocalSecondaryIndex> {
    Ok(LocalSecondaryIndex::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .set_key_schema(cx.list(o, "KeySchema", p, true)?)
        .set_projection(cx.member(o, "Projection", p, true)?)
        .build())
}

fn global_secondary_index(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<GlobalSecondaryIndex> {
    Ok(GlobalSecondaryIndex::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .set_key_schema(cx.list(o, "KeySchema", p, true)?)
        .set_projection(cx.member(o, "Projection", p, true)?)
        .set_provisioned_throughput(cx.member(o, "ProvisionedThroughput", p, false)?)
        .set_on_demand_throughput(cx.member(o, "OnDemandThroughput", p, false)?)
        .set_warm_throughput(cx.member(o, "WarmThroughput", p, false)?)
        .build())
}

fn stream_specification(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<StreamSpecification> {
    Ok(StreamSpecification::builder()
        .set_stream_enabled(cx.req_bool(o, "StreamEnabled", p)?)
        .set_stream_view_type(opt_str(o, "StreamViewType")?.map(|s| StreamViewType::from(s.as_str())))
        .build())
}

fn sse_specification(_: &mut Ctx, o: &Obj, _: &str) -> Dec<SseSpecification> {
    Ok(Ok(SseSpecification::builder()
        .set_enabled(opt_bool(o, "Enabled")?)
        .set_sse_type(opt_str(o, "SSEType")?.map(|s| SseType::from(s.as_str())))
        .set_kms_master_key_id(opt_str(o, "KMSMasterKeyId")?)
        .build()))
}

fn tag(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<Tag> {
    Ok(Tag::builder()
        .set_key(cx.req_str(o, "Key", p)?)
        .set_value(cx.req_str(o, "Value", p)?)
        .build())
}

fn create_global_secondary_index_action(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<CreateGlobalSecondaryIndexAction> {
    Ok(CreateGlobalSecondaryIndexAction::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .set_key_schema(cx.list(o, "KeySchema", p, true)?)
        .set_projection(cx.member(o, "Projection", p, true)?)
        .set_provisioned_throughput(cx.member(o, "ProvisionedThroughput", p, false)?)
        .set_on_demand_throughput(cx.member(o, "OnDemandThroughput", p, false)?)
        .set_warm_throughput(cx.member(o, "WarmThroughput", p, false)?)
        .build())
}

fn update_global_secondary_index_action(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<UpdateGlobalSecondaryIndexAction> {
    Ok(UpdateGlobalSecondaryIndexAction::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .set_provisioned_throughput(cx.member(o, "ProvisionedThroughput", p, false)?)
        .set_on_demand_throughput(cx.member(o, "OnDemandThroughput", p, false)?)
        .set_warm_throughput(cx.member(o, "WarmThroughput", p, false)?)
        .build())
}

fn delete_global_secondary_index_action(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<DeleteGlobalSecondaryIndexAction> {
    Ok(DeleteGlobalSecondaryIndexAction::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .build())
}

fn global_secondary_index_update(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<GlobalSecondaryIndexUpdate> {
    Ok(Ok(GlobalSecondaryIndexUpdate::builder()
        .set_update(cx.member(o, "Update", p, false)?)
        .set_create(cx.member(o, "Create", p, false)?)
        .set_delete(cx.member(o, "Delete", p, false)?)
        .build()))
}

fn time_to_live_specification(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<TimeToLiveSpecification> {
    Ok(TimeToLiveSpecification::builder()
        .set_enabled(cx.req_bool(o, "Enabled", p)?)
        .set_attribute_name(cx.req_str(o, "AttributeName", p)?)
        .build())
}

/// `ReplicaUpdates`, a list of structures the mock never reads (global tables are not modelled): the list and
/// its elements are checked for their JSON types as any list of structures is, their contents are not decoded.
/// An empty update stands for each element, so that the engine sees the member is there.
fn replica_updates(cx: &mut Ctx, o: &Obj) -> Result<Option<Vec<ReplicationGroupUpdate>>, CodecError> {
    let Some(items) = cx.items(o, "ReplicaUpdates", "replicaUpdates", false)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Json::Object(_) | Json::Null => out.push(ReplicationGroupUpdate::builder().build()),
            Json::Array(_) => return Err(structure_as_array("ReplicationGroupUpdate")),
            _ => return Err(ser(MSG_UNEXPECTED_VALUE)),
        }
    }
    Ok(Some(out))
}

// ---------------------------------------------------------------------------------------------------------------
// Operation inputs
// ---------------------------------------------------------------------------------------------------------------

/// Decodes a `CreateTable` request body.
///
/// `TableName` is required here; `KeySchema` and `AttributeDefinitions`, optional in the current model (a
/// multi-account global table replica names only `GlobalTableSourceArn`), are left for the engine to demand.
pub(super) fn create_table_input(body: &Json) -> Result<CreateTableInput, CodecError> {
    let o = obj(body, "CreateTableInput")?;
    let mut cx = Ctx::default();
    let b = CreateTableInput::builder()
        .set_attribute_definitions(cx.list(o, "AttributeDefinitions", "", false)?)
        .set_table_name(cx.req_str(o, "TableName", "")?)
        .set_key_schema(cx.list(o, "KeySchema", "", false)?)
        .set_local_secondary_indexes(cx.list(o, "LocalSecondaryIndexes", "", false)?)
        .set_global_secondary_indexes(cx.list(o, "GlobalSecondaryIndexes", "", false)?)
        .set_billing_mode(opt_str(o, "BillingMode")?.map(|s| BillingMode::from(s.as_str())))
        .set_provisioned_throughput(cx.member(o, "ProvisionedThroughput", "", false)?)
        .set_stream_specification(cx.member(o, "StreamSpecification", "", false)?)
        .set_sse_specification(cx.member(o, "SSESpecification", "", false)?)
        .set_tags(cx.list(o, "Tags", "", false)?)
        .set_table_class(opt_str(o, "TableClass")?.map(|s| TableClass::from(s.as_str())))
        .set_deletion_protection_enabled(opt_bool(o, "DeletionProtectionEnabled")?)
        .set_warm_throughput(cx.member(o, "WarmThroughput", "", false)?)
        .set_resource_policy(opt_str(o, "ResourcePolicy")?)
        .set_on_demand_throughput(cx.member(o, "OnDemandThroughput", "", false)?)
        .set_global_table_source_arn(opt_str(o, "GlobalTableSourceArn")?)
        .set_global_table_settings_replication_mode(
            opt_str(o, "GlobalTableSettingsReplicationMode")?
                .map(|s| GlobalTableSettingsReplicationMode::from(s.as_str())),
        );
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes an `UpdateTable` request body.
pub(super) fn update_table_input(body: &Json) -> Result<UpdateTableInput, CodecError> {
    let o = obj(body, "UpdateTableInput")?;
    let mut cx = Ctx::default();
    let b = UpdateTableInput::builder()
        .set_attribute_definitions(cx.list(o, "AttributeDefinitions", "", false)?)
        .set_table_name(cx.req_str(o, "TableName", "")?)
        .set_billing_mode(opt_str(o, "BillingMode")?.map(|s| BillingMode::from(s.as_str())))
        .set_provisioned_throughput(cx.member(o, "ProvisionedThroughput", "", false)?)
        .set_global_secondary_index_updates(cx.list(o, "GlobalSecondaryIndexUpdates", "", false)?)
        .set_stream_specification(cx.member(o, "StreamSpecification", "", false)?)
        .set_sse_specification(cx.member(o, "SSESpecification", "", false)?)
        .set_replica_updates(replica_updates(&mut cx, o)?)
        .set_table_class(opt_str(o, "TableClass")?.map(|s| TableClass::from(s.as_str())))
        .set_deletion_protection_enabled(opt_bool(o, "DeletionProtectionEnabled")?)
        .set_multi_region_consistency(
            opt_str(o, "MultiRegionConsistency")?.map(|s| MultiRegionConsistency::from(s.as_str())),
        )
        .set_on_demand_throughput(cx.member(o, "OnDemandThroughput", "", false)?)
        .set_warm_throughput(cx.member(o, "WarmThroughput", "", false)?)
        .set_global_table_settings_replication_mode(
            opt_str(o, "GlobalTableSettingsReplicationMode")?
                .map(|s| GlobalTableSettingsReplicationMode::from(s.as_str())),
        )
        .set_disassociation_protection_enabled(opt_bool(o, "DisassociationProtectionEnabled")?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `DeleteTable` request body.
pub(super) fn delete_table_input(body: &Json) -> Result<DeleteTableInput, CodecError> {
    let o = obj(body, "DeleteTableInput")?;
    let mut cx = Ctx::default();
    let b = DeleteTableInput::builder().set_table_name(cx.req_str(o, "TableName", "")?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `DescribeTable` request body.
pub(super) fn describe_table_input(body: &Json) -> Result<DescribeTableInput, CodecError> {
    let o = obj(body, "DescribeTableInput")?;
    let mut cx = Ctx::default();
    let b = DescribeTableInput::builder().set_table_name(cx.req_str(o, "TableName", "")?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `ListTables` request body.
pub(super) fn list_tables_input(body: &Json) -> Result<ListTablesInput, CodecError> {
    let o = obj(body, "ListTablesInput")?;
    ListTablesInput::builder()
        .set_exclusive_start_table_name(opt_str(o, "ExclusiveStartTableName")?)
        .set_limit(opt_i32(o, "Limit")?)
        .build()
        .map_err(validation)
}

/// Decodes a `TagResource` request body.
pub(super) fn tag_resource_input(body: &Json) -> Result<TagResourceInput, CodecError> {
    let o = obj(body, "TagResourceInput")?;
    let mut cx = Ctx::default();
    let b = TagResourceInput::builder()
        .set_resource_arn(cx.req_str(o, "ResourceArn", "")?)
        .set_tags(cx.list(o, "Tags", "", true)?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes an `UntagResource` request body.
pub(super) fn untag_resource_input(body: &Json) -> Result<UntagResourceInput, CodecError> {
    let o = obj(body, "UntagResourceInput")?;
    let mut cx = Ctx::default();
    let b = UntagResourceInput::builder()
        .set_resource_arn(cx.req_str(o, "ResourceArn", "")?)
        .set_tag_keys(cx.strings(o, "TagKeys", "", true)?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `ListTagsOfResource` request body.
pub(super) fn list_tags_of_resource_input(body: &Json) -> Result<ListTagsOfResourceInput, CodecError> {
    let o = obj(body, "ListTagsOfResourceInput")?;
    let mut cx = Ctx::default();
    let b = ListTagsOfResourceInput::builder()
        .set_resource_arn(cx.req_str(o, "ResourceArn", "")?)
        .set_next_token(opt_str(o, "NextToken")?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes an `UpdateTimeToLive` request body.
pub(super) fn update_time_to_live_input(body: &Json) -> Result<UpdateTimeToLiveInput, CodecError> {
    let o = obj(body, "UpdateTimeToLiveInput")?;
    let mut cx = Ctx::default();
    let b = UpdateTimeToLiveInput::builder()
        .set_table_name(cx.req_str(o, "TableName", "")?)
        .set_time_to_live_specification(cx.member(o, "TimeToLiveSpecification", "", true)?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `DescribeTimeToLive` request body.
pub(super) fn describe_time_to_live_input(body: &Json) -> Result<DescribeTimeToLiveInput, CodecError> {
    let o = obj(body, "DescribeTimeToLiveInput")?;
    let mut cx = Ctx::default();
    let b = DescribeTimeToLiveInput::builder().set_table_name(cx.req_str(o, "TableName", "")?);
    cx.finish()?;
    b.build().map_err(validation)
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding helpers
// ---------------------------------------------------------------------------------------------------------------

/// Builds a JSON object from the members that are set.
#[derive(Default)]
struct Out(Obj);

impl Out {
    fn put(mut self, k: &str, v: Json) -> Self {
        self.0.insert(k.to_string(), v);
        self
    }

    fn s(self, k: &str, v: Option<&str>) -> Self {
        match v {
            Some(v) => self.put(k, Json::from(v)),
            None => self,
        }
    }

    fn i(self, k: &str, v: Option<i64>) -> Self {
        match v {
            Some(v) => self.put(k, Json::from(v)),
            None => self,
        }
    }

    fn b(self, k: &str, v: Option<bool>) -> Self {
        match v {
            Some(v) => self.put(k, Json::from(v)),
            None => self,
        }
    }

    fn t(self, k: &str, v: Option<&DateTime>) -> Self {
        match v {
            Some(v) => self.put(k, time(v)),
            None => self,
        }
    }

    fn o<T>(self, k: &str, v: Option<&T>, f: fn(&T) -> Json) -> Self {
        match v {
            Some(v) => self.put(k, f(v)),
            None => self,
        }
    }

    fn l<T>(self, k: &str, v: Option<&[T]>, f: fn(&T) -> Json) -> Self {
        match v {
            Some(v) => self.put(k, Json::Array(v.iter().map(f).collect())),
            None => self,
        }
    }

    fn strs(self, k: &str, v: Option<&[String]>) -> Self {
        match v {
            Some(v) => self.put(k, Json::Array(v.iter().map(|s| Json::from(s.as_str())).collect())),
            None => self,
        }
    }

    fn done(self) -> Json {
        Json::Object(self.0)
    }
}

/// A timestamp as the service sends it: epoch seconds, with a fraction.
fn time(t: &DateTime) -> Json {
    Json::from(t.as_secs_f64())
}

// ---------------------------------------------------------------------------------------------------------------
// Encoders of the model structures
// ---------------------------------------------------------------------------------------------------------------

fn attribute_definition_json(a: &AttributeDefinition) -> Json {
    Out::default()
        .s("AttributeName", Some(&a.attribute_name))
        .s("AttributeType", Some(a.attribute_type.as_str()))
        .done()
}

fn key_schema_element_json(k: &KeySchemaElement) -> Json {
    Out::default()
        .s("AttributeName", Some(&k.attribute_name))
        .s("KeyType", Some(k.key_type.as_str()))
        .done()
}

fn projection_json(p: &Projection) -> Json {
    Out::default()
        .s("ProjectionType", p.projection_type.as_ref().map(|t| t.as_str()))
        .strs("NonKeyAttributes", p.non_key_attributes.as_deref())
        .done()
}

fn provisioned_throughput_description_json(p: &ProvisionedThroughputDescription) -> Json {
    Out::default()
        .t("LastIncreaseDateTime", p.last_increase_date_time.as_ref())
        .t("LastDecreaseDateTime", p.last_decrease_date_time.as_ref())
        .i("NumberOfDecreasesToday", p.number_of_decreases_today)
        .i("ReadCapacityUnits", p.read_capacity_units)
        .i("WriteCapacityUnits", p.write_capacity_units)
        .done()
}

fn billing_mode_summary_json(b: &BillingModeSummary) -> Json {
    Out::default()
        .s("BillingMode", b.billing_mode.as_ref().map(|m| m.as_str()))
        .t(
            "LastUpdateToPayPerRequestDateTime",
            b.last_update_to_pay_per_request_date_time.as_ref(),
        )
        .done()
}

fn on_demand_throughput_json(t: &OnDemandThroughput) -> Json {
    Out::default()
        .i("MaxReadRequestUnits", t.max_read_request_units)
        .i("MaxWriteRequestUnits", t.max_write_request_units)
        .done()
}

fn local_secondary_index_description_json(d: &LocalSecondaryIndexDescription) -> Json {
    Out::default()
        .s("IndexName", d.index_name.as_deref())
        .l("KeySchema", d.key_schema.as_deref(), key_schema_element_json)
        .o("Projection", d.projection.as_ref(), projection_json)
        .i("IndexSizeBytes", d.index_size_bytes)
        .i("ItemCount", d.item_count)
        .s("IndexArn", d.index_arn.as_deref())
        .done()
}

fn global_secondary_index_warm_throughput_description_json(w: &GlobalSecondaryIndexWarmThroughputDescription) -> Json {
    Out::default()
        .i("ReadUnitsPerSecond", w.read_units_per_second)
        .i("WriteUnitsPerSecond", w.write_units_per_second)
        .s("Status", w.status.as_ref().map(|s| s.as_str()))
        .done()
}

fn global_secondary_index_description_json(d: &GlobalSecondaryIndexDescription) -> Json {
    Out::default()
        .s("IndexName", d.index_name.as_deref())
        .l("KeySchema", d.key_schema.as_deref(), key_schema_element_json)
        .o("Projection", d.projection.as_ref(), projection_json)
        .s("IndexStatus", d.index_status.as_ref().map(|s| s.as_str()))
        .b("Backfilling", d.backfilling)
        .o(
            "ProvisionedThroughput",
            d.provisioned_throughput.as_ref(),
            provisioned_throughput_description_json,
        )
        .i("IndexSizeBytes", d.index_size_bytes)
        .i("ItemCount", d.item_count)
        .s("IndexArn", d.index_arn.as_deref())
        .o(
            "OnDemandThroughput",
            d.on_demand_throughput.as_ref(),
            on_demand_throughput_json,
        )
        .o(
            "WarmThroughput",
            d.warm_throughput.as_ref(),
            global_secondary_index_warm_throughput_description_json,
        )
        .done()
}

fn stream_specification_json(s: &StreamSpecification) -> Json {
    Out::default()
        .b("StreamEnabled", Some(s.stream_enabled))
        .s("StreamViewType", s.stream_view_type.as_ref().map(|v| v.as_str()))
        .done()
}

fn table_warm_throughput_description_json(w: &TableWarmThroughputDescription) -> Json {
    Out::default()
        .i("ReadUnitsPerSecond", w.read_units_per_second)
        .i("WriteUnitsPerSecond", w.write_units_per_second)
        .s("Status", w.status.as_ref().map(|s| s.as_str()))
        .done()
}

fn table_class_summary_json(c: &TableClassSummary) -> Json {
    Out::default()
        .s("TableClass", c.table_class.as_ref().map(|c| c.as_str()))
        .t("LastUpdateDateTime", c.last_update_date_time.as_ref())
        .done()
}

fn sse_description_json(s: &SseDescription) -> Json {
    Out::default()
        .s("Status", s.status.as_ref().map(|s| s.as_str()))
        .s("SSEType", s.sse_type.as_ref().map(|t| t.as_str()))
        .s("KMSMasterKeyArn", s.kms_master_key_arn.as_deref())
        .t(
            "InaccessibleEncryptionDateTime",
            s.inaccessible_encryption_date_time.as_ref(),
        )
        .done()
}

/// A `TableDescription`, with every member that is set.
fn table_description_json(t: &TableDescription) -> Json {
    Out::default()
        .l(
            "AttributeDefinitions",
            t.attribute_definitions.as_deref(),
            attribute_definition_json,
        )
        .s("TableName", t.table_name.as_deref())
        .l("KeySchema", t.key_schema.as_deref(), key_schema_element_json)
        .s("TableStatus", t.table_status.as_ref().map(|s| s.as_str()))
        .t("CreationDateTime", t.creation_date_time.as_ref())
        .o(
            "ProvisionedThroughput",
            t.provisioned_throughput.as_ref(),
            provisioned_throughput_description_json,
        )
        .i("TableSizeBytes", t.table_size_bytes)
        .i("ItemCount", t.item_count)
        .s("TableArn", t.table_arn.as_deref())
        .s("TableId", t.table_id.as_deref())
        .o(
            "BillingModeSummary",
            t.billing_mode_summary.as_ref(),
            billing_mode_summary_json,
        )
        .l(
            "LocalSecondaryIndexes",
            t.local_secondary_indexes.as_deref(),
            local_secondary_index_description_json,
        )
        .l(
            "GlobalSecondaryIndexes",
            t.global_secondary_indexes.as_deref(),
            global_secondary_index_description_json,
        )
        .o(
            "StreamSpecification",
            t.stream_specification.as_ref(),
            stream_specification_json,
        )
        .s("LatestStreamLabel", t.latest_stream_label.as_deref())
        .s("LatestStreamArn", t.latest_stream_arn.as_deref())
        .s("GlobalTableVersion", t.global_table_version.as_deref())
        .s(
            "GlobalTableSettingsReplicationMode",
            t.global_table_settings_replication_mode.as_ref().map(|m| m.as_str()),
        )
        .o("SSEDescription", t.sse_description.as_ref(), sse_description_json)
        .o(
            "TableClassSummary",
            t.table_class_summary.as_ref(),
            table_class_summary_json,
        )
        .b("DeletionProtectionEnabled", t.deletion_protection_enabled)
        .b("DisassociationProtectionEnabled", t.disassociation_protection_enabled)
        .o(
            "OnDemandThroughput",
            t.on_demand_throughput.as_ref(),
            on_demand_throughput_json,
        )
        .o(
            "WarmThroughput",
            t.warm_throughput.as_ref(),
            table_warm_throughput_description_json,
        )
        .s(
            "MultiRegionConsistency",
            t.multi_region_consistency.as_ref().map(|c| c.as_str()),
        )
        .done()
}

fn tag_json(t: &Tag) -> Json {
    Out::default().s("Key", Some(&t.key)).s("Value", Some(&t.value)).done()
}

fn time_to_live_specification_json(s: &TimeToLiveSpecification) -> Json {
    Out::default()
        .b("Enabled", Some(s.enabled))
        .s("AttributeName", Some(&s.attribute_name))
        .done()
}

fn time_to_live_description_json(d: &TimeToLiveDescription) -> Json {
    Out::default()
        .s("TimeToLiveStatus", d.time_to_live_status.as_ref().map(|s| s.as_str()))
        .s("AttributeName", d.attribute_name.as_deref())
        .done()
}

// ---------------------------------------------------------------------------------------------------------------
// Operation outputs
// ---------------------------------------------------------------------------------------------------------------

/// Encodes a `CreateTable` response body: `{"TableDescription": ...}`.
pub(super) fn create_table_output(out: &CreateTableOutput) -> Json {
    Out::default()
        .o(
            "TableDescription",
            out.table_description.as_ref(),
            table_description_json,
        )
        .done()
}

/// Encodes an `UpdateTable` response body: `{"TableDescription": ...}`.
pub(super) fn update_table_output(out: &UpdateTableOutput) -> Json {
    Out::default()
        .o(
            "TableDescription",
            out.table_description.as_ref(),
            table_description_json,
        )
        .done()
}

/// Encodes a `DeleteTable` response body: `{"TableDescription": ...}`.
pub(super) fn delete_table_output(out: &DeleteTableOutput) -> Json {
    Out::default()
        .o(
            "TableDescription",
            out.table_description.as_ref(),
            table_description_json,
        )
        .done()
}

/// Encodes a `DescribeTable` response body: `{"Table": ...}`.
pub(super) fn describe_table_output(out: &DescribeTableOutput) -> Json {
    Out::default()
        .o("Table", out.table.as_ref(), table_description_json)
        .done()
}

/// Encodes a `ListTables` response body: `{"TableNames": [...], "LastEvaluatedTableName": ...}`.
pub(super) fn list_tables_output(out: &ListTablesOutput) -> Json {
    Out::default()
        .strs("TableNames", out.table_names.as_deref())
        .s("LastEvaluatedTableName", out.last_evaluated_table_name.as_deref())
        .done()
}

/// Encodes a `TagResource` response body: `{}`.
pub(super) fn tag_resource_output(_out: &TagResourceOutput) -> Json {
    Out::default().done()
}

/// Encodes an `UntagResource` response body: `{}`.
pub(super) fn untag_resource_output(_out: &UntagResourceOutput) -> Json {
    Out::default().done()
}

/// Encodes a `ListTagsOfResource` response body: `{"Tags": [...], "NextToken": ...}`.
pub(super) fn list_tags_of_resource_output(out: &ListTagsOfResourceOutput) -> Json {
    Out::default()
        .l("Tags", out.tags.as_deref(), tag_json)
        .s("NextToken", out.next_token.as_deref())
        .done()
}

/// Encodes an `UpdateTimeToLive` response body: `{"TimeToLiveSpecification": ...}`.
pub(super) fn update_time_to_live_output(out: &UpdateTimeToLiveOutput) -> Json {
    Out::default()
        .o(
            "TimeToLiveSpecification",
            out.time_to_live_specification.as_ref(),
            time_to_live_specification_json,
        )
        .done()
}

/// Encodes a `DescribeTimeToLive` response body: `{"TimeToLiveDescription": ...}`.
pub(super) fn describe_time_to_live_output(out: &DescribeTimeToLiveOutput) -> Json {
    Out::default()
        .o(
            "TimeToLiveDescription",
            out.time_to_live_description.as_ref(),
            time_to_live_description_json,
        )
        .done()
}

#[cfg(test)]
mod tests;
