//! `__dynamo_fields!` and `__dynamo_opts!`: how `dynamo_table!` reads a
//! declaration (fields, then a table's options) into one normalised list,
//! which `__dynamo_record!` and `__dynamo_table!` expand.
//!
//! A field is normalised to `{ [attributes] name [stored name?] [Type] [default?] }`,
//! a key to `[name [stored name?] [Type]]` (or `[]` when absent), and the
//! table to `[table (name)]` where `concat!(name)` is the table's name.

/// Reads the fields of a declaration, a few per step; then hands a record to
/// `__dynamo_record!` and a table to `__dynamo_opts!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __dynamo_fields {
    // The hash key.
    ($kind:tt $meta:tt $R:tt [$($f:tt)*] [] $range:tt
        { $(#[$fm:meta])* hash $name:ident $(as $s:literal)? : $t:ty $(= $d:expr)? $(, $($more:tt)*)? } $($rest:tt)*) => {
        $crate::__dynamo_fields!($kind $meta $R [$($f)* { [$(#[$fm])*] $name [$($s)?] [$t] [$($d)?] }]
            [$name [$($s)?] [$t]] $range { $($($more)*)? } $($rest)*);
    };
    ($kind:tt $meta:tt [$R:ident] $f:tt [$($h:tt)+] $range:tt
        { $(#[$fm:meta])* hash $name:ident $($more:tt)* } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: `", ::core::stringify!($R), "` declares a second hash key `", ::core::stringify!($name),
            "`; a table has exactly one `hash` field (use `range` for the sort key)"));
    };
    // The range key.
    ($kind:tt $meta:tt $R:tt [$($f:tt)*] $hash:tt []
        { $(#[$fm:meta])* range $name:ident $(as $s:literal)? : $t:ty $(= $d:expr)? $(, $($more:tt)*)? } $($rest:tt)*) => {
        $crate::__dynamo_fields!($kind $meta $R [$($f)* { [$(#[$fm])*] $name [$($s)?] [$t] [$($d)?] }]
            $hash [$name [$($s)?] [$t]] { $($($more)*)? } $($rest)*);
    };
    ($kind:tt $meta:tt [$R:ident] $f:tt $hash:tt [$($r:tt)+]
        { $(#[$fm:meta])* range $name:ident $($more:tt)* } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: `", ::core::stringify!($R), "` declares a second range key `", ::core::stringify!($name),
            "`; a table has at most one `range` field"));
    };
    // Only plain fields left: all of them in one step.
    ($kind:tt $meta:tt $R:tt [$($f:tt)*] $hash:tt $range:tt
        { $( $(#[$fm:meta])* $name:ident $(as $s:literal)? : $t:ty $(= $d:expr)? ),+ $(,)? } $($rest:tt)*) => {
        $crate::__dynamo_fields!($kind $meta $R [$($f)* $({ [$(#[$fm])*] $name [$($s)?] [$t] [$($d)?] })+]
            $hash $range { } $($rest)*);
    };
    // Eight plain fields at once (so that the depth of the expansion grows
    // by one per eight fields, not per field), then the others.
    ($kind:tt $meta:tt $R:tt [$($f:tt)*] $hash:tt $range:tt
        { $(#[$fm1:meta])* $n1:ident $(as $s1:literal)? : $t1:ty $(= $d1:expr)?,
          $(#[$fm2:meta])* $n2:ident $(as $s2:literal)? : $t2:ty $(= $d2:expr)?,
          $(#[$fm3:meta])* $n3:ident $(as $s3:literal)? : $t3:ty $(= $d3:expr)?,
          $(#[$fm4:meta])* $n4:ident $(as $s4:literal)? : $t4:ty $(= $d4:expr)?,
          $(#[$fm5:meta])* $n5:ident $(as $s5:literal)? : $t5:ty $(= $d5:expr)?,
          $(#[$fm6:meta])* $n6:ident $(as $s6:literal)? : $t6:ty $(= $d6:expr)?,
          $(#[$fm7:meta])* $n7:ident $(as $s7:literal)? : $t7:ty $(= $d7:expr)?,
          $(#[$fm8:meta])* $n8:ident $(as $s8:literal)? : $t8:ty $(= $d8:expr)?,
          $($more:tt)* } $($rest:tt)*) => {
        $crate::__dynamo_fields!($kind $meta $R [$($f)* { [$(#[$fm1])*] $n1 [$($s1)?] [$t1] [$($d1)?] } { [$(#[$fm2])*] $n2 [$($s2)?] [$t2] [$($d2)?] } { [$(#[$fm3])*] $n3 [$($s3)?] [$t3] [$($d3)?] } { [$(#[$fm4])*] $n4 [$($s4)?] [$t4] [$($d4)?] } { [$(#[$fm5])*] $n5 [$($s5)?] [$t5] [$($d5)?] } { [$(#[$fm6])*] $n6 [$($s6)?] [$t6] [$($d6)?] } { [$(#[$fm7])*] $n7 [$($s7)?] [$t7] [$($d7)?] } { [$(#[$fm8])*] $n8 [$($s8)?] [$t8] [$($d8)?] }]
            $hash $range { $($more)* } $($rest)*);
    };
    // One plain field.
    ($kind:tt $meta:tt $R:tt [$($f:tt)*] $hash:tt $range:tt
        { $(#[$fm:meta])* $name:ident $(as $s:literal)? : $t:ty $(= $d:expr)? $(, $($more:tt)*)? } $($rest:tt)*) => {
        $crate::__dynamo_fields!($kind $meta $R [$($f)* { [$(#[$fm])*] $name [$($s)?] [$t] [$($d)?] }]
            $hash $range { $($($more)*)? } $($rest)*);
    };
    // All fields read: a record is done; a table goes on with its options.
    ([record] $meta:tt $R:tt $fields:tt [] [] { } $($rest:tt)*) => {
        $crate::__dynamo_record!($meta $R $fields);
        $crate::dynamo_table!($($rest)*);
    };
    ([record] $meta:tt [$R:ident] $fields:tt $hash:tt $range:tt { } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: `record ", ::core::stringify!($R),
            "` is a plain record and cannot have `hash` or `range` keys; declare a table as `name: ", ::core::stringify!($R), " { ... }`"));
    };
    ([table $table:tt] $meta:tt [$R:ident] $fields:tt [] $range:tt { } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: table `", ::core::concat! $table, "` (record `", ::core::stringify!($R),
            "`) has no hash key; mark one field `hash`, e.g. `hash id: String`"));
    };
    ([table $table:tt] $meta:tt $R:tt $fields:tt $hash:tt $range:tt { } $($rest:tt)*) => {
        $crate::__dynamo_opts!([$table] $meta $R $fields $hash $range [] [] [] [] [] [] $($rest)*);
    };
    ($kind:tt $meta:tt [$R:ident] $f:tt $hash:tt $range:tt { $($bad:tt)* } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: in `", ::core::stringify!($R), "`, expected fields `name: Type`, `hash name: Type`, ",
            "`range name: Type`, `name: Type = default` or `name as \"StoredName\": Type`, separated by commas; found `",
            ::core::stringify!($($bad)*), "`"));
    };
}

/// Reads a table's options, one per step; then hands the table to
/// `__dynamo_table!` and what follows back to `dynamo_table!`.
///
/// State: `[table] meta [R] fields hash range [billing] [gsis] [lsis] [ttl] [version] [check]`.
#[doc(hidden)]
#[macro_export]
macro_rules! __dynamo_opts {
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt [] $g:tt $l:tt $ttl:tt $v:tt $c:tt
        throughput ( $read:expr , $write:expr $(,)? ) $($rest:tt)*) => {
        $crate::__dynamo_opts!($t $m $R $f $h $r [provisioned ($read) ($write)] $g $l $ttl $v $c $($rest)*);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt [] $g:tt $l:tt $ttl:tt $v:tt $c:tt on_demand $($rest:tt)*) => {
        $crate::__dynamo_opts!($t $m $R $f $h $r [on_demand] $g $l $ttl $v $c $($rest)*);
    };
    ([$t:tt] $m:tt $R:tt $f:tt $h:tt $r:tt [$($b:tt)+] $g:tt $l:tt $ttl:tt $v:tt $c:tt throughput $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!("dynamo_table!: table `", ::core::concat! $t,
            "` declares its billing twice; give one of `throughput(read, write)` or `on_demand`"));
    };
    ([$t:tt] $m:tt $R:tt $f:tt $h:tt $r:tt [$($b:tt)+] $g:tt $l:tt $ttl:tt $v:tt $c:tt on_demand $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!("dynamo_table!: table `", ::core::concat! $t,
            "` declares its billing twice; give one of `throughput(read, write)` or `on_demand`"));
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt [$($g:tt)*] $l:tt $ttl:tt $v:tt $c:tt
        global_index $name:ident ( $($spec:tt)* ) $($rest:tt)*) => {
        $crate::__dynamo_opts!($t $m $R $f $h $r $b [$($g)* { $name ( $($spec)* ) }] $l $ttl $v $c $($rest)*);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt [$($l:tt)*] $ttl:tt $v:tt $c:tt
        local_index $name:ident ( $($spec:tt)* ) $($rest:tt)*) => {
        $crate::__dynamo_opts!($t $m $R $f $h $r $b $g [$($l)* { $name ( $($spec)* ) }] $ttl $v $c $($rest)*);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt [] $v:tt $c:tt ttl ( $field:ident ) $($rest:tt)*) => {
        $crate::__dynamo_opts!($t $m $R $f $h $r $b $g $l [$field] $v $c $($rest)*);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt [] $c:tt version ( $field:ident ) $($rest:tt)*) => {
        $crate::__dynamo_opts!($t $m $R $f $h $r $b $g $l $ttl [$field] $c $($rest)*);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt [] check ( $check:path ) $($rest:tt)*) => {
        $crate::__dynamo_opts!($t $m $R $f $h $r $b $g $l $ttl $v [$check] $($rest)*);
    };
    // The end of this table: nothing left, or the next declaration.
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt) => {
        $crate::__dynamo_table!($t $m $R $f $h $r $b $g $l $ttl $v $c);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt # $($rest:tt)*) => {
        $crate::__dynamo_table!($t $m $R $f $h $r $b $g $l $ttl $v $c);
        $crate::dynamo_table!(# $($rest)*);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt record $($rest:tt)*) => {
        $crate::__dynamo_table!($t $m $R $f $h $r $b $g $l $ttl $v $c);
        $crate::dynamo_table!(record $($rest)*);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt $next:ident : $($rest:tt)*) => {
        $crate::__dynamo_table!($t $m $R $f $h $r $b $g $l $ttl $v $c);
        $crate::dynamo_table!($next : $($rest)*);
    };
    ($t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt $next:literal : $($rest:tt)*) => {
        $crate::__dynamo_table!($t $m $R $f $h $r $b $g $l $ttl $v $c);
        $crate::dynamo_table!($next : $($rest)*);
    };
    ([$t:tt] $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt $bad:tt $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: unknown or repeated option `", ::core::stringify!($bad), "` for table `", ::core::concat! $t,
            "`; expected `throughput(read, write)`, `on_demand`, `global_index name(hash field, ...)`, ",
            "`local_index name(range field, ...)`, `ttl(field)`, `version(field)` or `check(function)`"));
    };
}
