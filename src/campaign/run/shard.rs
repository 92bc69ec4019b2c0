//! Shards of a campaign: the cases `k` with `k mod N = I − 1`, named `I/N` from 1.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One shard of `count`: the cases `k` with `k mod count = index`. Shards are named from 1
/// (`1/4` … `4/4` holds `index` 0 … 3) and written in reports as that label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// From 0: shard `index + 1` of `count`.
    pub index: u64,
    /// At least 1.
    pub count: u64,
}

impl Shard {
    /// The whole campaign.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` with `1 ≤ I ≤ N`: shard `I` of `N`, counted from 1.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("--shard {text:?}: expected I/N, such as 1/4"))?;
        let number: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("--shard {text:?}: I is not a whole number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("--shard {text:?}: N is not a whole number"))?;
        if count == 0 || number == 0 || number > count {
            return Err(format!(
                "--shard {text:?}: need 1 ≤ I ≤ N (shards count from 1: 1/{c} … {c}/{c})",
                c = count.max(1)
            ));
        }
        Ok(Shard {
            index: number - 1,
            count,
        })
    }

    /// `I/N`, counted from 1.
    pub fn label(self) -> String {
        format!("{}/{}", self.index + 1, self.count)
    }

    /// Whether case `case` belongs to this shard.
    pub fn contains(self, case: u64) -> bool {
        case % self.count == self.index
    }

    /// How many of the cases `0..cases` belong to this shard.
    pub fn cases_in(self, cases: u64) -> u64 {
        if cases <= self.index {
            0
        } else {
            (cases - self.index).div_ceil(self.count)
        }
    }

    /// The shard that holds `case` among shards of this count.
    pub(super) fn of(self, case: u64) -> Shard {
        Shard {
            index: case % self.count,
            count: self.count,
        }
    }

    pub(super) fn valid(self) -> bool {
        self.count >= 1 && self.index < self.count
    }
}

impl Serialize for Shard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for Shard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Shard, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        match &value {
            serde_json::Value::String(label) => Shard::parse(label).map_err(|_| {
                D::Error::custom(format!("shard {label:?}: expected I/N with 1 ≤ I ≤ N"))
            }),
            other => Err(D::Error::custom(format!(
                "shard {other}: expected \"I/N\", such as \"1/4\""
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_named_from_one() {
        let shard = Shard::parse("2/4").expect("valid");
        assert_eq!(shard, Shard { index: 1, count: 4 });
        assert_eq!(shard.label(), "2/4");
        assert_eq!(serde_json::to_string(&shard).expect("json"), "\"2/4\"");
        for bad in ["0/4", "5/4", "1/0", "x/2", "2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        for bad in [
            r#"{"index": 1, "count": 4}"#,
            r#"{"index": 0}"#,
            "\"0/3\"",
            "7",
        ] {
            assert!(serde_json::from_str::<Shard>(bad).is_err(), "{bad}");
        }
        assert_eq!(
            (0..10)
                .filter(|&k| Shard { index: 2, count: 3 }.contains(k))
                .count() as u64,
            Shard { index: 2, count: 3 }.cases_in(10)
        );
        assert_eq!(Shard { index: 5, count: 8 }.cases_in(5), 0);
        assert_eq!(
            Shard {
                index: 999,
                count: 1_000_000_000_000_000
            }
            .cases_in(1_000_000_000_000_000_000),
            1000
        );
    }
}
