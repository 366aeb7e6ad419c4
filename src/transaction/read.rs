//! Transactional reads: several records, from any declared tables, read as
//! one snapshot (TransactGetItems).

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

use tracing::Instrument;

use super::cancel::{self, Action, Guard};
use crate::backend::Backend;
use crate::database::Database;
use crate::mock::transact::MAX_ACTIONS;
use crate::record::Record;
use crate::schema::TableSchema;
use crate::sdk::*;
use crate::table::IntoKey;
use crate::{Error, Item};

/// Tells the read transactions of a process apart, so a handle is only
/// redeemed against the reads of its own transaction.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Up to 100 reads of records of any declared tables, made by
/// [`ReadTransaction::commit`] as one snapshot: no write lands between them
/// (DynamoDB's TransactGetItems, always strongly consistent).
///
/// Each [`ReadTransaction::get`] hands back a [`Handle`] that redeems its
/// record from the [`Reads`]:
///
/// ```no_run
/// # use dynamo_objects::{dynamo_table, Database, ReadTransaction};
/// # dynamo_table! { user: User { hash id: String, name: String } on_demand }
/// # dynamo_table! { order: Order { hash id: String, total: i64 } on_demand }
/// # async fn f(db: &Database) -> dynamo_objects::Result<()> {
/// let mut tx = ReadTransaction::new(db);
/// let ann = tx.get::<User>("ann");
/// let order = tx.get::<Order>("o-1");
/// let mut reads = tx.commit().await?;
/// let ann: Option<User> = reads.take(ann)?;
/// let order: Option<Order> = reads.take(order)?;
/// # Ok(()) }
/// ```
#[must_use]
#[derive(Debug)]
pub struct ReadTransaction {
    db: Database,
    id: u64,
    gets: Vec<Result<TransactGetItem, Error>>,
    actions: Vec<Action>,
    schemas: Vec<&'static TableSchema>,
}

/// The place of one read in its [`ReadTransaction`], typed by the record it
/// reads: redeemed once, by [`Reads::take`].
#[must_use = "a read is only seen through its handle"]
#[derive(Debug)]
pub struct Handle<R> {
    tx: u64,
    index: usize,
    _marker: PhantomData<fn() -> R>,
}

/// What a committed [`ReadTransaction`] read: each item, as of one moment,
/// until its [`Handle`] takes it.
#[derive(Debug)]
pub struct Reads {
    tx: u64,
    items: Vec<Option<Item>>,
}

impl ReadTransaction {
    /// An empty read transaction on this connection.
    pub fn new(db: &Database) -> ReadTransaction {
        ReadTransaction {
            db: db.clone(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            gets: Vec::new(),
            actions: Vec::new(),
            schemas: Vec::new(),
        }
    }

    /// Reads the record of `R`'s table with `key`; its handle takes it from
    /// the [`Reads`] of [`ReadTransaction::commit`].
    pub fn get<R: Record>(&mut self, key: impl IntoKey<R::Key>) -> Handle<R> {
        let schema = R::schema();
        if !self.schemas.iter().any(|s| std::ptr::eq(*s, schema)) {
            self.schemas.push(schema);
        }
        let key = key.into_key();
        self.actions.push(Action::new::<R>(&key, Guard::Condition));
        let get = R::key_item(&key).map_err(Error::from).and_then(|k| {
            let get = Get::builder().table_name(&schema.name).set_key(Some(k)).build()?;
            Ok(TransactGetItem::builder().get(get).build())
        });
        self.gets.push(get);
        Handle {
            tx: self.id,
            index: self.gets.len() - 1,
            _marker: PhantomData,
        }
    }

    /// How many reads the transaction holds.
    pub fn len(&self) -> usize {
        self.gets.len()
    }

    /// True when the transaction holds no read.
    pub fn is_empty(&self) -> bool {
        self.gets.is_empty()
    }

    /// Makes every read, as one snapshot. More than 100 reads is
    /// [`Error::Validation`] and nothing is sent; a read that conflicts with
    /// a write in progress cancels them all with
    /// [`Error::TransactionCanceled`] (a typed cause per read).
    pub async fn commit(self) -> Result<Reads, Error> {
        let span = crate::trace::transaction_call("read", self.gets.len());
        self.commit_untraced().instrument(span).await
    }

    async fn commit_untraced(self) -> Result<Reads, Error> {
        if self.gets.len() > MAX_ACTIONS {
            return Err(Error::Validation(
                format!(
                    "a read transaction holds at most {MAX_ACTIONS} reads; this one holds {}",
                    self.gets.len()
                )
                .into(),
            ));
        }
        let gets = self.gets.into_iter().collect::<Result<Vec<_>, _>>()?;
        for s in &self.schemas {
            self.db.ensure_table(s).await?;
        }
        let asked = gets.len();
        let out = self
            .db
            .transact_get_items(
                TransactGetItemsInput::builder()
                    .set_transact_items(Some(gets))
                    .build()?,
            )
            .await
            .map_err(|e| cancel::with_causes(e, &self.actions))?;
        let responses = out.responses.unwrap_or_default();
        if responses.len() != asked {
            return Err(Error::Transport(
                format!(
                    "TransactGetItems answered {} responses to {asked} reads",
                    responses.len()
                )
                .into(),
            ));
        }
        Ok(Reads {
            tx: self.id,
            // A missing item is an empty response (`{}`).
            items: responses
                .into_iter()
                .map(|r| r.item.filter(|i| !i.is_empty()))
                .collect(),
        })
    }
}

impl Reads {
    /// The record `handle` read: `None` when there was no item with its key;
    /// an [`Error::Conversion`] naming the table and key when the item is not
    /// a whole record; [`Error::Validation`] for a handle of another
    /// transaction.
    pub fn take<R: Record>(&mut self, handle: Handle<R>) -> Result<Option<R>, Error> {
        if handle.tx != self.tx {
            return Err(Error::Validation(
                "this handle belongs to another read transaction".into(),
            ));
        }
        let item = self.items.get_mut(handle.index).and_then(Option::take);
        item.map(crate::table::record_from::<R>).transpose()
    }
}
