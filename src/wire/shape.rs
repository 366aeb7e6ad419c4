//! The declaration of a model structure: [`shape!`] and [`opaque!`].

/// The place of `name` among a structure's member names (for the order of
/// validation messages), at compile time.
pub(crate) const fn place(names: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < names.len() {
        let (a, b) = (names[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    names.len()
}

/// Declares model structures: for each, the SDK type, the model's name for
/// it, `try` when its builder's `build()` returns a `Result`, and one line
/// per member in the model's order: the SDK field, its wire name, and `req`
/// when DynamoDB requires it. Members not declared are skipped when read
/// and never written.
///
/// ```ignore
/// shape! {
///     KeySchemaElement = "KeySchemaElement" try {
///         attribute_name "AttributeName" req,
///         key_type "KeyType" req,
///     }
/// }
/// ```
///
/// Yields the structure's [`Shape`](super::Shape), [`Decode`](super::Decode)
/// and [`Encode`](super::Encode): the kind of each member is its field's type.
macro_rules! shape {
    ($($ty:ident = $shape:literal $($try:ident)? { $($field:ident $wire:literal $($req:ident)?),* $(,)? })*) => {$(
        impl $crate::wire::Shape for $ty {
            const SHAPE: &'static str = $shape;

            #[allow(unused_mut, unused_variables, unused_assignments)]
            fn decode_members<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
                cx: &mut $crate::wire::Cx,
            ) -> ::std::result::Result<::std::option::Option<Self>, A::Error> {
                #[allow(dead_code)]
                const NAMES: &[&str] = &[$($wire),*];
                const _: () = assert!(NAMES.len() <= 128, "a structure of at most 128 members");
                $(let mut $field = None;)*
                // The members given (not `null`), by place.
                let mut given = 0u128;
                while let Some(name) = map.next_key::<$crate::wire::Name<'de>>()? {
                    match name.0.as_ref() {
                        $($wire => {
                            const PLACE: usize = $crate::wire::place(NAMES, $wire);
                            let (value, there) = cx.member(&mut map, $wire, PLACE)?;
                            $field = value;
                            if there {
                                given |= 1 << PLACE;
                            } else {
                                given &= !(1 << PLACE);
                            }
                        })*
                        _ => $crate::wire::skip(&mut map)?,
                    }
                }
                $($crate::wire::shape!(@required cx, given, $wire, NAMES $(, $req)?);)*
                let built = ::pastey::paste!($ty::builder() $(.[<set_ $field>]($field))*.build());
                Ok($crate::wire::shape!(@built cx, built $(, $try)?))
            }

            #[allow(unused_mut, unused_variables)]
            fn encode_members(&self, out: &mut Vec<u8>) {
                let mut first = true;
                $(
                    if $crate::wire::Encode::present(&self.$field) {
                        $crate::wire::write_member(out, &mut first, $wire);
                        $crate::wire::Encode::encode(&self.$field, out);
                    }
                )*
            }
        }

        $crate::wire::shape!(@decode $ty, $shape, |cx| $crate::wire::empty_structure(cx));

        impl $crate::wire::Encode for $ty {
            fn encode(&self, out: &mut Vec<u8>) {
                out.push(b'{');
                $crate::wire::Shape::encode_members(self, out);
                out.push(b'}');
            }
        }
    )*};
    (@required $cx:ident, $given:ident, $wire:literal, $names:ident, req) => {
        if $given & (1 << $crate::wire::place($names, $wire)) == 0 {
            $cx.missing($wire, $crate::wire::place($names, $wire));
        }
    };
    (@required $cx:ident, $given:ident, $wire:literal, $names:ident) => {};
    (@built $cx:ident, $built:ident, try) => {
        $cx.built($built)
    };
    (@built $cx:ident, $built:ident) => {
        Some($built)
    };
    // A structure's `Decode`: its visitor, and what a `null` element is.
    (@decode $ty:ident, $shape:literal, |$cx:ident| $null:expr) => {
        impl $crate::wire::Decode for $ty {
            fn class() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed($shape)
            }
            #[inline]
            fn decode<'de, D: ::serde::de::Deserializer<'de>>(
                d: D,
                cx: &mut $crate::wire::Cx,
                pos: $crate::wire::Pos,
            ) -> ::std::result::Result<::std::option::Option<Self>, D::Error> {
                d.deserialize_any($crate::wire::StructV::<Self>(cx, pos, ::std::marker::PhantomData))
            }
            fn null_element($cx: &mut $crate::wire::Cx) -> ::std::option::Option<Self> {
                $null
            }
        }
    };
}
pub(crate) use shape;

/// Declares structures the mock only writes (a stream record: no request
/// holds one), one line per member in the model's order, the SDK field and
/// its wire name: their [`Encode`](super::Encode), as [`shape!`] writes it.
macro_rules! written {
    ($($ty:ident { $($field:ident $wire:literal),* $(,)? })*) => {$(
        impl $crate::wire::Encode for $ty {
            #[allow(unused_mut)]
            fn encode(&self, out: &mut Vec<u8>) {
                out.push(b'{');
                let mut first = true;
                $(
                    if $crate::wire::Encode::present(&self.$field) {
                        $crate::wire::write_member(out, &mut first, $wire);
                        $crate::wire::Encode::encode(&self.$field, out);
                    }
                )*
                out.push(b'}');
            }
        }
    )*};
}
pub(crate) use written;

/// Declares structures the mock never reads (replica and witness groups,
/// ...): checked for their JSON type as any structure is, their members
/// skipped, each read as the SDK type's empty value, and written `{}`.
macro_rules! opaque {
    ($($ty:ident = $shape:literal),* $(,)?) => {$(
        impl $crate::wire::Shape for $ty {
            const SHAPE: &'static str = $shape;
            fn decode_members<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
                _: &mut $crate::wire::Cx,
            ) -> ::std::result::Result<::std::option::Option<Self>, A::Error> {
                while map.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                    $crate::wire::skip(&mut map)?;
                }
                Ok(Some($ty::builder().build()))
            }
            fn encode_members(&self, _: &mut Vec<u8>) {}
        }

        $crate::wire::shape!(@decode $ty, $shape, |_cx| Some($ty::builder().build()));

        impl $crate::wire::Encode for $ty {
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(b"{}");
            }
        }
    )*};
}
pub(crate) use opaque;
