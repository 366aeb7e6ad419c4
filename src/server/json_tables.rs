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

use super::codec::{CodecError, Json, obj, opt_bool, opt_i32, opt_i64, opt_str};
use crate::sdk::*;

type Obj = serde_json::Map<String, Json>;

// ---------------------------------------------------------------------------------------------------------------
// Decoding helpers
// ---------------------------------------------------------------------------------------------------------------

/// The most constraint violations DynamoDB reports in one message.
const MAX_ERRORS: usize = 10;

/// The Java package of the model classes DynamoDB names in its deserialisation errors.
const MODEL_PACKAGE: &str = "com.amazonaws.dynamodb.v20120810";

/// DynamoDB's message for a JSON object where a list belongs.
const MSG_OBJECT_NOT_EXPECTED: &str = "Start of structure or map found where not expected";

/// DynamoDB's message for a scalar where a structure or list member belongs.
const MSG_UNEXPECTED_FIELD: &str = "Unexpected field type";

/// DynamoDB's message for a scalar where a structure list element belongs.
const MSG_UNEXPECTED_VALUE: &str = "Unexpected value type in payload";

/// `AttributeName` → `attributeName`, as DynamoDB names members in validation messages.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The validation path of member `key` under `parent` (`""` at the top level).
fn at(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        lower_first(key)
    } else {
        format!("{parent}.{}", lower_first(key))
    }
}

fn ser(msg: &str) -> CodecError {
    CodecError::Serialization(msg.to_string())
}

/// The error for a JSON array where a structure of model shape `T` belongs.
fn array_for<T: Decode>() -> CodecError {
    CodecError::Serialization(format!(
        "Unrecognized collection type class {MODEL_PACKAGE}.{}",
        T::SHAPE
    ))
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

/// Gathers the constraint violations found while decoding one request.
#[derive(Default)]
struct Ctx {
    errors: Vec<String>,
}

impl Ctx {
    /// Notes a required member that is absent (or `null`).
    fn missing(&mut self, path: &str) {
        self.errors.push(format!(
            "Value null at '{path}' failed to satisfy constraint: Member must not be null"
        ));
    }

    /// `Err(ValidationException)` if anything was noted.
    fn finish(self) -> Result<(), CodecError> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let n = self.errors.len().min(MAX_ERRORS);
        let s = if n == 1 { "" } else { "s" };
        Err(CodecError::Validation(format!(
            "{n} validation error{s} detected: {}",
            self.errors[..n].join("; ")
        )))
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
        let before = self.errors.len();
        match T::decode(self, m, path)? {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                // Every required member is checked before building, so this is only a safety net.
                if self.errors.len() == before {
                    self.errors.push(e.to_string());
                }
                Ok(None)
            }
        }
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
    VectorAttributeDefinition = "VectorAttributeDefinition" by vector_attribute_definition;
    SearchSchemaElement = "SearchSchemaElement" by search_schema_element;
    VectorIndex = "VectorIndex" by vector_index;
    CreateVectorIndexAction = "CreateVectorIndexAction" by create_vector_index_action;
    DeleteVectorIndexAction = "DeleteVectorIndexAction" by delete_vector_index_action;
    VectorIndexUpdate = "VectorIndexUpdate" by vector_index_update;
    CreateGlobalSecondaryIndexAction = "CreateGlobalSecondaryIndexAction" by create_global_secondary_index_action;
    UpdateGlobalSecondaryIndexAction = "UpdateGlobalSecondaryIndexAction" by update_global_secondary_index_action;
    DeleteGlobalSecondaryIndexAction = "DeleteGlobalSecondaryIndexAction" by delete_global_secondary_index_action;
    GlobalSecondaryIndexUpdate = "GlobalSecondaryIndexUpdate" by global_secondary_index_update;
    ProvisionedThroughputOverride = "ProvisionedThroughputOverride" by provisioned_throughput_override;
    OnDemandThroughputOverride = "OnDemandThroughputOverride" by on_demand_throughput_override;
    ReplicaGlobalSecondaryIndex = "ReplicaGlobalSecondaryIndex" by replica_global_secondary_index;
    CreateReplicationGroupMemberAction = "CreateReplicationGroupMemberAction" by create_replication_group_member_action;
    UpdateReplicationGroupMemberAction = "UpdateReplicationGroupMemberAction" by update_replication_group_member_action;
    DeleteReplicationGroupMemberAction = "DeleteReplicationGroupMemberAction" by delete_replication_group_member_action;
    DisassociateReplicationGroupMemberAction = "DisassociateReplicationGroupMemberAction"
        by disassociate_replication_group_member_action;
    ReplicationGroupUpdate = "ReplicationGroupUpdate" by replication_group_update;
    CreateGlobalTableWitnessGroupMemberAction = "CreateGlobalTableWitnessGroupMemberAction"
        by create_global_table_witness_group_member_action;
    DeleteGlobalTableWitnessGroupMemberAction = "DeleteGlobalTableWitnessGroupMemberAction"
        by delete_global_table_witness_group_member_action;
    GlobalTableWitnessGroupUpdate = "GlobalTableWitnessGroupUpdate" by global_table_witness_group_update;
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

fn vector_attribute_definition(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<VectorAttributeDefinition> {
    Ok(VectorAttributeDefinition::builder()
        .set_attribute_name(cx.req_str(o, "AttributeName", p)?)
        .build())
}

fn search_schema_element(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<SearchSchemaElement> {
    Ok(SearchSchemaElement::builder()
        .set_attribute_name(cx.req_str(o, "AttributeName", p)?)
        .set_search_schema_element_type(
            cx.req_str(o, "SearchSchemaElementType", p)?
                .map(|s| SearchSchemaElementType::from(s.as_str())),
        )
        .build())
}

fn vector_index(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<VectorIndex> {
    Ok(VectorIndex::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .set_vector_attribute(cx.member(o, "VectorAttribute", p, true)?)
        .set_search_schema(cx.list(o, "SearchSchema", p, false)?)
        .set_projection(cx.member(o, "Projection", p, true)?)
        .set_dimensions(cx.req_i64(o, "Dimensions", p)?)
        .set_distance_function(
            cx.req_str(o, "DistanceFunction", p)?
                .map(|s| VectorDistanceFunction::from(s.as_str())),
        )
        .build())
}

fn create_vector_index_action(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<CreateVectorIndexAction> {
    Ok(CreateVectorIndexAction::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .set_vector_attribute(cx.member(o, "VectorAttribute", p, true)?)
        .set_search_schema(cx.list(o, "SearchSchema", p, false)?)
        .set_projection(cx.member(o, "Projection", p, true)?)
        .set_dimensions(cx.req_i64(o, "Dimensions", p)?)
        .set_distance_function(
            cx.req_str(o, "DistanceFunction", p)?
                .map(|s| VectorDistanceFunction::from(s.as_str())),
        )
        .build())
}

fn delete_vector_index_action(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<DeleteVectorIndexAction> {
    Ok(DeleteVectorIndexAction::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .build())
}

fn vector_index_update(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<VectorIndexUpdate> {
    Ok(Ok(VectorIndexUpdate::builder()
        .set_create(cx.member(o, "Create", p, false)?)
        .set_delete(cx.member(o, "Delete", p, false)?)
        .build()))
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

fn provisioned_throughput_override(_: &mut Ctx, o: &Obj, _: &str) -> Dec<ProvisionedThroughputOverride> {
    Ok(Ok(ProvisionedThroughputOverride::builder()
        .set_read_capacity_units(opt_i64(o, "ReadCapacityUnits")?)
        .build()))
}

fn on_demand_throughput_override(_: &mut Ctx, o: &Obj, _: &str) -> Dec<OnDemandThroughputOverride> {
    Ok(Ok(OnDemandThroughputOverride::builder()
        .set_max_read_request_units(opt_i64(o, "MaxReadRequestUnits")?)
        .build()))
}

fn replica_global_secondary_index(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<ReplicaGlobalSecondaryIndex> {
    Ok(ReplicaGlobalSecondaryIndex::builder()
        .set_index_name(cx.req_str(o, "IndexName", p)?)
        .set_provisioned_throughput_override(cx.member(o, "ProvisionedThroughputOverride", p, false)?)
        .set_on_demand_throughput_override(cx.member(o, "OnDemandThroughputOverride", p, false)?)
        .build())
}

fn create_replication_group_member_action(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<CreateReplicationGroupMemberAction> {
    Ok(CreateReplicationGroupMemberAction::builder()
        .set_region_name(cx.req_str(o, "RegionName", p)?)
        .set_kms_master_key_id(opt_str(o, "KMSMasterKeyId")?)
        .set_provisioned_throughput_override(cx.member(o, "ProvisionedThroughputOverride", p, false)?)
        .set_on_demand_throughput_override(cx.member(o, "OnDemandThroughputOverride", p, false)?)
        .set_global_secondary_indexes(cx.list(o, "GlobalSecondaryIndexes", p, false)?)
        .set_table_class_override(opt_str(o, "TableClassOverride")?.map(|s| TableClass::from(s.as_str())))
        .build())
}

fn update_replication_group_member_action(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<UpdateReplicationGroupMemberAction> {
    Ok(UpdateReplicationGroupMemberAction::builder()
        .set_region_name(cx.req_str(o, "RegionName", p)?)
        .set_kms_master_key_id(opt_str(o, "KMSMasterKeyId")?)
        .set_provisioned_throughput_override(cx.member(o, "ProvisionedThroughputOverride", p, false)?)
        .set_on_demand_throughput_override(cx.member(o, "OnDemandThroughputOverride", p, false)?)
        .set_global_secondary_indexes(cx.list(o, "GlobalSecondaryIndexes", p, false)?)
        .set_table_class_override(opt_str(o, "TableClassOverride")?.map(|s| TableClass::from(s.as_str())))
        .build())
}

fn delete_replication_group_member_action(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<DeleteReplicationGroupMemberAction> {
    Ok(DeleteReplicationGroupMemberAction::builder()
        .set_region_name(cx.req_str(o, "RegionName", p)?)
        .build())
}

fn disassociate_replication_group_member_action(
    cx: &mut Ctx,
    o: &Obj,
    p: &str,
) -> Dec<DisassociateReplicationGroupMemberAction> {
    Ok(DisassociateReplicationGroupMemberAction::builder()
        .set_region_name(cx.req_str(o, "RegionName", p)?)
        .set_disassociation_mode(
            cx.req_str(o, "DisassociationMode", p)?
                .map(|s| DisassociationMode::from(s.as_str())),
        )
        .build())
}

fn replication_group_update(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<ReplicationGroupUpdate> {
    Ok(Ok(ReplicationGroupUpdate::builder()
        .set_create(cx.member(o, "Create", p, false)?)
        .set_update(cx.member(o, "Update", p, false)?)
        .set_delete(cx.member(o, "Delete", p, false)?)
        .set_disassociate(cx.member(o, "Disassociate", p, false)?)
        .build()))
}

fn create_global_table_witness_group_member_action(
    cx: &mut Ctx,
    o: &Obj,
    p: &str,
) -> Dec<CreateGlobalTableWitnessGroupMemberAction> {
    Ok(CreateGlobalTableWitnessGroupMemberAction::builder()
        .set_region_name(cx.req_str(o, "RegionName", p)?)
        .build())
}

fn delete_global_table_witness_group_member_action(
    cx: &mut Ctx,
    o: &Obj,
    p: &str,
) -> Dec<DeleteGlobalTableWitnessGroupMemberAction> {
    Ok(DeleteGlobalTableWitnessGroupMemberAction::builder()
        .set_region_name(cx.req_str(o, "RegionName", p)?)
        .build())
}

fn global_table_witness_group_update(cx: &mut Ctx, o: &Obj, p: &str) -> Dec<GlobalTableWitnessGroupUpdate> {
    Ok(Ok(GlobalTableWitnessGroupUpdate::builder()
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

// ---------------------------------------------------------------------------------------------------------------
// Operation inputs
// ---------------------------------------------------------------------------------------------------------------

/// Decodes a `CreateTable` request body.
///
/// `TableName` is required here; `KeySchema` and `AttributeDefinitions`, optional in the current model (a
/// multi-account global table replica names only `GlobalTableSourceArn`), are left for the engine to demand.
pub fn create_table_input(body: &Json) -> Result<CreateTableInput, CodecError> {
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
        )
        .set_vector_indexes(cx.list(o, "VectorIndexes", "", false)?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes an `UpdateTable` request body.
pub fn update_table_input(body: &Json) -> Result<UpdateTableInput, CodecError> {
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
        .set_replica_updates(cx.list(o, "ReplicaUpdates", "", false)?)
        .set_table_class(opt_str(o, "TableClass")?.map(|s| TableClass::from(s.as_str())))
        .set_deletion_protection_enabled(opt_bool(o, "DeletionProtectionEnabled")?)
        .set_multi_region_consistency(
            opt_str(o, "MultiRegionConsistency")?.map(|s| MultiRegionConsistency::from(s.as_str())),
        )
        .set_global_table_witness_updates(cx.list(o, "GlobalTableWitnessUpdates", "", false)?)
        .set_on_demand_throughput(cx.member(o, "OnDemandThroughput", "", false)?)
        .set_warm_throughput(cx.member(o, "WarmThroughput", "", false)?)
        .set_global_table_settings_replication_mode(
            opt_str(o, "GlobalTableSettingsReplicationMode")?
                .map(|s| GlobalTableSettingsReplicationMode::from(s.as_str())),
        )
        .set_disassociation_protection_enabled(opt_bool(o, "DisassociationProtectionEnabled")?)
        .set_vector_index_updates(cx.list(o, "VectorIndexUpdates", "", false)?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `DeleteTable` request body.
pub fn delete_table_input(body: &Json) -> Result<DeleteTableInput, CodecError> {
    let o = obj(body, "DeleteTableInput")?;
    let mut cx = Ctx::default();
    let b = DeleteTableInput::builder().set_table_name(cx.req_str(o, "TableName", "")?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `DescribeTable` request body.
pub fn describe_table_input(body: &Json) -> Result<DescribeTableInput, CodecError> {
    let o = obj(body, "DescribeTableInput")?;
    let mut cx = Ctx::default();
    let b = DescribeTableInput::builder().set_table_name(cx.req_str(o, "TableName", "")?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `ListTables` request body.
pub fn list_tables_input(body: &Json) -> Result<ListTablesInput, CodecError> {
    let o = obj(body, "ListTablesInput")?;
    ListTablesInput::builder()
        .set_exclusive_start_table_name(opt_str(o, "ExclusiveStartTableName")?)
        .set_limit(opt_i32(o, "Limit")?)
        .build()
        .map_err(validation)
}

/// Decodes a `TagResource` request body.
pub fn tag_resource_input(body: &Json) -> Result<TagResourceInput, CodecError> {
    let o = obj(body, "TagResourceInput")?;
    let mut cx = Ctx::default();
    let b = TagResourceInput::builder()
        .set_resource_arn(cx.req_str(o, "ResourceArn", "")?)
        .set_tags(cx.list(o, "Tags", "", true)?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes an `UntagResource` request body.
pub fn untag_resource_input(body: &Json) -> Result<UntagResourceInput, CodecError> {
    let o = obj(body, "UntagResourceInput")?;
    let mut cx = Ctx::default();
    let b = UntagResourceInput::builder()
        .set_resource_arn(cx.req_str(o, "ResourceArn", "")?)
        .set_tag_keys(cx.strings(o, "TagKeys", "", true)?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `ListTagsOfResource` request body.
pub fn list_tags_of_resource_input(body: &Json) -> Result<ListTagsOfResourceInput, CodecError> {
    let o = obj(body, "ListTagsOfResourceInput")?;
    let mut cx = Ctx::default();
    let b = ListTagsOfResourceInput::builder()
        .set_resource_arn(cx.req_str(o, "ResourceArn", "")?)
        .set_next_token(opt_str(o, "NextToken")?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes an `UpdateTimeToLive` request body.
pub fn update_time_to_live_input(body: &Json) -> Result<UpdateTimeToLiveInput, CodecError> {
    let o = obj(body, "UpdateTimeToLiveInput")?;
    let mut cx = Ctx::default();
    let b = UpdateTimeToLiveInput::builder()
        .set_table_name(cx.req_str(o, "TableName", "")?)
        .set_time_to_live_specification(cx.member(o, "TimeToLiveSpecification", "", true)?);
    cx.finish()?;
    b.build().map_err(validation)
}

/// Decodes a `DescribeTimeToLive` request body.
pub fn describe_time_to_live_input(body: &Json) -> Result<DescribeTimeToLiveInput, CodecError> {
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

fn provisioned_throughput_override_json(p: &ProvisionedThroughputOverride) -> Json {
    Out::default().i("ReadCapacityUnits", p.read_capacity_units).done()
}

fn on_demand_throughput_override_json(p: &OnDemandThroughputOverride) -> Json {
    Out::default().i("MaxReadRequestUnits", p.max_read_request_units).done()
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

fn replica_global_secondary_index_description_json(d: &ReplicaGlobalSecondaryIndexDescription) -> Json {
    Out::default()
        .s("IndexName", d.index_name.as_deref())
        .o(
            "ProvisionedThroughputOverride",
            d.provisioned_throughput_override.as_ref(),
            provisioned_throughput_override_json,
        )
        .o(
            "OnDemandThroughputOverride",
            d.on_demand_throughput_override.as_ref(),
            on_demand_throughput_override_json,
        )
        .o(
            "WarmThroughput",
            d.warm_throughput.as_ref(),
            global_secondary_index_warm_throughput_description_json,
        )
        .done()
}

fn replica_description_json(r: &ReplicaDescription) -> Json {
    Out::default()
        .s("RegionName", r.region_name.as_deref())
        .s("ReplicaStatus", r.replica_status.as_ref().map(|s| s.as_str()))
        .s("ReplicaArn", r.replica_arn.as_deref())
        .s("ReplicaStatusDescription", r.replica_status_description.as_deref())
        .s(
            "ReplicaStatusPercentProgress",
            r.replica_status_percent_progress.as_deref(),
        )
        .s("KMSMasterKeyId", r.kms_master_key_id.as_deref())
        .o(
            "ProvisionedThroughputOverride",
            r.provisioned_throughput_override.as_ref(),
            provisioned_throughput_override_json,
        )
        .o(
            "OnDemandThroughputOverride",
            r.on_demand_throughput_override.as_ref(),
            on_demand_throughput_override_json,
        )
        .o(
            "WarmThroughput",
            r.warm_throughput.as_ref(),
            table_warm_throughput_description_json,
        )
        .l(
            "GlobalSecondaryIndexes",
            r.global_secondary_indexes.as_deref(),
            replica_global_secondary_index_description_json,
        )
        .t("ReplicaInaccessibleDateTime", r.replica_inaccessible_date_time.as_ref())
        .o(
            "ReplicaTableClassSummary",
            r.replica_table_class_summary.as_ref(),
            table_class_summary_json,
        )
        .s(
            "GlobalTableSettingsReplicationMode",
            r.global_table_settings_replication_mode.as_ref().map(|m| m.as_str()),
        )
        .done()
}

fn global_table_witness_description_json(w: &GlobalTableWitnessDescription) -> Json {
    Out::default()
        .s("RegionName", w.region_name.as_deref())
        .s("WitnessStatus", w.witness_status.as_ref().map(|s| s.as_str()))
        .done()
}

fn restore_summary_json(r: &RestoreSummary) -> Json {
    Out::default()
        .s("SourceBackupArn", r.source_backup_arn.as_deref())
        .s("SourceTableArn", r.source_table_arn.as_deref())
        .t("RestoreDateTime", Some(&r.restore_date_time))
        .b("RestoreInProgress", Some(r.restore_in_progress))
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

fn archival_summary_json(a: &ArchivalSummary) -> Json {
    Out::default()
        .t("ArchivalDateTime", a.archival_date_time.as_ref())
        .s("ArchivalReason", a.archival_reason.as_deref())
        .s("ArchivalBackupArn", a.archival_backup_arn.as_deref())
        .done()
}

fn search_schema_element_json(e: &SearchSchemaElement) -> Json {
    Out::default()
        .s("AttributeName", Some(&e.attribute_name))
        .s("SearchSchemaElementType", Some(e.search_schema_element_type.as_str()))
        .done()
}

fn vector_attribute_definition_json(a: &VectorAttributeDefinition) -> Json {
    Out::default().s("AttributeName", Some(&a.attribute_name)).done()
}

fn vector_index_description_json(d: &VectorIndexDescription) -> Json {
    Out::default()
        .s("IndexName", d.index_name.as_deref())
        .l("SearchSchema", d.search_schema.as_deref(), search_schema_element_json)
        .o("Projection", d.projection.as_ref(), projection_json)
        .o(
            "VectorAttribute",
            d.vector_attribute.as_ref(),
            vector_attribute_definition_json,
        )
        .i("Dimensions", d.dimensions)
        .s("DistanceFunction", d.distance_function.as_ref().map(|f| f.as_str()))
        .s("IndexStatus", d.index_status.as_ref().map(|s| s.as_str()))
        .b("Backfilling", d.backfilling)
        .i("IndexSizeBytes", d.index_size_bytes)
        .i("ItemCount", d.item_count)
        .s("IndexArn", d.index_arn.as_deref())
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
        .l("Replicas", t.replicas.as_deref(), replica_description_json)
        .l(
            "GlobalTableWitnesses",
            t.global_table_witnesses.as_deref(),
            global_table_witness_description_json,
        )
        .s(
            "GlobalTableSettingsReplicationMode",
            t.global_table_settings_replication_mode.as_ref().map(|m| m.as_str()),
        )
        .o("RestoreSummary", t.restore_summary.as_ref(), restore_summary_json)
        .o("SSEDescription", t.sse_description.as_ref(), sse_description_json)
        .o("ArchivalSummary", t.archival_summary.as_ref(), archival_summary_json)
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
        .l(
            "VectorIndexes",
            t.vector_indexes.as_deref(),
            vector_index_description_json,
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
pub fn create_table_output(out: &CreateTableOutput) -> Json {
    Out::default()
        .o(
            "TableDescription",
            out.table_description.as_ref(),
            table_description_json,
        )
        .done()
}

/// Encodes an `UpdateTable` response body: `{"TableDescription": ...}`.
pub fn update_table_output(out: &UpdateTableOutput) -> Json {
    Out::default()
        .o(
            "TableDescription",
            out.table_description.as_ref(),
            table_description_json,
        )
        .done()
}

/// Encodes a `DeleteTable` response body: `{"TableDescription": ...}`.
pub fn delete_table_output(out: &DeleteTableOutput) -> Json {
    Out::default()
        .o(
            "TableDescription",
            out.table_description.as_ref(),
            table_description_json,
        )
        .done()
}

/// Encodes a `DescribeTable` response body: `{"Table": ...}`.
pub fn describe_table_output(out: &DescribeTableOutput) -> Json {
    Out::default()
        .o("Table", out.table.as_ref(), table_description_json)
        .done()
}

/// Encodes a `ListTables` response body: `{"TableNames": [...], "LastEvaluatedTableName": ...}`.
pub fn list_tables_output(out: &ListTablesOutput) -> Json {
    Out::default()
        .strs("TableNames", out.table_names.as_deref())
        .s("LastEvaluatedTableName", out.last_evaluated_table_name.as_deref())
        .done()
}

/// Encodes a `TagResource` response body: `{}`.
pub fn tag_resource_output(_out: &TagResourceOutput) -> Json {
    Out::default().done()
}

/// Encodes an `UntagResource` response body: `{}`.
pub fn untag_resource_output(_out: &UntagResourceOutput) -> Json {
    Out::default().done()
}

/// Encodes a `ListTagsOfResource` response body: `{"Tags": [...], "NextToken": ...}`.
pub fn list_tags_of_resource_output(out: &ListTagsOfResourceOutput) -> Json {
    Out::default()
        .l("Tags", out.tags.as_deref(), tag_json)
        .s("NextToken", out.next_token.as_deref())
        .done()
}

/// Encodes an `UpdateTimeToLive` response body: `{"TimeToLiveSpecification": ...}`.
pub fn update_time_to_live_output(out: &UpdateTimeToLiveOutput) -> Json {
    Out::default()
        .o(
            "TimeToLiveSpecification",
            out.time_to_live_specification.as_ref(),
            time_to_live_specification_json,
        )
        .done()
}

/// Encodes a `DescribeTimeToLive` response body: `{"TimeToLiveDescription": ...}`.
pub fn describe_time_to_live_output(out: &DescribeTimeToLiveOutput) -> Json {
    Out::default()
        .o(
            "TimeToLiveDescription",
            out.time_to_live_description.as_ref(),
            time_to_live_description_json,
        )
        .done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ks(name: &str, ty: KeyType) -> KeySchemaElement {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(ty)
            .build()
            .unwrap()
    }

    fn ad(name: &str, ty: ScalarAttributeType) -> AttributeDefinition {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ty)
            .build()
            .unwrap()
    }

    fn pt(r: i64, w: i64) -> ProvisionedThroughput {
        ProvisionedThroughput::builder()
            .read_capacity_units(r)
            .write_capacity_units(w)
            .build()
            .unwrap()
    }

    fn tag(k: &str, v: &str) -> Tag {
        Tag::builder().key(k).value(v).build().unwrap()
    }

    fn ser_err<T: std::fmt::Debug>(r: Result<T, CodecError>) -> String {
        match r {
            Err(CodecError::Serialization(m)) => m,
            other => panic!("expected SerializationException, got {other:?}"),
        }
    }

    fn val_err<T: std::fmt::Debug>(r: Result<T, CodecError>) -> String {
        match r {
            Err(CodecError::Validation(m)) => m,
            other => panic!("expected ValidationException, got {other:?}"),
        }
    }

    fn null_at(path: &str) -> String {
        format!("Value null at '{path}' failed to satisfy constraint: Member must not be null")
    }

    // -- inputs --------------------------------------------------------------------------------------------------

    #[test]
    fn create_table_cli_provisioned() {
        // aws dynamodb create-table --table-name Music \
        //   --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S \
        //   --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE \
        //   --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 --table-class STANDARD
        let body = json!({
            "AttributeDefinitions": [
                {"AttributeName": "Artist", "AttributeType": "S"},
                {"AttributeName": "SongTitle", "AttributeType": "S"}
            ],
            "TableName": "Music",
            "KeySchema": [
                {"AttributeName": "Artist", "KeyType": "HASH"},
                {"AttributeName": "SongTitle", "KeyType": "RANGE"}
            ],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            "TableClass": "STANDARD"
        });
        let want = CreateTableInput::builder()
            .attribute_definitions(ad("Artist", ScalarAttributeType::S))
            .attribute_definitions(ad("SongTitle", ScalarAttributeType::S))
            .table_name("Music")
            .key_schema(ks("Artist", KeyType::Hash))
            .key_schema(ks("SongTitle", KeyType::Range))
            .provisioned_throughput(pt(5, 5))
            .table_class(TableClass::Standard)
            .build()
            .unwrap();
        assert_eq!(create_table_input(&body).unwrap(), want);
    }

    #[test]
    fn create_table_every_member() {
        let body = json!({
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
                {"AttributeName": "g", "AttributeType": "B"}
            ],
            "TableName": "Everything",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "LocalSecondaryIndexes": [{
                "IndexName": "lsi",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]}
            }],
            "GlobalSecondaryIndexes": [{
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2},
                "OnDemandThroughput": {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 20},
                "WarmThroughput": {"ReadUnitsPerSecond": 100, "WriteUnitsPerSecond": 200}
            }],
            "BillingMode": "PAY_PER_REQUEST",
            "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4},
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "SSESpecification": {"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "alias/k"},
            "Tags": [{"Key": "env", "Value": "test"}],
            "TableClass": "STANDARD_INFREQUENT_ACCESS",
            "DeletionProtectionEnabled": true,
            "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000},
            "ResourcePolicy": "{\"Version\":\"2012-10-17\"}",
            "OnDemandThroughput": {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50},
            "GlobalTableSourceArn": "arn:aws:dynamodb:us-east-1:111122223333:table/Src",
            "GlobalTableSettingsReplicationMode": "ENABLED",
            "VectorIndexes": [{
                "IndexName": "vec",
                "VectorAttribute": {"AttributeName": "embedding"},
                "SearchSchema": [{"AttributeName": "pk", "SearchSchemaElementType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "Dimensions": 3,
                "DistanceFunction": "COSINE"
            }],
            "SomeFutureMember": {"ignored": true}
        });
        let want = CreateTableInput::builder()
            .attribute_definitions(ad("pk", ScalarAttributeType::S))
            .attribute_definitions(ad("sk", ScalarAttributeType::N))
            .attribute_definitions(ad("g", ScalarAttributeType::B))
            .table_name("Everything")
            .key_schema(ks("pk", KeyType::Hash))
            .key_schema(ks("sk", KeyType::Range))
            .local_secondary_indexes(
                LocalSecondaryIndex::builder()
                    .index_name("lsi")
                    .key_schema(ks("pk", KeyType::Hash))
                    .key_schema(ks("g", KeyType::Range))
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::Include)
                            .non_key_attributes("a")
                            .non_key_attributes("b")
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name("gsi")
                    .key_schema(ks("g", KeyType::Hash))
                    .projection(Projection::builder().projection_type(ProjectionType::KeysOnly).build())
                    .provisioned_throughput(pt(1, 2))
                    .on_demand_throughput(
                        OnDemandThroughput::builder()
                            .max_read_request_units(10)
                            .max_write_request_units(20)
                            .build(),
                    )
                    .warm_throughput(
                        WarmThroughput::builder()
                            .read_units_per_second(100)
                            .write_units_per_second(200)
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .billing_mode(BillingMode::PayPerRequest)
            .provisioned_throughput(pt(3, 4))
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewAndOldImages)
                    .build()
                    .unwrap(),
            )
            .sse_specification(
                SseSpecification::builder()
                    .enabled(true)
                    .sse_type(SseType::Kms)
                    .kms_master_key_id("alias/k")
                    .build(),
            )
            .tags(tag("env", "test"))
            .table_class(TableClass::StandardInfrequentAccess)
            .deletion_protection_enabled(true)
            .warm_throughput(
                WarmThroughput::builder()
                    .read_units_per_second(12000)
                    .write_units_per_second(4000)
                    .build(),
            )
            .resource_policy("{\"Version\":\"2012-10-17\"}")
            .on_demand_throughput(
                OnDemandThroughput::builder()
                    .max_read_request_units(100)
                    .max_write_request_units(50)
                    .build(),
            )
            .global_table_source_arn("arn:aws:dynamodb:us-east-1:111122223333:table/Src")
            .global_table_settings_replication_mode(GlobalTableSettingsReplicationMode::Enabled)
            .vector_indexes(
                VectorIndex::builder()
                    .index_name("vec")
                    .vector_attribute(
                        VectorAttributeDefinition::builder()
                            .attribute_name("embedding")
                            .build()
                            .unwrap(),
                    )
                    .search_schema(
                        SearchSchemaElement::builder()
                            .attribute_name("pk")
                            .search_schema_element_type(SearchSchemaElementType::Hash)
                            .build()
                            .unwrap(),
                    )
                    .projection(Projection::builder().projection_type(ProjectionType::All).build())
                    .dimensions(3)
                    .distance_function(VectorDistanceFunction::Cosine)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert_eq!(create_table_input(&body).unwrap(), want);
    }

    #[test]
    fn create_table_unknown_enum_values_pass_through() {
        let body = json!({
            "TableName": "t",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "SS"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": "FREE"
        });
        let input = create_table_input(&body).unwrap();
        assert_eq!(input.attribute_definitions()[0].attribute_type().as_str(), "SS");
        assert_eq!(input.billing_mode().map(BillingMode::as_str), Some("FREE"));
    }

    #[test]
    fn create_table_nulls_count_as_absent() {
        let body = json!({"TableName": "t", "KeySchema": null, "BillingMode": null, "ProvisionedThroughput": null});
        assert_eq!(
            create_table_input(&body).unwrap(),
            CreateTableInput::builder().table_name("t").build().unwrap()
        );
    }

    #[test]
    fn update_table_gsi_updates() {
        // aws dynamodb update-table --table-name Music --attribute-definitions AttributeName=AlbumTitle,AttributeType=S \
        //   --global-secondary-index-updates file://gsi.json
        let body = json!({
            "AttributeDefinitions": [{"AttributeName": "AlbumTitle", "AttributeType": "S"}],
            "TableName": "Music",
            "GlobalSecondaryIndexUpdates": [
                {"Create": {
                    "IndexName": "AlbumTitle-index",
                    "KeySchema": [{"AttributeName": "AlbumTitle", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                    "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
                    "OnDemandThroughput": {"MaxReadRequestUnits": 7},
                    "WarmThroughput": {"ReadUnitsPerSecond": 3}
                }},
                {"Update": {
                    "IndexName": "Other-index",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
                    "OnDemandThroughput": {"MaxWriteRequestUnits": 9},
                    "WarmThroughput": {"WriteUnitsPerSecond": 4}
                }},
                {"Delete": {"IndexName": "Old-index"}}
            ]
        });
        let want = UpdateTableInput::builder()
            .attribute_definitions(ad("AlbumTitle", ScalarAttributeType::S))
            .table_name("Music")
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder()
                    .create(
                        CreateGlobalSecondaryIndexAction::builder()
                            .index_name("AlbumTitle-index")
                            .key_schema(ks("AlbumTitle", KeyType::Hash))
                            .projection(Projection::builder().projection_type(ProjectionType::All).build())
                            .provisioned_throughput(pt(10, 5))
                            .on_demand_throughput(OnDemandThroughput::builder().max_read_request_units(7).build())
                            .warm_throughput(WarmThroughput::builder().read_units_per_second(3).build())
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder()
                    .update(
                        UpdateGlobalSecondaryIndexAction::builder()
                            .index_name("Other-index")
                            .provisioned_throughput(pt(2, 2))
                            .on_demand_throughput(OnDemandThroughput::builder().max_write_request_units(9).build())
                            .warm_throughput(WarmThroughput::builder().write_units_per_second(4).build())
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder()
                    .delete(
                        DeleteGlobalSecondaryIndexAction::builder()
                            .index_name("Old-index")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build()
            .unwrap();
        assert_eq!(update_table_input(&body).unwrap(), want);
    }

    #[test]
    fn update_table_other_members() {
        let body = json!({
            "TableName": "t",
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {"ReadCapacityUnits": 20, "WriteCapacityUnits": 10},
            "StreamSpecification": {"StreamEnabled": false},
            "SSESpecification": {"Enabled": false},
            "ReplicaUpdates": [
                {"Create": {
                    "RegionName": "eu-west-1",
                    "KMSMasterKeyId": "k",
                    "ProvisionedThroughputOverride": {"ReadCapacityUnits": 5},
                    "OnDemandThroughputOverride": {"MaxReadRequestUnits": 6},
                    "GlobalSecondaryIndexes": [{
                        "IndexName": "gsi",
                        "ProvisionedThroughputOverride": {"ReadCapacityUnits": 1},
                        "OnDemandThroughputOverride": {"MaxReadRequestUnits": 2}
                    }],
                    "TableClassOverride": "STANDARD"
                }},
                {"Update": {"RegionName": "us-west-2", "TableClassOverride": "STANDARD_INFREQUENT_ACCESS"}},
                {"Delete": {"RegionName": "ap-south-1"}},
                {"Disassociate": {"RegionName": "sa-east-1", "DisassociationMode": "SOME_MODE"}}
            ],
            "TableClass": "STANDARD",
            "DeletionProtectionEnabled": false,
            "MultiRegionConsistency": "STRONG",
            "GlobalTableWitnessUpdates": [
                {"Create": {"RegionName": "us-east-2"}},
                {"Delete": {"RegionName": "us-east-1"}}
            ],
            "OnDemandThroughput": {"MaxReadRequestUnits": -1},
            "WarmThroughput": {"ReadUnitsPerSecond": 15000},
            "GlobalTableSettingsReplicationMode": "ENABLED_WITH_OVERRIDES",
            "DisassociationProtectionEnabled": true,
            "VectorIndexUpdates": [
                {"Create": {
                    "IndexName": "v",
                    "VectorAttribute": {"AttributeName": "e"},
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                    "Dimensions": 128,
                    "DistanceFunction": "EUCLIDEAN"
                }},
                {"Delete": {"IndexName": "w"}}
            ]
        });
        let want = UpdateTableInput::builder()
            .table_name("t")
            .billing_mode(BillingMode::Provisioned)
            .provisioned_throughput(pt(20, 10))
            .stream_specification(StreamSpecification::builder().stream_enabled(false).build().unwrap())
            .sse_specification(SseSpecification::builder().enabled(false).build())
            .replica_updates(
                ReplicationGroupUpdate::builder()
                    .create(
                        CreateReplicationGroupMemberAction::builder()
                            .region_name("eu-west-1")
                            .kms_master_key_id("k")
                            .provisioned_throughput_override(
                                ProvisionedThroughputOverride::builder().read_capacity_units(5).build(),
                            )
                            .on_demand_throughput_override(
                                OnDemandThroughputOverride::builder().max_read_request_units(6).build(),
                            )
                            .global_secondary_indexes(
                                ReplicaGlobalSecondaryIndex::builder()
                                    .index_name("gsi")
                                    .provisioned_throughput_override(
                                        ProvisionedThroughputOverride::builder().read_capacity_units(1).build(),
                                    )
                                    .on_demand_throughput_override(
                                        OnDemandThroughputOverride::builder().max_read_request_units(2).build(),
                                    )
                                    .build()
                                    .unwrap(),
                            )
                            .table_class_override(TableClass::Standard)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .replica_updates(
                ReplicationGroupUpdate::builder()
                    .update(
                        UpdateReplicationGroupMemberAction::builder()
                            .region_name("us-west-2")
                            .table_class_override(TableClass::StandardInfrequentAccess)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .replica_updates(
                ReplicationGroupUpdate::builder()
                    .delete(
                        DeleteReplicationGroupMemberAction::builder()
                            .region_name("ap-south-1")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .replica_updates(
                ReplicationGroupUpdate::builder()
                    .disassociate(
                        DisassociateReplicationGroupMemberAction::builder()
                            .region_name("sa-east-1")
                            .disassociation_mode(DisassociationMode::from("SOME_MODE"))
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .table_class(TableClass::Standard)
            .deletion_protection_enabled(false)
            .multi_region_consistency(MultiRegionConsistency::Strong)
            .global_table_witness_updates(
                GlobalTableWitnessGroupUpdate::builder()
                    .create(
                        CreateGlobalTableWitnessGroupMemberAction::builder()
                            .region_name("us-east-2")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .global_table_witness_updates(
                GlobalTableWitnessGroupUpdate::builder()
                    .delete(
                        DeleteGlobalTableWitnessGroupMemberAction::builder()
                            .region_name("us-east-1")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .on_demand_throughput(OnDemandThroughput::builder().max_read_request_units(-1).build())
            .warm_throughput(WarmThroughput::builder().read_units_per_second(15000).build())
            .global_table_settings_replication_mode(GlobalTableSettingsReplicationMode::EnabledWithOverrides)
            .disassociation_protection_enabled(true)
            .vector_index_updates(
                VectorIndexUpdate::builder()
                    .create(
                        CreateVectorIndexAction::builder()
                            .index_name("v")
                            .vector_attribute(
                                VectorAttributeDefinition::builder()
                                    .attribute_name("e")
                                    .build()
                                    .unwrap(),
                            )
                            .projection(Projection::builder().projection_type(ProjectionType::KeysOnly).build())
                            .dimensions(128)
                            .distance_function(VectorDistanceFunction::Euclidean)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .vector_index_updates(
                VectorIndexUpdate::builder()
                    .delete(DeleteVectorIndexAction::builder().index_name("w").build().unwrap())
                    .build(),
            )
            .build()
            .unwrap();
        assert_eq!(update_table_input(&body).unwrap(), want);
    }

    #[test]
    fn simple_inputs() {
        let body = json!({"TableName": "Music"});
        assert_eq!(
            describe_table_input(&body).unwrap(),
            DescribeTableInput::builder().table_name("Music").build().unwrap()
        );
        assert_eq!(
            delete_table_input(&body).unwrap(),
            DeleteTableInput::builder().table_name("Music").build().unwrap()
        );
        assert_eq!(
            describe_time_to_live_input(&body).unwrap(),
            DescribeTimeToLiveInput::builder().table_name("Music").build().unwrap()
        );
    }

    #[test]
    fn list_tables_inputs() {
        // aws dynamodb list-tables (the CLI paginates with Limit unset) and boto3 list_tables(Limit=5, ...).
        assert_eq!(
            list_tables_input(&json!({})).unwrap(),
            ListTablesInput::builder().build().unwrap()
        );
        assert_eq!(
            list_tables_input(&json!({"ExclusiveStartTableName": "Forum", "Limit": 5})).unwrap(),
            ListTablesInput::builder()
                .exclusive_start_table_name("Forum")
                .limit(5)
                .build()
                .unwrap()
        );
    }

    #[test]
    fn tag_inputs() {
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Music";
        // aws dynamodb tag-resource --resource-arn ... --tags Key=Owner,Value=blueTeam Key=Env,Value=prod
        let body = json!({
            "ResourceArn": arn,
            "Tags": [{"Key": "Owner", "Value": "blueTeam"}, {"Key": "Env", "Value": "prod"}]
        });
        assert_eq!(
            tag_resource_input(&body).unwrap(),
            TagResourceInput::builder()
                .resource_arn(arn)
                .tags(tag("Owner", "blueTeam"))
                .tags(tag("Env", "prod"))
                .build()
                .unwrap()
        );
        // aws dynamodb untag-resource --resource-arn ... --tag-keys Owner Env
        let body = json!({"ResourceArn": arn, "TagKeys": ["Owner", "Env"]});
        assert_eq!(
            untag_resource_input(&body).unwrap(),
            UntagResourceInput::builder()
                .resource_arn(arn)
                .tag_keys("Owner")
                .tag_keys("Env")
                .build()
                .unwrap()
        );
        let body = json!({"ResourceArn": arn, "NextToken": "tok"});
        assert_eq!(
            list_tags_of_resource_input(&body).unwrap(),
            ListTagsOfResourceInput::builder()
                .resource_arn(arn)
                .next_token("tok")
                .build()
                .unwrap()
        );
        assert_eq!(
            list_tags_of_resource_input(&json!({"ResourceArn": arn})).unwrap(),
            ListTagsOfResourceInput::builder().resource_arn(arn).build().unwrap()
        );
    }

    #[test]
    fn update_time_to_live_cli() {
        // aws dynamodb update-time-to-live --table-name MusicCollection \
        //   --time-to-live-specification Enabled=true,AttributeName=ttl
        let body = json!({
            "TableName": "MusicCollection",
            "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "ttl"}
        });
        assert_eq!(
            update_time_to_live_input(&body).unwrap(),
            UpdateTimeToLiveInput::builder()
                .table_name("MusicCollection")
                .time_to_live_specification(
                    TimeToLiveSpecification::builder()
                        .enabled(true)
                        .attribute_name("ttl")
                        .build()
                        .unwrap()
                )
                .build()
                .unwrap()
        );
    }

    // -- input errors --------------------------------------------------------------------------------------------

    #[test]
    fn wrong_scalar_types_are_serialization_errors() {
        // The message of a wrong scalar comes from the shared codec helpers; only the kind is pinned here.
        ser_err(list_tables_input(&json!({"Limit": "5"})));
        ser_err(list_tables_input(&json!({"ExclusiveStartTableName": 5})));
        ser_err(describe_table_input(&json!({"TableName": true})));
        ser_err(create_table_input(
            &json!({"TableName": "t", "DeletionProtectionEnabled": "yes"}),
        ));
        ser_err(create_table_input(
            &json!({"TableName": "t", "ProvisionedThroughput": {"ReadCapacityUnits": "1", "WriteCapacityUnits": 1}}),
        ));
        ser_err(create_table_input(
            &json!({"TableName": "t", "KeySchema": [{"AttributeName": 1, "KeyType": "HASH"}]}),
        ));
        ser_err(untag_resource_input(&json!({"ResourceArn": "a", "TagKeys": ["k", 3]})));
        ser_err(update_time_to_live_input(
            &json!({"TableName": "t", "TimeToLiveSpecification": {"Enabled": 1, "AttributeName": "a"}}),
        ));
        ser_err(list_tables_input(&json!([])));
    }

    #[test]
    fn wrong_structure_types_are_serialization_errors() {
        let ct = |v: Json| create_table_input(&v);
        assert_eq!(
            ser_err(ct(json!({"TableName": "t", "KeySchema": "HASH"}))),
            "Unexpected field type"
        );
        assert_eq!(
            ser_err(ct(json!({"TableName": "t", "KeySchema": {"AttributeName": "a"}}))),
            "Start of structure or map found where not expected"
        );
        assert_eq!(
            ser_err(ct(json!({"TableName": "t", "KeySchema": ["pk"]}))),
            "Unexpected value type in payload"
        );
        assert_eq!(
            ser_err(ct(json!({"TableName": "t", "KeySchema": [[]]}))),
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement"
        );
        assert_eq!(
            ser_err(ct(json!({"TableName": "t", "ProvisionedThroughput": 5}))),
            "Unexpected field type"
        );
        assert_eq!(
            ser_err(ct(json!({"TableName": "t", "ProvisionedThroughput": [5]}))),
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput"
        );
        assert_eq!(
            ser_err(ct(json!({"TableName": "t", "SSESpecification": []}))),
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.SSESpecification"
        );
        assert_eq!(
            ser_err(ct(
                json!({"TableName": "t", "LocalSecondaryIndexes": [{"Projection": {"NonKeyAttributes": "a"}}]})
            )),
            "Unexpected field type"
        );
        assert_eq!(
            ser_err(untag_resource_input(&json!({"ResourceArn": "a", "TagKeys": {"k": 1}}))),
            "Start of structure or map found where not expected"
        );
        assert_eq!(
            ser_err(update_table_input(
                &json!({"TableName": "t", "GlobalSecondaryIndexUpdates": [{"Delete": "i"}]})
            )),
            "Unexpected field type"
        );
    }

    #[test]
    fn serialization_errors_win_over_validation_errors() {
        let body = json!({"KeySchema": [{}], "Limit": 1, "ProvisionedThroughput": true});
        assert_eq!(ser_err(create_table_input(&body)), "Unexpected field type");
    }

    #[test]
    fn missing_table_name() {
        let want = format!("1 validation error detected: {}", null_at("tableName"));
        assert_eq!(val_err(create_table_input(&json!({}))), want);
        assert_eq!(val_err(describe_table_input(&json!({"TableName": null}))), want);
        assert_eq!(val_err(delete_table_input(&json!({}))), want);
        assert_eq!(val_err(update_table_input(&json!({}))), want);
        assert_eq!(val_err(describe_time_to_live_input(&json!({}))), want);
    }

    #[test]
    fn missing_nested_members() {
        let body = json!({
            "TableName": "t",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {}],
            "KeySchema": [{"AttributeName": "pk"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 1}
        });
        assert_eq!(
            val_err(create_table_input(&body)),
            format!(
                "4 validation errors detected: {}; {}; {}; {}",
                null_at("attributeDefinitions.2.member.attributeName"),
                null_at("attributeDefinitions.2.member.attributeType"),
                null_at("keySchema.1.member.keyType"),
                null_at("provisionedThroughput.writeCapacityUnits"),
            )
        );
    }

    #[test]
    fn missing_index_members() {
        let body = json!({
            "TableName": "t",
            "LocalSecondaryIndexes": [{"IndexName": "l", "KeySchema": [null]}],
            "GlobalSecondaryIndexes": [{"KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {}}],
            "StreamSpecification": {"StreamViewType": "KEYS_ONLY"},
            "Tags": [{"Key": "k"}]
        });
        assert_eq!(
            val_err(create_table_input(&body)),
            format!(
                "6 validation errors detected: {}; {}; {}; {}; {}; {}",
                null_at("localSecondaryIndexes.1.member.keySchema.1.member.attributeName"),
                null_at("localSecondaryIndexes.1.member.keySchema.1.member.keyType"),
                null_at("localSecondaryIndexes.1.member.projection"),
                null_at("globalSecondaryIndexes.1.member.indexName"),
                null_at("streamSpecification.streamEnabled"),
                null_at("tags.1.member.value"),
            )
        );
        let body = json!({
            "TableName": "t",
            "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "i"}}, {"Delete": {}}],
            "ReplicaUpdates": [{"Disassociate": {"RegionName": "r"}}],
            "VectorIndexUpdates": [{"Create": {"IndexName": "v", "Projection": {}}}]
        });
        assert_eq!(
            val_err(update_table_input(&body)),
            format!(
                "7 validation errors detected: {}; {}; {}; {}; {}; {}; {}",
                null_at("globalSecondaryIndexUpdates.1.member.create.keySchema"),
                null_at("globalSecondaryIndexUpdates.1.member.create.projection"),
                null_at("globalSecondaryIndexUpdates.2.member.delete.indexName"),
                null_at("replicaUpdates.1.member.disassociate.disassociationMode"),
                null_at("vectorIndexUpdates.1.member.create.vectorAttribute"),
                null_at("vectorIndexUpdates.1.member.create.dimensions"),
                null_at("vectorIndexUpdates.1.member.create.distanceFunction"),
            )
        );
    }

    #[test]
    fn at_most_ten_errors_are_reported() {
        let body = json!({"TableName": "t", "AttributeDefinitions": [{}, {}, {}, {}, {}, {}]});
        let msg = val_err(create_table_input(&body));
        assert!(msg.starts_with("10 validation errors detected: "), "{msg}");
        assert_eq!(msg.matches("Member must not be null").count(), 10);
        assert!(
            msg.ends_with(&null_at("attributeDefinitions.5.member.attributeType")),
            "{msg}"
        );
    }

    #[test]
    fn missing_tag_and_ttl_members() {
        assert_eq!(
            val_err(tag_resource_input(&json!({}))),
            format!(
                "2 validation errors detected: {}; {}",
                null_at("resourceArn"),
                null_at("tags")
            )
        );
        assert_eq!(
            val_err(untag_resource_input(&json!({"ResourceArn": "a"}))),
            format!("1 validation error detected: {}", null_at("tagKeys"))
        );
        assert_eq!(
            val_err(untag_resource_input(
                &json!({"ResourceArn": "a", "TagKeys": ["k", null]})
            )),
            format!("1 validation error detected: {}", null_at("tagKeys.member"))
        );
        assert_eq!(
            val_err(list_tags_of_resource_input(&json!({"NextToken": "x"}))),
            format!("1 validation error detected: {}", null_at("resourceArn"))
        );
        assert_eq!(
            val_err(update_time_to_live_input(&json!({"TableName": "t"}))),
            format!("1 validation error detected: {}", null_at("timeToLiveSpecification"))
        );
        assert_eq!(
            val_err(update_time_to_live_input(
                &json!({"TableName": "t", "TimeToLiveSpecification": {}})
            )),
            format!(
                "2 validation errors detected: {}; {}",
                null_at("timeToLiveSpecification.enabled"),
                null_at("timeToLiveSpecification.attributeName")
            )
        );
    }

    // -- outputs -------------------------------------------------------------------------------------------------

    fn full_description() -> TableDescription {
        let created = DateTime::from_millis(1_700_000_000_123);
        TableDescription::builder()
            .attribute_definitions(ad("pk", ScalarAttributeType::S))
            .attribute_definitions(ad("g", ScalarAttributeType::N))
            .table_name("Music")
            .key_schema(ks("pk", KeyType::Hash))
            .table_status(TableStatus::Active)
            .creation_date_time(created)
            .provisioned_throughput(
                ProvisionedThroughputDescription::builder()
                    .last_increase_date_time(DateTime::from_millis(1_700_000_100_500))
                    .last_decrease_date_time(DateTime::from_secs(1_700_000_200))
                    .number_of_decreases_today(1)
                    .read_capacity_units(5)
                    .write_capacity_units(6)
                    .build(),
            )
            .table_size_bytes(1024)
            .item_count(3)
            .table_arn("arn:aws:dynamodb:us-east-1:000000000000:table/Music")
            .table_id("a1b2c3")
            .billing_mode_summary(
                BillingModeSummary::builder()
                    .billing_mode(BillingMode::Provisioned)
                    .last_update_to_pay_per_request_date_time(DateTime::from_secs(1_600_000_000))
                    .build(),
            )
            .local_secondary_indexes(
                LocalSecondaryIndexDescription::builder()
                    .index_name("lsi")
                    .key_schema(ks("pk", KeyType::Hash))
                    .key_schema(ks("g", KeyType::Range))
                    .projection(Projection::builder().projection_type(ProjectionType::KeysOnly).build())
                    .index_size_bytes(10)
                    .item_count(1)
                    .index_arn("arn:aws:dynamodb:us-east-1:000000000000:table/Music/index/lsi")
                    .build(),
            )
            .global_secondary_indexes(
                GlobalSecondaryIndexDescription::builder()
                    .index_name("gsi")
                    .key_schema(ks("g", KeyType::Hash))
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::Include)
                            .non_key_attributes("x")
                            .build(),
                    )
                    .index_status(IndexStatus::Active)
                    .backfilling(false)
                    .provisioned_throughput(
                        ProvisionedThroughputDescription::builder()
                            .number_of_decreases_today(0)
                            .read_capacity_units(1)
                            .write_capacity_units(2)
                            .build(),
                    )
                    .index_size_bytes(20)
                    .item_count(2)
                    .index_arn("arn:aws:dynamodb:us-east-1:000000000000:table/Music/index/gsi")
                    .on_demand_throughput(OnDemandThroughput::builder().max_read_request_units(-1).build())
                    .warm_throughput(
                        GlobalSecondaryIndexWarmThroughputDescription::builder()
                            .read_units_per_second(12000)
                            .write_units_per_second(4000)
                            .status(IndexStatus::Active)
                            .build(),
                    )
                    .build(),
            )
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewImage)
                    .build()
                    .unwrap(),
            )
            .latest_stream_label("2023-11-14T22:13:20.123")
            .latest_stream_arn("arn:aws:dynamodb:us-east-1:000000000000:table/Music/stream/2023-11-14T22:13:20.123")
            .sse_description(
                SseDescription::builder()
                    .status(SseStatus::Enabled)
                    .sse_type(SseType::Kms)
                    .kms_master_key_arn("arn:aws:kms:us-east-1:000000000000:key/k")
                    .build(),
            )
            .table_class_summary(TableClassSummary::builder().table_class(TableClass::Standard).build())
            .deletion_protection_enabled(false)
            .build()
    }

    fn full_description_json() -> Json {
        json!({
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "g", "AttributeType": "N"}
            ],
            "TableName": "Music",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "TableStatus": "ACTIVE",
            "CreationDateTime": 1_700_000_000.123,
            "ProvisionedThroughput": {
                "LastIncreaseDateTime": 1_700_000_100.5,
                "LastDecreaseDateTime": 1_700_000_200.0,
                "NumberOfDecreasesToday": 1,
                "ReadCapacityUnits": 5,
                "WriteCapacityUnits": 6
            },
            "TableSizeBytes": 1024,
            "ItemCount": 3,
            "TableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Music",
            "TableId": "a1b2c3",
            "BillingModeSummary": {"BillingMode": "PROVISIONED", "LastUpdateToPayPerRequestDateTime": 1_600_000_000.0},
            "LocalSecondaryIndexes": [{
                "IndexName": "lsi",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
                "IndexSizeBytes": 10,
                "ItemCount": 1,
                "IndexArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Music/index/lsi"
            }],
            "GlobalSecondaryIndexes": [{
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
                "IndexStatus": "ACTIVE",
                "Backfilling": false,
                "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 1, "WriteCapacityUnits": 2},
                "IndexSizeBytes": 20,
                "ItemCount": 2,
                "IndexArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Music/index/gsi",
                "OnDemandThroughput": {"MaxReadRequestUnits": -1},
                "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}
            }],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
            "LatestStreamLabel": "2023-11-14T22:13:20.123",
            "LatestStreamArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Music/stream/2023-11-14T22:13:20.123",
            "SSEDescription": {
                "Status": "ENABLED",
                "SSEType": "KMS",
                "KMSMasterKeyArn": "arn:aws:kms:us-east-1:000000000000:key/k"
            },
            "TableClassSummary": {"TableClass": "STANDARD"},
            "DeletionProtectionEnabled": false
        })
    }

    #[test]
    fn table_description_outputs() {
        let td = full_description();
        let want = full_description_json();
        assert_eq!(
            describe_table_output(&DescribeTableOutput::builder().table(td.clone()).build()),
            json!({"Table": want})
        );
        assert_eq!(
            create_table_output(&CreateTableOutput::builder().table_description(td.clone()).build()),
            json!({"TableDescription": want})
        );
        assert_eq!(
            update_table_output(&UpdateTableOutput::builder().table_description(td.clone()).build()),
            json!({"TableDescription": want})
        );
        assert_eq!(
            delete_table_output(&DeleteTableOutput::builder().table_description(td).build()),
            json!({"TableDescription": want})
        );
        assert_eq!(
            describe_table_output(&DescribeTableOutput::builder().build()),
            json!({})
        );
    }

    #[test]
    fn creation_date_time_is_a_number_with_a_fraction() {
        let td = TableDescription::builder()
            .creation_date_time(DateTime::from_secs(1_700_000_000))
            .build();
        let text = describe_table_output(&DescribeTableOutput::builder().table(td).build()).to_string();
        assert_eq!(text, r#"{"Table":{"CreationDateTime":1700000000.0}}"#);
    }

    #[test]
    fn table_description_rare_members() {
        let td = TableDescription::builder()
            .table_name("g")
            .global_table_version("2019.11.21")
            .replicas(
                ReplicaDescription::builder()
                    .region_name("eu-west-1")
                    .replica_status(ReplicaStatus::Active)
                    .replica_arn("arn:r")
                    .replica_status_description("ok")
                    .replica_status_percent_progress("100")
                    .kms_master_key_id("k")
                    .provisioned_throughput_override(
                        ProvisionedThroughputOverride::builder().read_capacity_units(4).build(),
                    )
                    .on_demand_throughput_override(
                        OnDemandThroughputOverride::builder().max_read_request_units(8).build(),
                    )
                    .warm_throughput(
                        TableWarmThroughputDescription::builder()
                            .read_units_per_second(1)
                            .write_units_per_second(2)
                            .status(TableStatus::Updating)
                            .build(),
                    )
                    .global_secondary_indexes(
                        ReplicaGlobalSecondaryIndexDescription::builder()
                            .index_name("gsi")
                            .provisioned_throughput_override(
                                ProvisionedThroughputOverride::builder().read_capacity_units(3).build(),
                            )
                            .on_demand_throughput_override(
                                OnDemandThroughputOverride::builder().max_read_request_units(9).build(),
                            )
                            .warm_throughput(
                                GlobalSecondaryIndexWarmThroughputDescription::builder()
                                    .status(IndexStatus::Creating)
                                    .build(),
                            )
                            .build(),
                    )
                    .replica_inaccessible_date_time(DateTime::from_millis(1_500))
                    .replica_table_class_summary(
                        TableClassSummary::builder()
                            .table_class(TableClass::StandardInfrequentAccess)
                            .last_update_date_time(DateTime::from_millis(2_250))
                            .build(),
                    )
                    .global_table_settings_replication_mode(GlobalTableSettingsReplicationMode::Enabled)
                    .build(),
            )
            .global_table_witnesses(
                GlobalTableWitnessDescription::builder()
                    .region_name("us-east-2")
                    .witness_status(WitnessStatus::Active)
                    .build(),
            )
            .global_table_settings_replication_mode(GlobalTableSettingsReplicationMode::EnabledWithOverrides)
            .restore_summary(
                RestoreSummary::builder()
                    .source_backup_arn("arn:b")
                    .source_table_arn("arn:t")
                    .restore_date_time(DateTime::from_secs(10))
                    .restore_in_progress(false)
                    .build()
                    .unwrap(),
            )
            .sse_description(
                SseDescription::builder()
                    .inaccessible_encryption_date_time(DateTime::from_secs(5))
                    .build(),
            )
            .archival_summary(
                ArchivalSummary::builder()
                    .archival_date_time(DateTime::from_secs(7))
                    .archival_reason("Encryption key disabled")
                    .archival_backup_arn("arn:a")
                    .build(),
            )
            .disassociation_protection_enabled(true)
            .on_demand_throughput(
                OnDemandThroughput::builder()
                    .max_read_request_units(1)
                    .max_write_request_units(2)
                    .build(),
            )
            .warm_throughput(
                TableWarmThroughputDescription::builder()
                    .read_units_per_second(12000)
                    .build(),
            )
            .multi_region_consistency(MultiRegionConsistency::Eventual)
            .vector_indexes(
                VectorIndexDescription::builder()
                    .index_name("v")
                    .search_schema(
                        SearchSchemaElement::builder()
                            .attribute_name("pk")
                            .search_schema_element_type(SearchSchemaElementType::Hash)
                            .build()
                            .unwrap(),
                    )
                    .projection(Projection::builder().projection_type(ProjectionType::All).build())
                    .vector_attribute(
                        VectorAttributeDefinition::builder()
                            .attribute_name("e")
                            .build()
                            .unwrap(),
                    )
                    .dimensions(3)
                    .distance_function(VectorDistanceFunction::DotProduct)
                    .index_status(IndexStatus::Creating)
                    .backfilling(true)
                    .index_size_bytes(0)
                    .item_count(0)
                    .index_arn("arn:v")
                    .build(),
            )
            .build();
        let want = json!({"TableDescription": {
            "TableName": "g",
            "GlobalTableVersion": "2019.11.21",
            "Replicas": [{
                "RegionName": "eu-west-1",
                "ReplicaStatus": "ACTIVE",
                "ReplicaArn": "arn:r",
                "ReplicaStatusDescription": "ok",
                "ReplicaStatusPercentProgress": "100",
                "KMSMasterKeyId": "k",
                "ProvisionedThroughputOverride": {"ReadCapacityUnits": 4},
                "OnDemandThroughputOverride": {"MaxReadRequestUnits": 8},
                "WarmThroughput": {"ReadUnitsPerSecond": 1, "WriteUnitsPerSecond": 2, "Status": "UPDATING"},
                "GlobalSecondaryIndexes": [{
                    "IndexName": "gsi",
                    "ProvisionedThroughputOverride": {"ReadCapacityUnits": 3},
                    "OnDemandThroughputOverride": {"MaxReadRequestUnits": 9},
                    "WarmThroughput": {"Status": "CREATING"}
                }],
                "ReplicaInaccessibleDateTime": 1.5,
                "ReplicaTableClassSummary": {"TableClass": "STANDARD_INFREQUENT_ACCESS", "LastUpdateDateTime": 2.25},
                "GlobalTableSettingsReplicationMode": "ENABLED"
            }],
            "GlobalTableWitnesses": [{"RegionName": "us-east-2", "WitnessStatus": "ACTIVE"}],
            "GlobalTableSettingsReplicationMode": "ENABLED_WITH_OVERRIDES",
            "RestoreSummary": {
                "SourceBackupArn": "arn:b",
                "SourceTableArn": "arn:t",
                "RestoreDateTime": 10.0,
                "RestoreInProgress": false
            },
            "SSEDescription": {"InaccessibleEncryptionDateTime": 5.0},
            "ArchivalSummary": {
                "ArchivalDateTime": 7.0,
                "ArchivalReason": "Encryption key disabled",
                "ArchivalBackupArn": "arn:a"
            },
            "DisassociationProtectionEnabled": true,
            "OnDemandThroughput": {"MaxReadRequestUnits": 1, "MaxWriteRequestUnits": 2},
            "WarmThroughput": {"ReadUnitsPerSecond": 12000},
            "MultiRegionConsistency": "EVENTUAL",
            "VectorIndexes": [{
                "IndexName": "v",
                "SearchSchema": [{"AttributeName": "pk", "SearchSchemaElementType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "VectorAttribute": {"AttributeName": "e"},
                "Dimensions": 3,
                "DistanceFunction": "DOT_PRODUCT",
                "IndexStatus": "CREATING",
                "Backfilling": true,
                "IndexSizeBytes": 0,
                "ItemCount": 0,
                "IndexArn": "arn:v"
            }]
        }});
        assert_eq!(
            create_table_output(&CreateTableOutput::builder().table_description(td).build()),
            want
        );
    }

    #[test]
    fn list_tables_output_members() {
        let out = ListTablesOutput::builder()
            .table_names("Forum")
            .table_names("Thread")
            .last_evaluated_table_name("Thread")
            .build();
        assert_eq!(
            list_tables_output(&out),
            json!({"TableNames": ["Forum", "Thread"], "LastEvaluatedTableName": "Thread"})
        );
        let empty = ListTablesOutput::builder().set_table_names(Some(vec![])).build();
        assert_eq!(list_tables_output(&empty), json!({"TableNames": []}));
    }

    #[test]
    fn tag_outputs() {
        assert_eq!(tag_resource_output(&TagResourceOutput::builder().build()), json!({}));
        assert_eq!(
            untag_resource_output(&UntagResourceOutput::builder().build()),
            json!({})
        );
        let out = ListTagsOfResourceOutput::builder()
            .tags(tag("Owner", "blueTeam"))
            .next_token("n")
            .build();
        assert_eq!(
            list_tags_of_resource_output(&out),
            json!({"Tags": [{"Key": "Owner", "Value": "blueTeam"}], "NextToken": "n"})
        );
        let out = ListTagsOfResourceOutput::builder().set_tags(Some(vec![])).build();
        assert_eq!(list_tags_of_resource_output(&out), json!({"Tags": []}));
    }

    #[test]
    fn time_to_live_outputs() {
        let spec = TimeToLiveSpecification::builder()
            .enabled(false)
            .attribute_name("ttl")
            .build()
            .unwrap();
        assert_eq!(
            update_time_to_live_output(
                &UpdateTimeToLiveOutput::builder()
                    .time_to_live_specification(spec)
                    .build()
            ),
            json!({"TimeToLiveSpecification": {"Enabled": false, "AttributeName": "ttl"}})
        );
        let desc = TimeToLiveDescription::builder()
            .time_to_live_status(TimeToLiveStatus::Enabled)
            .attribute_name("ttl")
            .build();
        assert_eq!(
            describe_time_to_live_output(
                &DescribeTimeToLiveOutput::builder()
                    .time_to_live_description(desc)
                    .build()
            ),
            json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}})
        );
        let desc = TimeToLiveDescription::builder()
            .time_to_live_status(TimeToLiveStatus::Disabled)
            .build();
        assert_eq!(
            describe_time_to_live_output(
                &DescribeTimeToLiveOutput::builder()
                    .time_to_live_description(desc)
                    .build()
            ),
            json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}})
        );
    }
}
