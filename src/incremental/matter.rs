//! Front matter in the parse cache: the mapping a page's YAML or TOML front matter
//! reads as, in a form postcard can write (the YAML value's own serde form needs a
//! self-describing format). Reading it back costs a fraction of parsing the YAML again.

use serde::{Deserialize, Serialize};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Number, Value as Yaml};

/// A YAML value as kept.
#[derive(Serialize, Deserialize)]
enum Kept {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(String),
    List(Vec<Kept>),
    Map(Vec<(Kept, Kept)>),
    Tagged(String, Box<Kept>),
}

/// `mapping` as the cache keeps it.
pub(crate) fn encode(mapping: &Mapping) -> Option<Vec<u8>> {
    postcard::to_stdvec(&kept_map(mapping)).ok()
}

/// The mapping `bytes` keep; none if they are not one (a damaged entry).
pub(crate) fn decode(bytes: &[u8]) -> Option<Mapping> {
    match yaml(postcard::from_bytes::<Kept>(bytes).ok()?)? {
        Yaml::Mapping(mapping) => Some(mapping),
        _ => None,
    }
}

fn kept(value: &Yaml) -> Kept {
    match value {
        Yaml::Null => Kept::Null,
        Yaml::Bool(b) => Kept::Bool(*b),
        Yaml::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Kept::Unsigned(u),
            (None, Some(i)) => Kept::Signed(i),
            _ => Kept::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Yaml::String(s) => Kept::Text(s.clone()),
        Yaml::Sequence(items) => Kept::List(items.iter().map(kept).collect()),
        Yaml::Mapping(m) => kept_map(m),
        Yaml::Tagged(t) => Kept::Tagged(t.tag.to_string(), Box::new(kept(&t.value))),
    }
}

fn kept_map(mapping: &Mapping) -> Kept {
    Kept::Map(mapping.iter().map(|(k, v)| (kept(k), kept(v))).collect())
}

fn yaml(value: Kept) -> Option<Yaml> {
    Some(match value {
        Kept::Null => Yaml::Null,
        Kept::Bool(b) => Yaml::Bool(b),
        Kept::Unsigned(u) => Yaml::Number(Number::from(u)),
        Kept::Signed(i) => Yaml::Number(Number::from(i)),
        Kept::Float(f) => Yaml::Number(Number::from(f)),
        Kept::Text(s) => Yaml::String(s),
        Kept::List(items) => Yaml::Sequence(items.into_iter().map(yaml).collect::<Option<_>>()?),
        Kept::Map(entries) => Yaml::Mapping(
            entries
                .into_iter()
                .map(|(k, v)| Some((yaml(k)?, yaml(v)?)))
                .collect::<Option<_>>()?,
        ),
        // `Tag::new` refuses an empty tag, which only a damaged entry could hold.
        Kept::Tagged(tag, value) if !tag.is_empty() => Yaml::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value: yaml(*value)?,
        })),
        Kept::Tagged(..) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_value_comes_back_as_it_was() {
        let text = "title: Brotherhood\nweight: 3\nlag: -4\nratio: 0.5\nnan: .nan\ndraft: false\n\
                    none: null\ntags: [a, b]\nextra: { nested: { deep: [1, {x: y}] } }\n\
                    7: seven\ncolour: !Red 5\ndate: 2024-09-26\n";
        let Yaml::Mapping(mapping) = serde_yaml::from_str::<Yaml>(text).unwrap() else {
            panic!("a mapping")
        };
        let back = decode(&encode(&mapping).unwrap()).unwrap();
        // NaN is not equal to itself: compare what YAML writes.
        assert_eq!(
            serde_yaml::to_string(&back).unwrap(),
            serde_yaml::to_string(&mapping).unwrap()
        );
        let without_nan = |mut m: Mapping| {
            m.remove("nan");
            m
        };
        assert_eq!(without_nan(back), without_nan(mapping));
    }

    #[test]
    fn damaged_bytes_are_no_mapping() {
        assert!(decode(&[0xff, 0x01, 0x02]).is_none());
        assert!(decode(&[]).is_none());
        let list = postcard::to_stdvec(&Kept::List(vec![Kept::Null])).unwrap();
        assert!(decode(&list).is_none());
        let bad_tag = postcard::to_stdvec(&Kept::Map(vec![(
            Kept::Text("k".into()),
            Kept::Tagged(String::new(), Box::new(Kept::Null)),
        )]))
        .unwrap();
        assert!(decode(&bad_tag).is_none());
    }
}
